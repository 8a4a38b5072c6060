//! The things a partner works with: offers, customers, subscriptions, agents' roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, OfferId, SubscriptionId};

/// An agent's role, as in Partner Center; what each may do is the table in [`crate::roles`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Sales,
    Helpdesk,
    ReadOnly,
}

/// A subscription's status. Agents move it between Active and Suspended, or cancel it within
/// 7 days of the order; the end of a term moves it on (see [`crate::lifecycle`]): Expired
/// (auto-renew was off), then Disabled, then Deleted (hidden, kept for the audit trail).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Suspended,
    Cancelled,
    Expired,
    Disabled,
    Deleted,
}

impl Status {
    /// Still within a term: Active or Suspended. The others are read-only for good.
    pub fn is_live(self) -> bool {
        matches!(self, Status::Active | Status::Suspended)
    }
}

/// A change an agent scheduled for the next term ("Manage renewal"): applied at the renewal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledChange {
    pub quantity: u32,
    pub term: Term,
}

/// Who bought the subscription: the partner (changeable here) or the customer directly (read-only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Partner,
    Direct,
}

/// How long the customer commits to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Term {
    Monthly,
    Annual,
}

/// How often the customer is invoiced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillingCycle {
    #[default]
    Monthly,
    Annual,
}

/// The wire and database spelling of each enum, in one place.
macro_rules! spelled {
    ($ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok($ty::$variant),)+ _ => Err(()) }
            }
        }
    };
}

spelled!(Role { Admin => "admin", Sales => "sales", Helpdesk => "helpdesk", ReadOnly => "read_only" });
spelled!(Status {
    Active => "active",
    Suspended => "suspended",
    Cancelled => "cancelled",
    Expired => "expired",
    Disabled => "disabled",
    Deleted => "deleted",
});
spelled!(Channel { Partner => "partner", Direct => "direct" });
spelled!(Term { Monthly => "monthly", Annual => "annual" });
spelled!(BillingCycle { Monthly => "monthly", Annual => "annual" });

/// An offer of the catalogue, as the partner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    pub id: OfferId,
    pub name: String,
    pub min_quantity: u32,
    pub max_quantity: u32,
    /// Price of one seat for one month, in the currency's minor unit (cents).
    pub price_per_seat_cents: u32,
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    pub term: Term,
    pub billing_cycle: BillingCycle,
}

impl Offer {
    pub fn seat_bounds(&self) -> SeatBounds {
        SeatBounds::new(self.min_quantity, self.max_quantity)
    }

    /// What `seats` seats of this offer cost per month, in cents.
    pub fn monthly_cost_cents(&self, seats: u32) -> u64 {
        u64::from(self.price_per_seat_cents) * u64::from(seats)
    }
}

/// One of the partner's customers, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    /// The tenant's initial domain, e.g. `contoso.onmicrosoft.com`.
    pub domain: String,
    pub subscription_count: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// One subscription: a customer's seats of one offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: SubscriptionId,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub offer_id: OfferId,
    pub offer_name: String,
    /// Seats (licences).
    pub quantity: u32,
    /// The offer's seat bounds, so a client can validate a change without another request.
    pub min_quantity: u32,
    pub max_quantity: u32,
    /// The commitment term (the offer's, until a renewal switches it).
    pub term: Term,
    /// How often the customer is invoiced (the offer's).
    #[serde(default)]
    pub billing_cycle: BillingCycle,
    /// The offer's price of a seat for a month, in the currency's minor unit.
    #[serde(default)]
    pub price_per_seat_cents: u32,
    #[serde(default)]
    pub currency: String,
    pub status: Status,
    pub channel: Channel,
    pub auto_renew: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The day the current term ends, `YYYY-MM-DD`.
    pub commitment_end: String,
    /// Changes on every write; sent back as `If-Match` so no change overwrites another unseen.
    pub version: u64,
    /// The seats added in the last 7 days (by the order, increases, renewals), each removable
    /// until its window closes: see `reduction_window`.
    #[serde(default)]
    pub seat_batches: Vec<SeatBatch>,
    /// What the next renewal applies, if an agent scheduled a change.
    #[serde(default)]
    pub scheduled: Option<ScheduledChange>,
    /// RFC 3339: since when it has its status (the renewal counts Disabled and Deleted from it).
    #[serde(default)]
    pub status_since: Option<String>,
    /// RFC 3339: when it was ordered in this console; `None` for one imported (or seeded) with
    /// the dates Partner Center gave, which this console cannot cancel or refund.
    #[serde(default)]
    pub ordered_at: Option<String>,
    /// The day of the month an imported subscription's terms end on (the end date's day in
    /// Partner Center's export), kept so a term ending on the 31st returns to it after February.
    /// (Not read by the browser app: left out of its build.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", serde(skip))]
    pub anniversary_day: Option<u32>,
    /// RFC 3339: when a sync of a connected partner last found Partner Center without this
    /// subscription (kept, flagged, never deleted silently); `None` while it is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_at_partner_center: Option<String>,
}

impl Subscription {
    pub fn seat_bounds(&self) -> SeatBounds {
        SeatBounds::new(self.min_quantity, self.max_quantity)
    }

    /// The values an audit event records before and after a change.
    pub fn snapshot(&self) -> SubscriptionSnapshot {
        SubscriptionSnapshot {
            quantity: self.quantity,
            status: self.status,
            auto_renew: self.auto_renew,
            commitment_end: Some(self.commitment_end.clone()),
            term: Some(self.term),
            scheduled: self.scheduled.clone(),
        }
    }
}

/// The changeable part of a subscription: what an audit event shows before and after.
/// (Events written before renewals existed carry no term, end date or scheduled change.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionSnapshot {
    pub quantity: u32,
    pub status: Status,
    pub auto_renew: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<ScheduledChange>,
}

/// An offer's inclusive seat limits, e.g. 1..=300 for business plans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SeatBounds {
    pub min: u32,
    pub max: u32,
}

impl SeatBounds {
    pub fn new(min: u32, max: u32) -> Self {
        SeatBounds { min, max }
    }

    pub fn contains(self, seats: u32) -> bool {
        (self.min..=self.max).contains(&seats)
    }
}

/// Seats added at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeatBatch {
    pub quantity: u32,
    /// When they were added (Unix seconds, UTC).
    pub added_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_use_snake_case_on_the_wire_and_parse_back() {
        assert_eq!(
            serde_json::to_string(&Role::ReadOnly).unwrap(),
            "\"read_only\""
        );
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
        assert!("Active".parse::<Status>().is_err());
        assert_eq!("direct".parse::<Channel>(), Ok(Channel::Direct));
    }

    #[test]
    fn monthly_cost_does_not_overflow() {
        let offer = Offer {
            id: "x".into(),
            name: "X".into(),
            min_quantity: 1,
            max_quantity: u32::MAX,
            price_per_seat_cents: u32::MAX,
            currency: "EUR".into(),
            term: Term::Monthly,
            billing_cycle: BillingCycle::Monthly,
        };
        assert_eq!(offer.monthly_cost_cents(3), 3 * u64::from(u32::MAX));
    }
}
