//! Reseller Console server: the JSON API under `/api`, the browser app for everything else.

pub mod app;
pub mod auth;
pub mod clock;
pub mod csv;
pub mod demo;
pub mod error;
pub mod extract;
pub mod routes;
pub mod store;

pub use app::{Config, run};
