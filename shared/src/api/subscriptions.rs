//! A subscription as the API shows it, and the changes and orders asked of it.

use serde::{Deserialize, Serialize};

use crate::ids::OfferId;
use crate::model::{Role, Status, Subscription};
use crate::permissions::{SubscriptionAction, UnavailableAction, actions_for};
use crate::reduction_window::{ReducibleSeats, reducible_seats};
use crate::rules::RuleError;
use crate::seats::SeatInput;
use crate::status::parse_status;

/// `PATCH /api/subscriptions/{id}`: exactly one of the fields.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeSubscriptionRequest {
    /// New seat count (a whole number within the offer's bounds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 1))]
    pub quantity: Option<SeatInput>,
    /// New status: `active`, `suspended` (turns auto-renew off) or `cancelled` (within 7 days of
    /// the order, with a refund; final).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Status>))]
    pub status: Option<String>,
    /// Turn auto-renew on or off (an active, partner-bought subscription).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<bool>,
    /// The change for the next renewal (`{"quantity": 5, "term": "monthly"}`), or `null` to
    /// remove the one scheduled. Needs auto-renew on.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ScheduledChangeRequest>, nullable = true))]
    pub scheduled_change: Option<Option<ScheduledChangeRequest>>,
}

/// A field that is there, even as `null` (`Some(None)`), told apart from one left out (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Seats and term for the next renewal; the term defaults to the current one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduledChangeRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1))]
    pub quantity: SeatInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<crate::model::Term>,
}

/// What a change request asks for, once read.
#[derive(Clone, Debug, PartialEq)]
pub enum SubscriptionChange {
    Quantity(SeatInput),
    Status(Status),
    AutoRenew(bool),
    /// Seats and term for the renewal (the term filled in from the subscription), or `None`
    /// to remove the scheduled change.
    Schedule(Option<ScheduledChangeRequest>),
}

impl ChangeSubscriptionRequest {
    pub fn quantity(seats: impl Into<SeatInput>) -> Self {
        ChangeSubscriptionRequest {
            quantity: Some(seats.into()),
            ..Default::default()
        }
    }

    pub fn status(status: Status) -> Self {
        ChangeSubscriptionRequest {
            status: Some(status.as_str().to_owned()),
            ..Default::default()
        }
    }

    pub fn auto_renew(on: bool) -> Self {
        ChangeSubscriptionRequest {
            auto_renew: Some(on),
            ..Default::default()
        }
    }

    pub fn schedule(change: Option<ScheduledChangeRequest>) -> Self {
        ChangeSubscriptionRequest {
            scheduled_change: Some(change),
            ..Default::default()
        }
    }

    pub fn into_change(self) -> Result<SubscriptionChange, RuleError> {
        let asked = usize::from(self.quantity.is_some())
            + usize::from(self.status.is_some())
            + usize::from(self.auto_renew.is_some())
            + usize::from(self.scheduled_change.is_some());
        match (
            self.quantity,
            self.status,
            self.auto_renew,
            self.scheduled_change,
        ) {
            _ if asked > 1 => Err(RuleError::OneChangeAtATime),
            (Some(q), ..) => Ok(SubscriptionChange::Quantity(q)),
            (_, Some(s), ..) => parse_status(&s).map(SubscriptionChange::Status),
            (_, _, Some(on), _) => Ok(SubscriptionChange::AutoRenew(on)),
            (.., Some(schedule)) => Ok(SubscriptionChange::Schedule(schedule)),
            _ => Err(RuleError::NothingToChange),
        }
    }
}

/// `POST /api/customers/{id}/subscriptions`, sent with an `Idempotency-Key` header.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSubscriptionRequest {
    pub offer_id: OfferId,
    /// Seats: a whole number within the offer's bounds.
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1))]
    pub quantity: SeatInput,
}

/// A subscription as the API returns it: its data, plus what the signed-in agent may do with
/// it and why not the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionView {
    #[serde(flatten)]
    pub subscription: Subscription,
    pub allowed_actions: Vec<SubscriptionAction>,
    pub unavailable_actions: Vec<UnavailableAction>,
    /// Seats that can still be removed, and until when (the 7-day reduction window).
    #[serde(default)]
    pub reducible_seats: ReducibleSeats,
    /// The server's time when it made this view (RFC 3339): what the windows are counted from.
    #[serde(default)]
    pub as_of: String,
    /// A change made here that Partner Center has not confirmed yet (connected partners only):
    /// until it is answered, retried or discarded, the subscription takes no other change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_change: Option<crate::api::PendingChange>,
    /// What a seat costs the partner a month (Microsoft's price list), for roles that see
    /// costs; `price_per_seat_cents` is then the customer's price, by the partner's rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_seat_cents: Option<i64>,
    /// Which of the partner's price rules gave `price_per_seat_cents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_source: Option<crate::pricing::PriceSource>,
}

impl SubscriptionView {
    /// The view priced by `quote`: the customer's price, and the cost when the quote has it.
    pub fn priced(mut self, quote: crate::pricing::Quote) -> Self {
        self.subscription.price_per_seat_cents = quote.price_per_seat_cents();
        self.cost_per_seat_cents = quote.cost;
        self.price_source = Some(quote.source);
        self
    }

    /// The subscription as the agent sees it at `now` (Unix seconds).
    pub fn new(subscription: Subscription, role: Role, now: i64) -> Self {
        let (allowed_actions, unavailable_actions) = actions_for(&subscription, role, now);
        let reducible_seats =
            reducible_seats(&subscription.seat_batches, subscription.quantity, now);
        SubscriptionView {
            subscription,
            allowed_actions,
            unavailable_actions,
            reducible_seats,
            as_of: crate::calendar::rfc3339(now),
            pending_change: None,
            cost_per_seat_cents: None,
            price_source: None,
        }
    }

    /// The view with a change waiting for Microsoft: every action waits for it too.
    pub fn with_pending(mut self, pending: Option<crate::api::PendingChange>) -> Self {
        if let Some(change) = &pending {
            let reason = match change.state {
                crate::api::PendingState::Pending => {
                    "A change is waiting for Microsoft: the subscription can be changed again once Partner Center has answered."
                }
                crate::api::PendingState::Failed => {
                    "A change Microsoft did not answer must be retried or discarded first."
                }
                // Closed: nothing waits (a refused change is never shown beside its subscription).
                crate::api::PendingState::Refused => return self,
            };
            for action in std::mem::take(&mut self.allowed_actions) {
                self.unavailable_actions.push(UnavailableAction {
                    action,
                    code: crate::error_code::ErrorCode::ChangeWaitingForMicrosoft,
                    reason: reason.to_owned(),
                });
            }
        }
        self.pending_change = pending;
        self
    }

    /// The view's own time, in Unix seconds (for rules checked in the browser).
    pub fn as_of_unix(&self) -> i64 {
        crate::calendar::parse_rfc3339(&self.as_of).unwrap_or(0)
    }
}
