//! One module per page of the console.

pub mod account;
pub mod activity;
pub mod customers;
pub mod new_customer;
pub mod new_subscription;
pub mod prices;
pub mod reconciliation;
pub mod renewals;
pub mod sign_in;
pub mod statement;
pub mod subscription;
pub mod team;
