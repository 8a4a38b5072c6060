//! One module per resource of the API; handlers stay thin: read the request (the extractors of
//! `http::extract` and `http::auth`), call a use case of `service` (or, for reads, the store),
//! answer.

pub mod activity;
pub mod customers;
pub mod offers;
pub mod partner_center;
pub mod pending_orders;
pub mod prices;
pub mod reconciliation;
pub mod renewals;
pub mod session;
pub mod statements;
pub mod subscriptions;
pub mod team;
pub mod test_clock;
