//! One file per part of the console, each with the flows that cross it.

mod activity;
mod conflicts;
mod customers;
mod embedding;
mod orders;
mod partner_center;
mod renewals;
mod roles;
mod seats;
mod sign_in;
mod status;
mod widths;
