//! The HTTP API's bodies, its error codes and its small conventions (paging, ETags,
//! idempotency keys), shared by the server that answers and the browser that asks. One file
//! per concern; everything is re-exported here, so `shared::api::X` names any of them.

pub mod customers;
pub mod errors;
pub mod events;
pub mod headers;
pub mod paging;
pub mod partner_center;
pub mod prices;
pub mod session;
pub mod subscriptions;
pub mod team;

pub use crate::error_code::ErrorCode;
pub use customers::*;
pub use errors::*;
pub use events::*;
pub use headers::*;
pub use paging::*;
pub use partner_center::*;
pub use prices::*;
pub use session::*;
pub use subscriptions::*;
pub use team::*;

#[cfg(test)]
mod tests;
