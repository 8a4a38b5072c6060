//! The partner's activity log: every change to every subscription, newest first, filtered by
//! dates, customer, agent and action. The filters arrive as query-string text (the console's
//! URL, a bookmarked link, a script); they are read here once, for the API and the console.

use serde::{Deserialize, Serialize};

use crate::api::{EventAction, IMPORT_ACTOR, InvalidParameter, RENEWAL_ACTOR, SubscriptionEvent};
use crate::calendar::{
    FIRST_YEAR, LAST_YEAR, date_of, date_text, midnight, parse_date, parse_given_date,
    parse_rfc3339,
};
use crate::ids::{AgentId, CustomerId};

/// Days the log shows when no dates are given: the last 30, today included.
pub const DEFAULT_DAYS: i64 = 30;

/// One entry: the event, and which customer and subscription it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityEntry {
    pub event: SubscriptionEvent,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub offer_name: String,
}

/// A page of the log. `next` is the `before` of the following (older) page, if there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    pub items: Vec<ActivityEntry>,
    /// The dates shown, `YYYY-MM-DD`, both included (the defaults filled in).
    pub from: String,
    pub to: String,
    pub next: Option<String>,
}

/// Whose changes: one agent's, those the end of a term made, or those of imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityAgent {
    Agent(AgentId),
    Renewal,
    Import,
}

/// Where a page starts: after the entry at `at` with `id` (newest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityCursor {
    pub at: String,
    pub id: i64,
}

impl ActivityCursor {
    pub fn of(event: &SubscriptionEvent) -> Self {
        ActivityCursor {
            at: event.at.clone(),
            id: event.id,
        }
    }

    /// `at` and `id` joined by `~` (neither holds one).
    pub fn text(&self) -> String {
        format!("{}~{}", self.at, self.id)
    }

    pub fn parse(text: &str) -> Result<Self, InvalidParameter> {
        let bad = || {
            InvalidParameter {
            out_of_range: false,
            field: "before",
            message: "\"before\" is not a place in this list: use the `next` of the page before, or leave it out for the newest entries.".to_owned(),
        }
        };
        let (at, id) = text.rsplit_once('~').ok_or_else(bad)?;
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let id = id.parse::<i64>().map_err(|_| bad())?;
        // Exactly as the server writes times: `2026-11-28T10:00:00Z`, maybe with a fraction
        // of a second (`…:00.25Z`); anything else would compare as text to no purpose.
        let whole = match at.split_once('.') {
            None => at.to_owned(),
            Some((seconds, fraction)) => {
                let digits = fraction.strip_suffix('Z').ok_or_else(bad)?;
                if digits.is_empty()
                    || digits.len() > 9
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(bad());
                }
                format!("{seconds}Z")
            }
        };
        if parse_rfc3339(&whole).is_none() {
            return Err(bad());
        }
        Ok(ActivityCursor {
            at: at.to_owned(),
            id,
        })
    }
}

/// The log's filters, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityFilter {
    /// `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    pub customer: Option<CustomerId>,
    pub agent: Option<ActivityAgent>,
    pub action: Option<EventAction>,
    pub before: Option<ActivityCursor>,
}

/// The filters as they arrive in a query string; empty means "not given".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub customer: Option<String>,
    /// An agent id, or `renewal` for the changes the end of a term made.
    pub agent: Option<String>,
    pub action: Option<String>,
    pub before: Option<String>,
}

/// A filter's value; empty means "not given" (as forms send it). Taken as sent, spaces too.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl ActivityQuery {
    /// Reads the filters; `now` (Unix seconds) dates the default range.
    pub fn parse(&self, now: i64) -> Result<ActivityFilter, InvalidParameter> {
        // Defaults stay within the years the console takes, as given dates must.
        let first_day = midnight((FIRST_YEAR, 1, 1));
        let date = |field: &'static str, value: &Option<String>, default: i64| {
            match given(value) {
            None => Ok(date_text(date_of(default.max(first_day)))),
            Some(text) => parse_given_date(text).map(date_text).ok_or(InvalidParameter {
                out_of_range: false,
                field,
                message: format!(
                    "\"{field}\" must be a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31, written YYYY-MM-DD."
                ),
            }),
        }
        };
        let to = date("to", &self.to, now)?;
        // Without a start: the 30 days that end with `to`.
        let to_midnight = midnight(parse_date(&to).expect("just written"));
        let from = date(
            "from",
            &self.from,
            to_midnight - (DEFAULT_DAYS - 1) * 86_400,
        )?;
        if from > to {
            return Err(InvalidParameter {
                out_of_range: false,
                field: "from",
                message: format!("\"from\" ({from}) is after \"to\" ({to}): swap them."),
            });
        }
        let customer = match given(&self.customer) {
            None => None,
            // Ids as the API writes them (36 characters), not the other forms a UUID has.
            Some(text) => Some(
                text.parse::<CustomerId>()
                    .ok()
                    .filter(|_| text.len() == 36)
                    .ok_or_else(|| InvalidParameter {
                        out_of_range: false,
                        field: "customer",
                        message: "\"customer\" must be a customer id.".to_owned(),
                    })?,
            ),
        };
        let agent = match given(&self.agent) {
            None => None,
            Some(RENEWAL_ACTOR) => Some(ActivityAgent::Renewal),
            Some(IMPORT_ACTOR) => Some(ActivityAgent::Import),
            Some(text) => Some(ActivityAgent::Agent(
                text.parse::<AgentId>()
                    .ok()
                    .filter(|_| text.len() == 36)
                    .ok_or_else(|| InvalidParameter {
                        out_of_range: false,
                        field: "agent",
                        message: format!(
                            "\"agent\" must be an agent id, {RENEWAL_ACTOR} or {IMPORT_ACTOR}."
                        ),
                    })?,
            )),
        };
        let action = match given(&self.action) {
            None => None,
            Some(text) => Some(text.parse::<EventAction>().map_err(|_| InvalidParameter {
            out_of_range: false,
                field: "action",
                message: "\"action\" must be one of created, quantity_changed, status_changed, auto_renew_changed, renewal_scheduled, renewed, imported.".to_owned(),
            })?),
        };
        let before = given(&self.before).map(ActivityCursor::parse).transpose()?;
        Ok(ActivityFilter {
            from,
            to,
            customer,
            agent,
            action,
            before,
        })
    }
}

impl ActivityFilter {
    /// A text that sorts after every stored RFC 3339 time of the day `to` and before the next
    /// day's: the date and `~` (after `T`), with no date arithmetic to overflow at 9999-12-31.
    pub fn end_text(&self) -> String {
        format!("{}~", self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_331_200; // 2025-11-28 12:00 UTC

    fn query(pairs: &[(&str, &str)]) -> ActivityQuery {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        };
        ActivityQuery {
            from: get("from"),
            to: get("to"),
            customer: get("customer"),
            agent: get("agent"),
            action: get("action"),
            before: get("before"),
        }
    }

    #[test]
    fn defaults_to_the_last_thirty_days() {
        let f = query(&[]).parse(NOW).unwrap();
        assert_eq!(
            (f.from.as_str(), f.to.as_str()),
            ("2025-10-30", "2025-11-28")
        );
        // The end bound sorts after every time of the last day, before the next day.
        assert_eq!(f.end_text(), "2025-11-28~");
        assert!("2025-11-28T23:59:59.999999999Z" < f.end_text().as_str());
        assert!(f.end_text().as_str() < "2025-11-29");
        let forever = query(&[("to", "9999-12-31")]).parse(NOW).unwrap();
        assert!("9999-12-31T23:59:59Z" < forever.end_text().as_str());
        assert_eq!(
            query(&[("to", "2024-02-28")]).parse(NOW).unwrap().from,
            "2024-01-30"
        );
    }

    #[test]
    fn each_bad_filter_is_named() {
        let field = |pairs: &[(&str, &str)]| query(pairs).parse(NOW).unwrap_err().field;
        assert_eq!(field(&[("from", "28/11/2025")]), "from");
        assert_eq!(field(&[("to", "2025-02-30")]), "to");
        assert_eq!(
            field(&[("from", "2025-11-29"), ("to", "2025-11-28")]),
            "from"
        );
        assert_eq!(field(&[("customer", "contoso")]), "customer");
        // Only the form the API writes: not braced, not with spaces around.
        assert_eq!(
            field(&[("customer", "{0f8fad5b-d9cb-469f-a165-70867728950e}")]),
            "customer"
        );
        assert_eq!(
            field(&[("customer", " 0f8fad5b-d9cb-469f-a165-70867728950e")]),
            "customer"
        );
        assert_eq!(field(&[("agent", " ")]), "agent");
        assert_eq!(field(&[("agent", "someone")]), "agent");
        assert_eq!(field(&[("action", "deleted")]), "action");
        assert_eq!(field(&[("before", "12")]), "before");
        assert_eq!(field(&[("before", "yesterday~12")]), "before");
        for cursor in [
            "2026-11-28T11:40:05Zx~100",
            "2026-11-28T99:99:99Z~100",
            "2026-11-28T11:40:05Z~100~5",
            "2026-11-28 11:40:05~100",
            "2026-11-28~100",
            "2026-11-28T11:40:05+00:00~100",
            "2026-11-28T11:40:05.Z~100",
            "2026-11-28T11:40:05Z~+100",
        ] {
            assert_eq!(field(&[("before", cursor)]), "before", "{cursor}");
        }
    }

    #[test]
    fn filters_and_cursor_read_back() {
        let f = query(&[
            ("agent", "renewal"),
            ("action", "renewed"),
            ("customer", "0f8fad5b-d9cb-469f-a165-70867728950e"),
            ("before", "2025-11-01T10:00:00.5Z~42"),
        ])
        .parse(NOW)
        .unwrap();
        assert_eq!(f.agent, Some(ActivityAgent::Renewal));
        assert_eq!(f.action, Some(EventAction::Renewed));
        assert!(f.customer.is_some());
        let cursor = f.before.unwrap();
        assert_eq!(cursor.id, 42);
        assert_eq!(ActivityCursor::parse(&cursor.text()), Ok(cursor));
    }
}
