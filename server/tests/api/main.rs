//! HTTP tests: each serves the real server (its start-up, router and listener) on a fresh
//! temporary SQLite file with demo data, inside the test process, and talks to it over HTTP, as
//! a browser or a script would; tests that need a process of their own start the binary.

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
mod partner_center;
mod partner_center_hardening;
mod partner_center_orders;
mod partner_center_standin;
mod prices;
mod reconciliation;
mod reduction_window;
mod renewals;
mod resilience;
mod restart;
mod roles;
mod scale;
mod session;
mod statements;
mod subscriptions;
mod team;
mod tenancy;
