//! What happens at the end of a subscription's term, and which subscriptions reach it soon:
//! the Renewals page and its calendar file.

use serde::{Deserialize, Serialize};

use crate::calendar::{civil_from_days, days_from_civil};
use crate::model::{Channel, Status, Subscription};

/// The windows the Renewals page offers, in days.
pub const RENEWAL_WINDOWS: [u32; 3] = [7, 30, 90];

/// What the end of the term brings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TermEnd {
    /// Active with auto-renew on: a new term starts, seats locked for it.
    Renews,
    /// Active with auto-renew off: it expires.
    Expires,
    /// Suspended: it ends (is disabled).
    Ends,
}

impl TermEnd {
    pub fn of(sub: &Subscription) -> TermEnd {
        match (sub.status, sub.auto_renew) {
            (Status::Active, true) => TermEnd::Renews,
            (Status::Active, false) => TermEnd::Expires,
            // Suspended (or already ended: the Renewals page lists only live ones).
            _ => TermEnd::Ends,
        }
    }
}

/// One subscription whose term ends within the window asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Renewal {
    #[serde(flatten)]
    pub subscription: Subscription,
    pub term_end: TermEnd,
    /// What its seats cost the customer a month from the first day of the new term, at the
    /// customer's price then, in the currency's minor unit.
    pub monthly_cost_cents: u64,
    /// What they cost the partner a month then (Microsoft's list), for roles that see costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_partner_cost_cents: Option<i64>,
    /// Days from today to the end date (0: ends today).
    pub days_left: u32,
}

/// Reads the `days` of a Renewals request: 7, 30 or 90 (default 30).
pub fn parse_window(text: Option<&str>) -> Result<u32, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(30),
        Some(t) => t
            .parse::<u32>()
            .ok()
            .filter(|d| RENEWAL_WINDOWS.contains(d))
            .ok_or_else(|| "\"days\" must be 7, 30 or 90.".to_owned()),
    }
}

/// Partner-bought subscriptions only: a customer's own purchases renew on their side.
pub fn is_tracked(sub: &Subscription) -> bool {
    sub.channel == Channel::Partner
}

/// `YYYY-MM-DD` plus `days`.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let (y, m, d) = split_date(date)?;
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days from `from` to `to` (both `YYYY-MM-DD`), negative if `to` is earlier.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let (a, b) = (split_date(from)?, split_date(to)?);
    Some(days_from_civil(b.0, b.1, b.2) - days_from_civil(a.0, a.1, a.2))
}

/// The date at the start of `text` (a `YYYY-MM-DD`, or an RFC 3339 time).
fn split_date(date: &str) -> Option<(i64, u32, u32)> {
    crate::calendar::parse_date(date.get(..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;

    #[test]
    fn the_end_of_a_term_follows_status_and_auto_renew() {
        assert_eq!(TermEnd::of(&subscription()), TermEnd::Renews);
        let off = Subscription {
            auto_renew: false,
            ..subscription()
        };
        assert_eq!(TermEnd::of(&off), TermEnd::Expires);
        let suspended = Subscription {
            status: Status::Suspended,
            ..subscription()
        };
        assert_eq!(TermEnd::of(&suspended), TermEnd::Ends);
    }

    #[test]
    fn dates_move_across_months_and_leap_days() {
        assert_eq!(add_days("2028-02-28", 1).as_deref(), Some("2028-02-29"));
        assert_eq!(add_days("2027-12-31", 1).as_deref(), Some("2028-01-01"));
        assert_eq!(days_between("2027-01-31", "2027-03-01"), Some(29));
        assert_eq!(parse_window(Some("90")), Ok(90));
        assert!(parse_window(Some("31")).is_err());
        assert_eq!(parse_window(None), Ok(30));
    }
}
