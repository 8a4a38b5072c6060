//! A change waiting for Microsoft, and Microsoft's own words when it refused one, as the API
//! shows them (the rules are `crate::partner_center`).

use serde::{Deserialize, Serialize};

use crate::api::EventAction;
use crate::ids::{CustomerId, OfferId, SubscriptionId};
use crate::model::Status;

/// How a change that Partner Center has not confirmed stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PendingState {
    /// Sent, or to be sent again: "waiting for Microsoft".
    Pending,
    /// Microsoft did not answer after `partner_center::MAX_ATTEMPTS`: an agent retries or discards it.
    Failed,
    /// Microsoft refused it (nothing changed, nothing bought). Listed only among what the
    /// partner has waited for lately (`MicrosoftQueue`), for a week.
    Refused,
}

/// A change of a subscription made in the console but not yet confirmed by Partner Center.
/// The subscription shows its values as they were until Microsoft answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingChange {
    /// The change's id: also the `MS-RequestId` of every attempt, so that Partner Center
    /// applies it once however often it is sent.
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: String,
    pub state: PendingState,
    pub action: EventAction,
    /// What the change asks for, e.g. seats 10 → 12 (the values it will have).
    pub quantity: u32,
    pub status: Status,
    pub auto_renew: bool,
    /// Attempts made so far.
    pub attempts: u32,
    /// Why the last attempt got no answer (a timeout, Partner Center's 503, a 429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// RFC 3339: when the next attempt is due (pending only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    /// The agent who made it, and when (RFC 3339).
    pub requested_by: String,
    pub requested_at: String,
}

/// Microsoft's code and words when Partner Center refused a change, carried in the error body
/// beside the console's own code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerCenterError {
    /// Partner Center's error code (e.g. `800002`), or the HTTP status when it sent none.
    pub code: String,
    pub description: String,
}

/// An order of a connected partner that Partner Center has not confirmed yet (its cart,
/// checkout or provisioning still to be answered). The subscription shows in the console once
/// Microsoft has created it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingOrder {
    /// The order's id in the console (the `MS-RequestId` of its cart).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: String,
    pub customer_id: CustomerId,
    pub offer_id: OfferId,
    pub quantity: u32,
    pub state: PendingState,
    /// Where Partner Center has got to: `cart` (no cart yet), `checkout` (cart made, not
    /// ordered), `provisioning` (ordered; Microsoft is creating the subscription).
    pub stage: OrderStage,
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    pub requested_by: String,
    pub requested_at: String,
}

/// How far an order through Partner Center has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStage {
    Cart,
    Checkout,
    Provisioning,
}

impl OrderStage {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStage::Cart => "cart",
            OrderStage::Checkout => "checkout",
            OrderStage::Provisioning => "provisioning",
        }
    }
}

/// What a partner has waiting for Microsoft, and what Microsoft refused in the last week,
/// across its customers (the Activity page's "Waiting for Microsoft").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicrosoftQueue {
    pub changes: Vec<QueuedChange>,
    pub orders: Vec<QueuedOrder>,
}

/// A change in the queue, with what it changes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedChange {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub subscription_id: SubscriptionId,
    pub offer_name: String,
    /// The subscription's values when the change was asked.
    pub from_quantity: u32,
    pub from_status: Status,
    pub change: PendingChange,
}

/// An order in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedOrder {
    pub customer_name: String,
    pub offer_name: String,
    pub order: PendingOrder,
}
