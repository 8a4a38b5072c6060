//! Reseller Console server: the JSON API under `/api`, the browser app for everything else.

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csv;
pub mod demo;
pub mod embed;
pub mod error;
pub mod extract;
pub mod import;
pub mod lifecycle;
pub mod openapi;
pub mod password_check;
pub mod routes;
pub mod serve;
pub mod static_files;
pub mod store;
pub mod strict_json;

pub use app::run;
pub use config::{Cli, Config};
