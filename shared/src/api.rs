//! The HTTP API's bodies, its error codes and its small conventions (paging, ETags,
//! idempotency keys), shared by the server that answers and the browser that asks.

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, OfferId, PartnerId, SubscriptionId};
use crate::model::{Role, Status, Subscription, SubscriptionSnapshot};
use crate::permissions::{SubscriptionAction, UnavailableAction, actions_for};
use crate::reduction_window::{ReducibleSeats, reducible_seats};
use crate::rules::RuleError;
use crate::seats::SeatInput;
use crate::status::parse_status;

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
            | AutoRenewOff => 422,
            IfMatchRequired | IdempotencyKeyRequired => 428,
            TooManyAttempts => 429,
            Internal | Unknown => 500,
            StorageUnavailable | ServerBusy | RequestTimeout => 503,
        }
    }
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A sentence for the agent, naming what is wrong.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `version_conflict`: the subscription as it is now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<SubscriptionView>>,
    /// With `too_many_attempts`: seconds until an attempt will be accepted again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            field: None,
            current: None,
            retry_after_seconds: None,
        }
    }
}

impl From<&RuleError> for ErrorBody {
    fn from(e: &RuleError) -> Self {
        ErrorBody {
            field: e.field().map(str::to_owned),
            ..ErrorBody::new(e.code(), e.to_string())
        }
    }
}

/// `POST /api/session`
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

/// `GET /api/session`: who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub agent: AgentInfo,
    pub partner: PartnerInfo,
    /// The agent signed in with a password someone else chose (a one-time password): until
    /// they choose their own (`POST /api/session/password`), every other request is refused
    /// with `password_change_required`.
    #[serde(default)]
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentInfo {
    pub id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerInfo {
    pub id: PartnerId,
    pub name: String,
}

/// One page of a longer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many there are; with `total_is_at_least`, how many were counted before counting
    /// stopped ("1,000+").
    pub total: u64,
    #[serde(default)]
    pub total_is_at_least: bool,
    /// Whether a page follows this one.
    #[serde(default)]
    pub has_next: bool,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// A page from up to `per_page + 1` rows (the extra one only says a next page exists) and
    /// a count that stopped at `limit + 1`.
    pub fn from_rows(mut items: Vec<T>, counted: u64, limit: u64, request: PageRequest) -> Self {
        let per_page = request.per_page as usize;
        let has_next = items.len() > per_page;
        items.truncate(per_page);
        Page {
            items,
            total: counted.min(limit),
            total_is_at_least: counted > limit,
            has_next,
            page: request.page,
            per_page: request.per_page,
        }
    }
}

/// A whole (short) list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemList<T> {
    pub items: Vec<T>,
}

/// Which page of a list to return: 1-based, at most [`PageRequest::MAX_PER_PAGE`] items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

/// A query parameter or header that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidParameter {
    pub field: &'static str,
    pub message: String,
    /// A well-formed value past its bounds (422), not one that could not be read (400).
    pub out_of_range: bool,
}

/// How many matches a search counts, and pages through, before it says "1,000+": a search
/// that matches more is narrowed by typing, not read page by page (exports give them all).
pub const SEARCH_LIMIT: u32 = 1000;

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u32 = 25;

    /// A search's pages end with its first [`SEARCH_LIMIT`] matches.
    pub fn check_search_depth(self) -> Result<Self, InvalidParameter> {
        if self.offset() < u64::from(SEARCH_LIMIT) {
            return Ok(self);
        }
        Err(InvalidParameter {
            out_of_range: true,
            field: "page",
            message: format!(
                "A search shows its first {SEARCH_LIMIT} matches, and page {} of {} starts after them: type more of the name or domain to narrow it, or export the list.",
                self.page, self.per_page
            ),
        })
    }
    pub const MAX_PER_PAGE: u32 = 100;

    /// Reads `page` and `per_page` as they arrive in a query string.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, InvalidParameter> {
        let number = |field: &'static str, raw: Option<&str>, default: u32, max: u32| match raw
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(default),
            // Digits only: no sign, no space inside (as the OpenAPI pattern says).
            Some(s) => match s
                .parse::<u32>()
                .ok()
                .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
            {
                Some(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(InvalidParameter {
                    // A number, just not one allowed (422); anything else is unreadable (400).
                    out_of_range: s.bytes().all(|b| b.is_ascii_digit()),
                    field,
                    message: format!("\"{field}\" must be a whole number from 1 to {max}."),
                }),
            },
        };
        Ok(PageRequest {
            page: number("page", page, 1, 1_000_000)?,
            per_page: number(
                "per_page",
                per_page,
                Self::DEFAULT_PER_PAGE,
                Self::MAX_PER_PAGE,
            )?,
        })
    }

    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

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
}

impl SubscriptionView {
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
        }
    }

    /// The view's own time, in Unix seconds (for rules checked in the browser).
    pub fn as_of_unix(&self) -> i64 {
        crate::calendar::parse_rfc3339(&self.as_of).unwrap_or(0)
    }
}

/// What an audit event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    Created,
    QuantityChanged,
    StatusChanged,
    AutoRenewChanged,
    /// A change for the renewal was scheduled, changed or removed.
    RenewalScheduled,
    /// The term ended and a new one began (by "renewal", not an agent).
    Renewed,
    /// A line of a subscriptions import created or changed it (by "import"; `source` names
    /// the file and line).
    Imported,
}

impl EventAction {
    pub const ALL: [EventAction; 7] = [
        EventAction::Created,
        EventAction::QuantityChanged,
        EventAction::StatusChanged,
        EventAction::AutoRenewChanged,
        EventAction::RenewalScheduled,
        EventAction::Renewed,
        EventAction::Imported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventAction::Created => "created",
            EventAction::QuantityChanged => "quantity_changed",
            EventAction::StatusChanged => "status_changed",
            EventAction::AutoRenewChanged => "auto_renew_changed",
            EventAction::RenewalScheduled => "renewal_scheduled",
            EventAction::Renewed => "renewed",
            EventAction::Imported => "imported",
        }
    }
}

impl std::str::FromStr for EventAction {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        EventAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or(())
    }
}

/// Who the audit trail names for what the end of a term does (renewal, expiry, deletion).
pub const RENEWAL_ACTOR: &str = "renewal";
/// Who the audit trail names for what a subscriptions import changed.
pub const IMPORT_ACTOR: &str = "import";

/// One entry of a subscription's audit trail: who did what, when, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionEvent {
    pub id: i64,
    pub subscription_id: SubscriptionId,
    /// RFC 3339, UTC.
    pub at: String,
    /// `None` when the end of a term or an import made the change (`agent_email` is then
    /// [`RENEWAL_ACTOR`] or [`IMPORT_ACTOR`]).
    pub agent_id: Option<AgentId>,
    pub agent_email: String,
    pub action: EventAction,
    /// `None` for the event that created the subscription.
    pub before: Option<SubscriptionSnapshot>,
    pub after: SubscriptionSnapshot,
    /// Where an imported change came from: `Subscriptions.csv, line 4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What a cancellation refunded, in the offer's currency's minor unit. (Not read by the
    /// browser app, which shows the refund before Cancel: left out of its build.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", serde(skip))]
    pub refund_cents: Option<i64>,
}

/// A page of a subscription's audit trail: its latest changes, oldest first within the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPage {
    pub items: Vec<SubscriptionEvent>,
    /// The `before` of the page of older changes, if there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<i64>,
}

/// Which changes of a subscription's audit trail: the `limit` latest before the change `before`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventsRequest {
    pub before: Option<i64>,
    pub limit: u32,
}

impl EventsRequest {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 500;

    /// Reads `before` and `limit` as they arrive in a query string: digits only.
    pub fn parse(before: Option<&str>, limit: Option<&str>) -> Result<Self, InvalidParameter> {
        fn given(raw: Option<&str>) -> Option<&str> {
            raw.map(str::trim).filter(|s| !s.is_empty())
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let before = match given(before) {
            None => None,
            Some(s) => Some(s.parse::<i64>().ok().filter(|_| digits(s)).ok_or_else(|| {
                InvalidParameter {
                    out_of_range: false,
                    field: "before",
                    message: "\"before\" must be the `earlier` of the page before.".to_owned(),
                }
            })?),
        };
        let max = Self::MAX_LIMIT;
        let limit = match given(limit) {
            None => Self::DEFAULT_LIMIT,
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|n| digits(s) && (1..=max).contains(n))
                .ok_or_else(|| InvalidParameter {
                    out_of_range: digits(s),
                    field: "limit",
                    message: format!("\"limit\" must be a whole number from 1 to {max}."),
                })?,
        };
        Ok(EventsRequest { before, limit })
    }
}

/// The `ETag` of a subscription version: a strong tag, `"7"`.
pub fn etag_for(version: u64) -> String {
    format!("\"{version}\"")
}

/// Reads an `If-Match` header back into the version it names. Accepts `"7"` and `7`. A weak
/// tag (`W/"7"`) never matches: RFC 9110 §13.1.1 has `If-Match` compare strongly.
pub fn parse_if_match(header: &str) -> Result<u64, InvalidParameter> {
    let h = header.trim();
    if h.starts_with("W/") {
        return Err(InvalidParameter {
            out_of_range: false,
            field: "If-Match",
            message: format!(
                "If-Match compares entity tags strongly (RFC 9110), so the weak tag {} never matches: send the ETag as the subscription's answer gave it, e.g. \"3\".",
                h.chars().take(40).collect::<String>()
            ),
        });
    }
    let h = h
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(h);
    // The tag as the ETag wrote it, byte for byte: no sign, no leading zero ("04" is not "4").
    let canonical =
        !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()) && (h == "0" || !h.starts_with('0'));
    h.parse::<u64>()
        .ok()
        .filter(|_| canonical)
        .ok_or_else(|| InvalidParameter {
            out_of_range: false,
            field: "If-Match",
            message: "If-Match must be the ETag of the subscription as you read it, e.g. \"3\"."
                .to_owned(),
        })
}

/// The longest idempotency key accepted.
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 200;

/// Checks an `Idempotency-Key`: 1 to 200 visible ASCII characters (a UUID is typical).
pub fn parse_idempotency_key(header: &str) -> Result<&str, InvalidParameter> {
    let ok = !header.is_empty()
        && header.len() <= IDEMPOTENCY_KEY_MAX_LEN
        && header.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(header)
    } else {
        Err(InvalidParameter {
            out_of_range: false,
            field: "Idempotency-Key",
            message: format!(
                "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_LEN} visible characters, e.g. a UUID."
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;

    #[test]
    fn paging_defaults_bounds_and_messages() {
        assert_eq!(
            PageRequest::parse(None, None),
            Ok(PageRequest {
                page: 1,
                per_page: 25
            })
        );
        assert_eq!(
            PageRequest::parse(Some("3"), Some("100")),
            Ok(PageRequest {
                page: 3,
                per_page: 100
            })
        );
        assert_eq!(
            PageRequest::parse(Some("3"), Some("10")).unwrap().offset(),
            20
        );
        for (page, per_page, field) in [
            ("0", "10", "page"),
            ("-1", "10", "page"),
            ("x", "10", "page"),
            ("1", "101", "per_page"),
            ("1", "0", "per_page"),
            ("1", "2.5", "per_page"),
        ] {
            let e = PageRequest::parse(Some(page), Some(per_page)).unwrap_err();
            assert_eq!(e.field, field);
            assert!(e.message.contains(field));
        }
    }

    #[test]
    fn a_change_request_changes_exactly_one_thing() {
        let parse = |j: &str| serde_json::from_str::<ChangeSubscriptionRequest>(j);
        assert_eq!(
            parse(r#"{"quantity": 5}"#).unwrap().into_change(),
            Ok(SubscriptionChange::Quantity(5.into()))
        );
        assert_eq!(
            parse(r#"{"status": "suspended"}"#).unwrap().into_change(),
            Ok(SubscriptionChange::Status(Status::Suspended))
        );
        assert_eq!(
            parse("{}").unwrap().into_change(),
            Err(RuleError::NothingToChange)
        );
        assert_eq!(
            parse(r#"{"quantity": 5, "status": "active"}"#)
                .unwrap()
                .into_change(),
            Err(RuleError::OneChangeAtATime)
        );
        assert!(matches!(
            parse(r#"{"status": "expired"}"#).unwrap().into_change(),
            Err(RuleError::UnknownStatus { .. })
        ));
        assert_eq!(
            parse(r#"{"scheduled_change": null}"#)
                .unwrap()
                .into_change(),
            Ok(SubscriptionChange::Schedule(None))
        );
        assert!(matches!(
            parse(r#"{"scheduled_change": {"quantity": 4, "term": "monthly"}}"#)
                .unwrap()
                .into_change(),
            Ok(SubscriptionChange::Schedule(Some(_)))
        ));
        assert_eq!(
            parse(r#"{"scheduled_change": null, "auto_renew": true}"#)
                .unwrap()
                .into_change(),
            Err(RuleError::OneChangeAtATime)
        );
        assert!(
            parse(r#"{"seats": 5}"#).is_err(),
            "unknown fields are refused"
        );
    }

    #[test]
    fn event_pages_take_digits_within_bounds() {
        assert_eq!(
            EventsRequest::parse(None, None),
            Ok(EventsRequest {
                before: None,
                limit: 100
            })
        );
        assert_eq!(
            EventsRequest::parse(Some("42"), Some("500")),
            Ok(EventsRequest {
                before: Some(42),
                limit: 500
            })
        );
        assert!(
            EventsRequest::parse(None, Some("501"))
                .unwrap_err()
                .out_of_range
        );
        assert!(
            !EventsRequest::parse(None, Some("+5"))
                .unwrap_err()
                .out_of_range
        );
        assert!(EventsRequest::parse(Some("-1"), None).is_err());
    }

    #[test]
    fn etags_round_trip() {
        assert_eq!(etag_for(7), "\"7\"");
        assert_eq!(parse_if_match(&etag_for(7)), Ok(7));
        assert!(
            parse_if_match("W/\"7\"").is_err(),
            "a weak tag never matches"
        );
        assert_eq!(parse_if_match("7"), Ok(7));
        assert!(parse_if_match("*").is_err());
        assert!(parse_if_match("\"abc\"").is_err());
    }

    #[test]
    fn idempotency_keys() {
        assert!(parse_idempotency_key("0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d").is_ok());
        assert!(parse_idempotency_key("").is_err());
        assert!(parse_idempotency_key("has space").is_err());
        assert!(parse_idempotency_key(&"k".repeat(201)).is_err());
        assert!(parse_idempotency_key(&"k".repeat(200)).is_ok());
    }

    #[test]
    fn a_subscription_view_flattens_the_subscription_and_round_trips() {
        let view = SubscriptionView::new(subscription(), Role::Admin, 0);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["quantity"], 10);
        assert_eq!(json["status"], "active");
        assert_eq!(json["channel"], "partner");
        assert_eq!(
            json["allowed_actions"],
            serde_json::json!([
                "change_quantity",
                "suspend",
                "switch_auto_renew",
                "cancel",
                "manage_renewal"
            ])
        );
        let back: SubscriptionView = serde_json::from_value(json).unwrap();
        assert_eq!(back, view);
    }

    #[test]
    fn unknown_error_codes_still_parse() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"code":"from_the_future","message":"x"}"#).unwrap();
        assert_eq!(body.code, ErrorCode::Unknown);
    }
}

/// `POST /api/customers`: Add customer.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCustomerRequest {
    /// Company name, 1–200 characters.
    pub name: String,
    /// The customer's primary domain, e.g. `contoso.onmicrosoft.com`; unique within the partner.
    pub domain: String,
}

/// One agent of the partner, as the Team page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// False once an admin disabled the agent: no sign-in, no session.
    pub active: bool,
    /// RFC 3339, UTC; none if the agent never signed in.
    pub last_sign_in_at: Option<String>,
}

/// A change to the team, for its audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamEvent {
    pub at: String,
    /// The admin's e-mail, or "command line".
    pub actor: String,
    pub agent_email: String,
    /// `added`, `role_changed`, `disabled`, `enabled`, `password_set`.
    pub action: String,
    pub before: Option<TeamMemberState>,
    pub after: TeamMemberState,
}

/// The part of an agent a team change touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberState {
    pub role: Role,
    pub active: bool,
}

/// `GET /api/team`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub agents: Vec<TeamMember>,
    /// The latest changes, newest first.
    pub events: Vec<TeamEvent>,
    /// The e-mail domains the partner owns: new agents have e-mails in these only.
    #[serde(default)]
    pub domains: Vec<String>,
}

/// `POST /api/team`: add an agent. Without `password`, the server makes a one-time one.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAgentRequest {
    pub email: String,
    pub display_name: String,
    /// `admin`, `sales`, `helpdesk` or `read_only`.
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The new agent, and the one-time password if the server made it (shown once, never again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAgentResponse {
    pub agent: TeamMember,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_time_password: Option<String>,
}

/// `PATCH /api/team/{id}`: a new role, or disable (`active: false`) / re-enable.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeAgentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// `POST /api/session/password`: the signed-in agent changes their own password.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/session/exchange`: a host portal's signed token for the console's session.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenExchangeRequest {
    pub token: String,
}
