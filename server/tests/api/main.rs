//! HTTP tests: each starts the real `reseller-console` binary on a fresh temporary SQLite file
//! with demo data and talks to it over HTTP, as a browser or a script would.

mod support;

mod auto_renew;
mod cli;
mod concurrency;
mod customers;
mod embedding;
mod errors;
mod hardening;
mod lifecycle;
mod new_customers;
mod openapi;
mod orders;
mod reduction_window;
mod renewals;
mod resilience;
mod restart;
mod roles;
mod scale;
mod session;
mod subscriptions;
mod team;
mod tenancy;
