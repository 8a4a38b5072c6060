//! The use cases: what a change means, whoever asks for it. No HTTP here: the API's handlers,
//! the command line and the background tasks call these.

pub mod ordered;
pub mod partner_center;
pub mod partner_center_orders;
pub mod prices;
pub mod reconciliation;
pub mod renewals;
pub mod statements;
pub mod subscriptions;
pub mod team;
