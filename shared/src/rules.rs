//! Every refusal of a domain rule, with the words the agent reads and the code a client keys on.

use std::fmt;

use crate::api::ErrorCode;
use crate::ids::OfferId;
use crate::model::Status;
use crate::seats::SeatError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// The agent's role may only look.
    ReadOnlyAgent,
    /// Bought directly by the customer: only the customer can change it.
    BoughtDirectly,
    /// Seats change only on an active subscription.
    SeatsWhileSuspended,
    /// The seat count is not valid for the offer.
    Seats(SeatError),
    /// The new seat count equals the current one.
    QuantityUnchanged { quantity: u32 },
    /// The subscription already has the requested status.
    StatusUnchanged { status: Status },
    /// A status other than "active" or "suspended" was asked for.
    UnknownStatus { given: String },
    /// The partner may not sell this offer (or it does not exist: the answer is the same).
    OfferNotAuthorised { offer_id: OfferId },
    /// A change request that changes nothing.
    NothingToChange,
    /// A change request that changes both seats and status.
    OneChangeAtATime,
}

impl RuleError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RuleError::ReadOnlyAgent => ErrorCode::ReadOnlyAgent,
            RuleError::BoughtDirectly => ErrorCode::BoughtDirectly,
            RuleError::SeatsWhileSuspended => ErrorCode::SubscriptionSuspended,
            RuleError::Seats(_) => ErrorCode::InvalidQuantity,
            RuleError::QuantityUnchanged { .. } => ErrorCode::QuantityUnchanged,
            RuleError::StatusUnchanged { .. } => ErrorCode::StatusUnchanged,
            RuleError::UnknownStatus { .. } => ErrorCode::InvalidStatus,
            RuleError::OfferNotAuthorised { .. } => ErrorCode::OfferNotAuthorised,
            RuleError::NothingToChange | RuleError::OneChangeAtATime => ErrorCode::InvalidChange,
        }
    }

    /// The request field the error is about, so a form can show it next to that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            RuleError::Seats(_)
            | RuleError::QuantityUnchanged { .. }
            | RuleError::SeatsWhileSuspended => Some("quantity"),
            RuleError::StatusUnchanged { .. } | RuleError::UnknownStatus { .. } => Some("status"),
            RuleError::OfferNotAuthorised { .. } => Some("offer_id"),
            RuleError::ReadOnlyAgent
            | RuleError::BoughtDirectly
            | RuleError::NothingToChange
            | RuleError::OneChangeAtATime => None,
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::ReadOnlyAgent => {
                f.write_str("Your role is read-only: ask an admin agent to make this change.")
            }
            RuleError::BoughtDirectly => f.write_str(
                "This subscription was bought directly by the customer and can only be changed by them.",
            ),
            RuleError::SeatsWhileSuspended => f.write_str(
                "This subscription is suspended: activate it before changing its seats.",
            ),
            RuleError::Seats(e) => e.fmt(f),
            RuleError::QuantityUnchanged { quantity } => write!(
                f,
                "The subscription already has {quantity} seats: enter a different number."
            ),
            RuleError::StatusUnchanged { status } => {
                write!(f, "The subscription is already {status}.")
            }
            RuleError::UnknownStatus { given } => {
                write!(f, "Status must be \"active\" or \"suspended\", not \"{given}\".")
            }
            RuleError::OfferNotAuthorised { offer_id } => write!(
                f,
                "Your partner account is not authorised to sell the offer \"{offer_id}\"."
            ),
            RuleError::NothingToChange => {
                f.write_str("Nothing to change: send a new \"quantity\" or a new \"status\".")
            }
            RuleError::OneChangeAtATime => f.write_str(
                "Change one thing at a time: send either \"quantity\" or \"status\", not both.",
            ),
        }
    }
}

impl std::error::Error for RuleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(
            RuleError::BoughtDirectly.to_string(),
            "This subscription was bought directly by the customer and can only be changed by them."
        );
        assert_eq!(RuleError::BoughtDirectly.code().http_status(), 403);
        assert_eq!(RuleError::ReadOnlyAgent.code().http_status(), 403);
        assert_eq!(RuleError::NothingToChange.code().http_status(), 422);
        assert_eq!(
            RuleError::StatusUnchanged {
                status: Status::Suspended
            }
            .to_string(),
            "The subscription is already suspended."
        );
    }
}
