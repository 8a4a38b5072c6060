//! Reseller Console server: the JSON API under `/api`, the browser app for everything else.
//!
//! Layers, each importing only those below it: `http` (routes, extractors, the OpenAPI
//! document) and `cli` (subcommands) call `service` (the use cases), which calls `store`
//! (the databases); `state`, `startup` and `config` wire them together.

pub mod agent;
pub mod cli;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod csv;
pub mod demo;
pub mod embed;
pub mod error;
pub mod http;
pub mod import;
pub mod partner_center;
pub mod password_check;
pub mod service;
pub mod startup;
pub mod state;
pub mod store;

pub use cli::Cli;
pub use config::Config;
pub use startup::run;
