//! The codes every error of the API carries: the bottom floor, below every rule.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable reason for every error the API returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body or a parameter could not be read (bad JSON, wrong shape, bad header).
    MalformedRequest,
    /// A parameter was read but is outside its bounds (`field` names it, the message the bounds).
    ParameterOutOfRange,
    NotSignedIn,
    InvalidCredentials,
    /// The agent's role does not allow this (admin, sales, helpdesk, read-only: `roles`).
    RoleNotAllowed,
    BoughtDirectly,
    /// Unknown id, or one that belongs to another partner: the two are indistinguishable.
    NotFound,
    MethodNotAllowed,
    /// The change was based on an old version; the body carries the current one.
    VersionConflict,
    BodyTooLarge,
    UnsupportedMediaType,
    InvalidQuantity,
    QuantityUnchanged,
    SubscriptionSuspended,
    StatusUnchanged,
    InvalidStatus,
    InvalidChange,
    OfferNotAuthorised,
    /// An idempotency key was used again with a different request.
    IdempotencyKeyReused,
    IfMatchRequired,
    IdempotencyKeyRequired,
    /// Too many sign-in attempts for one e-mail; `retry_after_seconds` says when to try again.
    TooManyAttempts,
    Internal,
    /// The database is not answering or cannot save right now (disk full, stalled, timed
    /// out); nothing was lost. `retry_after_seconds` says when to try again.
    StorageUnavailable,
    /// Too many sign-ins are being checked at once; `retry_after_seconds` says when to retry.
    ServerBusy,
    /// The request was not answered within the server's time limit (a slow upload, a slow
    /// database). A change may still have been saved: read it again before retrying.
    RequestTimeout,
    InvalidDomain,
    /// Another customer of the partner already has this primary domain.
    DomainTaken,
    InvalidName,
    InvalidEmail,
    /// Another agent already signs in with this e-mail.
    EmailTaken,
    /// The e-mail's domain is not one the partner owns: agents are added in those only.
    EmailDomainNotOwned,
    WeakPassword,
    WrongPassword,
    InvalidRole,
    /// The change would leave the partner without an active admin.
    LastAdmin,
    /// The agent's access was disabled by an admin: no sign-in, no session.
    AgentDisabled,
    /// Sign-in token: no active agent with the e-mail it names.
    UnknownAgent,
    /// Sign-in token: not a JWT, or its claims are missing or wrong.
    TokenMalformed,
    /// Sign-in token: signed with another algorithm than the one configured (`none` included).
    TokenAlgorithmRefused,
    TokenBadSignature,
    TokenExpired,
    /// Sign-in token: issued in the future, or valid for longer than 5 minutes.
    TokenNotYetValid,
    TokenLifetimeTooLong,
    /// Sign-in token: its `jti` was already exchanged once.
    TokenReplayed,
    /// The agent must choose their own password before anything else.
    PasswordChangeRequired,
    /// A decrease beyond the seats added within the last 7 days.
    SeatReductionWindowClosed,
    /// Cancelled, Expired, Disabled or Deleted: the subscription is read-only for good.
    SubscriptionEnded,
    /// Cancelling is possible only within 7 days of the order.
    CancellationWindowClosed,
    /// A change for the renewal needs auto-renew on.
    AutoRenewOff,
    /// Partner Center refused the change (`partner_center` holds Microsoft's code and words);
    /// nothing was changed here or there.
    PartnerCenterRefused,
    /// An earlier change of this subscription is still waiting for Microsoft: it is answered
    /// (or retried, or discarded) first.
    ChangeWaitingForMicrosoft,
    /// This order cannot go through Partner Center as asked (its offer has no catalog item id).
    OrderNeedsPartnerCenter,
    /// Partner Center asked this partner to slow down (its 429): nothing was sent;
    /// `retry_after_seconds` says when to try again.
    PartnerCenterThrottled,
    /// A price rule or a price that cannot be saved (an amount, a markup, a date, a scope):
    /// the message says which and why; `field` names it.
    InvalidPrice,
    /// A file that cannot be imported (Microsoft's reconciliation file): `lines` gives each
    /// refused line in words; nothing was kept.
    InvalidFile,
    /// A code this client does not know yet (sent by a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedRequest => 400,
            ParameterOutOfRange => 422,
            NotSignedIn
            | InvalidCredentials
            | AgentDisabled
            | UnknownAgent
            | TokenMalformed
            | TokenAlgorithmRefused
            | TokenBadSignature
            | TokenExpired
            | TokenNotYetValid
            | TokenLifetimeTooLong
            | TokenReplayed => 401,
            RoleNotAllowed | BoughtDirectly | PasswordChangeRequired => 403,
            DomainTaken | EmailTaken => 409,
            NotFound => 404,
            MethodNotAllowed => 405,
            VersionConflict => 409,
            BodyTooLarge => 413,
            UnsupportedMediaType => 415,
            InvalidQuantity
            | QuantityUnchanged
            | SubscriptionSuspended
            | StatusUnchanged
            | InvalidStatus
            | InvalidChange
            | InvalidPrice
            | InvalidFile
            | OfferNotAuthorised
            | IdempotencyKeyReused
            | InvalidDomain
            | InvalidName
            | InvalidEmail
            | EmailDomainNotOwned
            | WeakPassword
            | WrongPassword
            | InvalidRole
            | LastAdmin
            | SeatReductionWindowClosed
            | SubscriptionEnded
            | CancellationWindowClosed
            | AutoRenewOff
            | PartnerCenterRefused
            | OrderNeedsPartnerCenter => 422,
            ChangeWaitingForMicrosoft => 409,
            IfMatchRequired | IdempotencyKeyRequired => 428,
            TooManyAttempts | PartnerCenterThrottled => 429,
            Internal | Unknown => 500,
            StorageUnavailable | ServerBusy | RequestTimeout => 503,
        }
    }
}
