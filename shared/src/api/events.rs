//! A subscription's history: its events and the pages they come in.

use serde::{Deserialize, Serialize};

use crate::api::errors::InvalidParameter;
use crate::ids::{AgentId, SubscriptionId};
use crate::model::SubscriptionSnapshot;

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
    /// A sync found it changed (or new) in Partner Center (by "Partner Center", not an agent).
    PartnerCenterChanged,
}

impl EventAction {
    pub const ALL: [EventAction; 8] = [
        EventAction::Created,
        EventAction::QuantityChanged,
        EventAction::StatusChanged,
        EventAction::AutoRenewChanged,
        EventAction::RenewalScheduled,
        EventAction::Renewed,
        EventAction::Imported,
        EventAction::PartnerCenterChanged,
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
            EventAction::PartnerCenterChanged => "partner_center_changed",
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
/// Who the audit trail names for what a sync found changed in Partner Center.
pub const PARTNER_CENTER_ACTOR: &str = "Partner Center";

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
