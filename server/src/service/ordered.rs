//! What an order's request ends with, whichever way it was placed: here (the console its own
//! record) or through Partner Center's cart and checkout.

use shared::api::PendingOrder;
use shared::model::Subscription;

/// A new subscription, and whether it answers a retry of an order already made.
pub struct Ordered {
    pub subscription: Subscription,
    pub replayed: bool,
}

/// How an order's request ends.
pub enum OrderAnswer {
    /// The subscription exists (just made, or the first answer to this key).
    Created(Ordered),
    /// Microsoft has not confirmed it yet: HTTP 202.
    Waiting(PendingOrder),
}
