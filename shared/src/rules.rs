//! Every refusal of a domain rule, with the words the agent reads and the code a client keys on.

use crate::error_code::ErrorCode;
use crate::ids::OfferId;
use crate::model::{Role, SeatBounds, Status};
use crate::roles::{Permission, role_allows};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// The agent's role does not allow this (the table in `roles`).
    RoleNotAllowed {
        role: Role,
        permission: Permission,
    },
    /// Bought directly by the customer: only the customer can change it.
    BoughtDirectly,
    /// Seats change only on an active subscription.
    SeatsWhileSuspended,
    /// The seat count is not valid for the offer.
    Seats(SeatError),
    /// The new seat count equals the current one.
    QuantityUnchanged {
        quantity: u32,
    },
    /// The subscription already has the requested status.
    StatusUnchanged {
        status: Status,
    },
    /// A status other than "active" or "suspended" was asked for.
    UnknownStatus {
        given: String,
    },
    /// The partner may not sell this offer (or it does not exist: the answer is the same).
    OfferNotAuthorised {
        offer_id: OfferId,
    },
    /// A change request that changes nothing.
    NothingToChange,
    /// A change request that changes both seats and status.
    OneChangeAtATime,
    /// Not a domain name a customer could own.
    InvalidDomain {
        given: String,
        problem: DomainProblem,
    },
    /// Another customer of the partner already has this primary domain.
    DomainTaken {
        domain: String,
    },
    /// A name (company or person) that is empty, too long or holds control characters.
    InvalidName {
        field: &'static str,
        max: usize,
    },
    InvalidEmail {
        given: String,
    },
    /// Longer than any e-mail address can be.
    EmailTooLong {
        max: usize,
    },
    /// The e-mail is not in one of the partner's own domains (`partner domain add`); `owned`
    /// lists those, comma-separated.
    EmailDomainNotOwned {
        domain: String,
        owned: String,
    },
    /// Another agent already signs in with this e-mail.
    EmailTaken {
        email: String,
    },
    WeakPassword {
        min: usize,
        max: usize,
    },
    /// The current password given to change it is not the agent's.
    WrongPassword,
    /// The new password is the current one.
    PasswordUnchanged,
    UnknownRole {
        given: String,
    },
    /// The change would leave the partner without an active admin agent.
    LastAdmin,
    /// Auto-renew changes only on an active subscription.
    AutoRenewWhileSuspended,
    /// Auto-renew is already as asked.
    AutoRenewUnchanged {
        on: bool,
    },
    /// Cancelled, Expired, Disabled or Deleted: read-only for good.
    SubscriptionEnded {
        status: Status,
    },
    /// Only an active subscription can be cancelled (this one is suspended).
    CancelOnlyActive,
    /// Cancelling is possible only within 7 days of the order; `closed_at` is RFC 3339.
    CancellationWindowClosed {
        closed_at: String,
    },
    /// Imported, not ordered in this console: its order (and cancel window) happened elsewhere.
    NotOrderedHere,
    /// A change for the renewal needs auto-renew on.
    ScheduleNeedsAutoRenew,
    /// The scheduled change asked for is what the renewal does anyway.
    ScheduleUnchanged {
        quantity: u32,
        term: crate::model::Term,
    },
    /// Nothing is scheduled to remove.
    NothingScheduled,
    /// A decrease beyond the seats still inside a 7-day reduction window.
    ReductionWindowClosed {
        /// Seats that can still be removed now.
        removable: u32,
        /// RFC 3339: until when (the latest open window), if any can.
        until: Option<String>,
    },
}

impl RuleError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RuleError::RoleNotAllowed { .. } => ErrorCode::RoleNotAllowed,
            RuleError::BoughtDirectly => ErrorCode::BoughtDirectly,
            RuleError::SeatsWhileSuspended => ErrorCode::SubscriptionSuspended,
            RuleError::Seats(_) => ErrorCode::InvalidQuantity,
            RuleError::QuantityUnchanged { .. } => ErrorCode::QuantityUnchanged,
            RuleError::StatusUnchanged { .. } => ErrorCode::StatusUnchanged,
            RuleError::UnknownStatus { .. } => ErrorCode::InvalidStatus,
            RuleError::OfferNotAuthorised { .. } => ErrorCode::OfferNotAuthorised,
            RuleError::NothingToChange | RuleError::OneChangeAtATime => ErrorCode::InvalidChange,
            RuleError::InvalidDomain { .. } => ErrorCode::InvalidDomain,
            RuleError::DomainTaken { .. } => ErrorCode::DomainTaken,
            RuleError::InvalidName { .. } => ErrorCode::InvalidName,
            RuleError::InvalidEmail { .. } | RuleError::EmailTooLong { .. } => {
                ErrorCode::InvalidEmail
            }
            RuleError::EmailDomainNotOwned { .. } => ErrorCode::EmailDomainNotOwned,
            RuleError::EmailTaken { .. } => ErrorCode::EmailTaken,
            RuleError::WeakPassword { .. } => ErrorCode::WeakPassword,
            RuleError::WrongPassword => ErrorCode::WrongPassword,
            RuleError::PasswordUnchanged => ErrorCode::WeakPassword,
            RuleError::UnknownRole { .. } => ErrorCode::InvalidRole,
            RuleError::LastAdmin => ErrorCode::LastAdmin,
            RuleError::ReductionWindowClosed { .. } => ErrorCode::SeatReductionWindowClosed,
            RuleError::AutoRenewWhileSuspended => ErrorCode::SubscriptionSuspended,
            RuleError::AutoRenewUnchanged { .. } => ErrorCode::InvalidChange,
            RuleError::SubscriptionEnded { .. } => ErrorCode::SubscriptionEnded,
            RuleError::CancelOnlyActive => ErrorCode::SubscriptionSuspended,
            RuleError::CancellationWindowClosed { .. } | RuleError::NotOrderedHere => {
                ErrorCode::CancellationWindowClosed
            }
            RuleError::ScheduleNeedsAutoRenew => ErrorCode::AutoRenewOff,
            RuleError::ScheduleUnchanged { .. } | RuleError::NothingScheduled => {
                ErrorCode::InvalidChange
            }
        }
    }

    /// The request field the error is about, so a form can show it next to that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            RuleError::Seats(_)
            | RuleError::ReductionWindowClosed { .. }
            | RuleError::QuantityUnchanged { .. }
            | RuleError::SeatsWhileSuspended => Some("quantity"),
            RuleError::StatusUnchanged { .. }
            | RuleError::UnknownStatus { .. }
            | RuleError::CancelOnlyActive
            | RuleError::CancellationWindowClosed { .. }
            | RuleError::NotOrderedHere => Some("status"),
            RuleError::ScheduleNeedsAutoRenew
            | RuleError::ScheduleUnchanged { .. }
            | RuleError::NothingScheduled => Some("scheduled_change"),
            RuleError::OfferNotAuthorised { .. } => Some("offer_id"),
            RuleError::InvalidDomain { .. } | RuleError::DomainTaken { .. } => Some("domain"),
            RuleError::AutoRenewWhileSuspended | RuleError::AutoRenewUnchanged { .. } => {
                Some("auto_renew")
            }
            RuleError::InvalidName { field, .. } => Some(field),
            RuleError::InvalidEmail { .. }
            | RuleError::EmailTooLong { .. }
            | RuleError::EmailDomainNotOwned { .. }
            | RuleError::EmailTaken { .. } => Some("email"),
            RuleError::WeakPassword { .. } => Some("password"),
            RuleError::PasswordUnchanged => Some("new_password"),
            RuleError::WrongPassword => Some("current_password"),
            RuleError::UnknownRole { .. } => Some("role"),
            RuleError::RoleNotAllowed { .. }
            | RuleError::LastAdmin
            | RuleError::BoughtDirectly
            | RuleError::SubscriptionEnded { .. }
            | RuleError::NothingToChange
            | RuleError::OneChangeAtATime => None,
        }
    }
}

impl std::error::Error for RuleError {}

/// `Ok` if the role may, else the refusal every client shows.
pub fn ensure_allowed(role: Role, permission: Permission) -> Result<(), RuleError> {
    if role_allows(role, permission) {
        Ok(())
    } else {
        Err(RuleError::RoleNotAllowed { role, permission })
    }
}

/// Why a seat count is refused; every message names the offer's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatError {
    pub kind: SeatErrorKind,
    pub bounds: SeatBounds,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatErrorKind {
    Missing,
    NotANumber,
    NotWhole,
    TooFew,
    TooMany,
}

impl SeatErrorKind {
    pub const ALL: [SeatErrorKind; 5] = [
        SeatErrorKind::Missing,
        SeatErrorKind::NotANumber,
        SeatErrorKind::NotWhole,
        SeatErrorKind::TooFew,
        SeatErrorKind::TooMany,
    ];
}

/// What is wrong with a domain name, so each language can say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainProblem {
    Empty,
    NoDot,
    EmptyLabel,
    BadCharacter,
    HyphenAtEdge,
    LabelTooLong,
    TooLong,
    NumericTld,
}

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
