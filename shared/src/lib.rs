//! The Reseller Console domain, compiled into both the server and the browser app.
//!
//! Every rule of the product lives here once: the server enforces it, the browser shows it
//! live as the agent types, and both give the same message.
//!
//! Three floors, each importing only from those below (`server/tests/layers.rs` checks that no
//! two modules import each other in a circle):
//! - the words: `ids`, `error_code`, `calendar`, `money`, `model`, `language` (the names of roles,
//!   statuses and terms in each language), `roles` (the role table);
//! - the rules: `rules` (every refusal), `refusals` (their words, English beside Italian),
//!   and what refuses — `names`, `seats`, `reduction_window`, `lifecycle`, `status`,
//!   `customer_details`, `team`, `orders`, `changes`, `billing`, `renewals`, `file_values`, `partner_center`,
//!   `pricing`, `statements`, `reconciliation`, `permissions`;
//! - the wire: `api` (requests and answers) and `activity`.

pub mod activity;
pub mod api;
pub mod billing;
pub mod calendar;
pub mod changes;
pub mod customer_details;
pub mod error_code;
pub mod file_values;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod ids;
pub mod language;
pub mod lifecycle;
pub mod model;
pub mod money;
pub mod names;
pub mod orders;
pub mod partner_center;
pub mod permissions;
pub mod pricing;
pub mod reconciliation;
pub mod reduction_window;
pub mod refusals;
pub mod renewals;
pub mod roles;
pub mod rules;
pub mod seats;
pub mod statements;
pub mod status;
pub mod team;

pub use api::{ErrorBody, ErrorCode};
pub use ids::{AgentId, CustomerId, OfferId, PartnerId, SubscriptionId};
pub use model::{Channel, Customer, Offer, Role, Status, Subscription};
pub use rules::RuleError;
pub use seats::{SeatBounds, SeatCount, SeatError, SeatInput};
