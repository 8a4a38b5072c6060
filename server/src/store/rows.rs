//! Rows → domain types, once for every database: each store only says how to read a text,
//! an integer or a flag from its own row type.

use std::str::FromStr;

use shared::api::{EventAction, SubscriptionEvent, TeamEvent, TeamMember, TeamMemberState};
use shared::ids::OfferId;
use shared::model::{Customer, Offer, ScheduledChange, Subscription, SubscriptionSnapshot};
use sqlx::Row;

use super::{StoreError, StoreResult};
use crate::agent::SignedInAgent;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let unavailable = is_unavailable(&e);
        StoreError {
            message: e.to_string(),
            unavailable,
        }
    }
}

/// Failures of the database's reach or room rather than of a statement: the pool or the
/// network timed out, the disk is full, the file is read-only or locked, PostgreSQL is
/// shutting down or cancelled a statement that ran past `statement_timeout`.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            match code.parse::<i32>() {
                // SQLite: the primary code is the low byte of the extended one.
                // BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
                Ok(n) => matches!(n & 0xff, 5 | 6 | 8 | 10 | 13 | 14),
                // PostgreSQL SQLSTATE classes: 08 connection, 53 resources (disk full,
                // out of memory), 57 operator intervention (query_canceled, shutdown).
                Err(_) => ["08", "53", "57"].iter().any(|c| code.starts_with(c)),
            }
        }
        _ => false,
    }
}

/// The column types the stores read.
pub(super) trait ReadRow {
    fn text(&self, column: &str) -> StoreResult<String>;
    fn optional_text(&self, column: &str) -> StoreResult<Option<String>>;
    fn int(&self, column: &str) -> StoreResult<i64>;
    fn optional_int(&self, column: &str) -> StoreResult<Option<i64>>;
    fn flag(&self, column: &str) -> StoreResult<bool>;
}

macro_rules! read_row {
    ($row:ty) => {
        impl ReadRow for $row {
            fn text(&self, column: &str) -> StoreResult<String> {
                Ok(self.try_get(column)?)
            }
            fn optional_text(&self, column: &str) -> StoreResult<Option<String>> {
                Ok(self.try_get(column)?)
            }
            fn int(&self, column: &str) -> StoreResult<i64> {
                Ok(self.try_get(column)?)
            }
            fn optional_int(&self, column: &str) -> StoreResult<Option<i64>> {
                Ok(self.try_get(column)?)
            }
            fn flag(&self, column: &str) -> StoreResult<bool> {
                Ok(self.try_get(column)?)
            }
        }
    };
}

read_row!(sqlx::sqlite::SqliteRow);
read_row!(sqlx::postgres::PgRow);

fn bad_value(column: &str, value: &str) -> StoreError {
    StoreError::new(format!("unexpected value {value:?} in column {column}"))
}

/// A text column parsed into an id or an enum.
pub(super) fn parsed<T: FromStr>(row: &impl ReadRow, column: &str) -> StoreResult<T> {
    let text = row.text(column)?;
    text.parse().map_err(|_| bad_value(column, &text))
}

fn count(row: &impl ReadRow, column: &str) -> StoreResult<u32> {
    let n = row.int(column)?;
    u32::try_from(n).map_err(|_| bad_value(column, &n.to_string()))
}

pub(super) fn to_json(s: &SubscriptionSnapshot) -> String {
    serde_json::to_string(s).expect("snapshots always serialise")
}

/// Columns for [`subscription_from`]; the query adds `WHERE` and `ORDER BY`.
pub(super) const SUBSCRIPTION_COLUMNS: &str = "s.id, s.customer_id, c.name AS customer_name, \
     s.offer_id, o.name AS offer_name, s.quantity, o.min_quantity, o.max_quantity, \
     COALESCE(s.term, o.term) AS term, o.billing_cycle, o.price_per_seat_cents, o.currency, \
     s.status, s.channel, s.auto_renew, s.created_at, s.commitment_end, s.version, \
     s.scheduled_quantity, s.scheduled_term, s.status_since, s.ordered_at, s.anniversary_day, \
     s.missing_at_partner_center \
     FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id";

pub(super) fn subscription_from(row: &impl ReadRow) -> StoreResult<Subscription> {
    let version = row.int("version")?;
    Ok(Subscription {
        id: parsed(row, "id")?,
        customer_id: parsed(row, "customer_id")?,
        customer_name: row.text("customer_name")?,
        offer_id: OfferId(row.text("offer_id")?),
        offer_name: row.text("offer_name")?,
        quantity: count(row, "quantity")?,
        min_quantity: count(row, "min_quantity")?,
        max_quantity: count(row, "max_quantity")?,
        term: parsed(row, "term")?,
        billing_cycle: parsed(row, "billing_cycle")?,
        price_per_seat_cents: count(row, "price_per_seat_cents")?,
        currency: row.text("currency")?,
        status: parsed(row, "status")?,
        channel: parsed(row, "channel")?,
        auto_renew: row.flag("auto_renew")?,
        created_at: row.text("created_at")?,
        commitment_end: row.text("commitment_end")?,
        version: u64::try_from(version).map_err(|_| bad_value("version", &version.to_string()))?,
        // Read separately (`seat_batches` table) by the store.
        seat_batches: Vec::new(),
        scheduled: scheduled_from(row)?,
        status_since: row.optional_text("status_since")?,
        ordered_at: row.optional_text("ordered_at")?,
        anniversary_day: row
            .optional_int("anniversary_day")?
            .and_then(|d| u32::try_from(d).ok()),
        missing_at_partner_center: row.optional_text("missing_at_partner_center")?,
    })
}

/// The change scheduled for the renewal (`scheduled_quantity`, `scheduled_term`), if any.
pub(super) fn scheduled_from(row: &impl ReadRow) -> StoreResult<Option<ScheduledChange>> {
    Ok(
        match (
            row.optional_int("scheduled_quantity")?,
            row.optional_text("scheduled_term")?,
        ) {
            (Some(q), Some(t)) => Some(ScheduledChange {
                quantity: u32::try_from(q)
                    .map_err(|_| bad_value("scheduled_quantity", &q.to_string()))?,
                term: t.parse().map_err(|_| bad_value("scheduled_term", &t))?,
            }),
            _ => None,
        },
    )
}

/// Columns for [`customer_from`]; the query adds `WHERE` and `ORDER BY`.
pub(super) const CUSTOMER_COLUMNS: &str = "c.id, c.name, c.domain, c.created_at, \
     (SELECT COUNT(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.status <> 'deleted') AS subscription_count \
     FROM customers c";

pub(super) fn customer_from(row: &impl ReadRow) -> StoreResult<Customer> {
    Ok(Customer {
        id: parsed(row, "id")?,
        name: row.text("name")?,
        domain: row.text("domain")?,
        subscription_count: count(row, "subscription_count")?,
        created_at: row.text("created_at")?,
    })
}

pub(super) fn offer_from(row: &impl ReadRow) -> StoreResult<Offer> {
    Ok(Offer {
        id: OfferId(row.text("id")?),
        name: row.text("name")?,
        min_quantity: count(row, "min_quantity")?,
        max_quantity: count(row, "max_quantity")?,
        price_per_seat_cents: count(row, "price_per_seat_cents")?,
        currency: row.text("currency")?,
        term: parsed(row, "term")?,
        billing_cycle: parsed(row, "billing_cycle")?,
    })
}

pub(super) fn event_from(row: &impl ReadRow) -> StoreResult<SubscriptionEvent> {
    let snapshot = |column: &str| -> StoreResult<Option<SubscriptionSnapshot>> {
        row.optional_text(column)?
            .map(|t| serde_json::from_str(&t).map_err(|_| bad_value(column, &t)))
            .transpose()
    };
    Ok(SubscriptionEvent {
        id: row.int("id")?,
        subscription_id: parsed(row, "subscription_id")?,
        at: row.text("at")?,
        agent_id: row
            .optional_text("agent_id")?
            .map(|t| t.parse().map_err(|_| bad_value("agent_id", &t)))
            .transpose()?,
        agent_email: row.text("agent_email")?,
        action: row
            .text("action")?
            .parse::<EventAction>()
            .map_err(|()| StoreError::new("unknown event action"))?,
        before: snapshot("before_json")?,
        after: snapshot("after_json")?.ok_or_else(|| StoreError::new("event without after"))?,
        source: row.optional_text("source")?,
        refund_cents: row.optional_int("refund_cents")?,
    })
}

pub(super) fn agent_from(row: &impl ReadRow) -> StoreResult<SignedInAgent> {
    Ok(SignedInAgent {
        agent_id: parsed(row, "id")?,
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        role: parsed(row, "role")?,
        partner_id: parsed(row, "partner_id")?,
        partner_name: row.text("partner_name")?,
        must_change_password: row.flag("must_change_password")?,
    })
}

/// Columns for [`team_member_from`], from `agents`.
pub(super) const TEAM_MEMBER_COLUMNS: &str =
    "id, email, display_name, role, active, last_sign_in_at";

pub(super) fn team_member_from(row: &impl ReadRow) -> StoreResult<TeamMember> {
    Ok(TeamMember {
        id: parsed(row, "id")?,
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        role: parsed(row, "role")?,
        active: row.flag("active")?,
        last_sign_in_at: row.optional_text("last_sign_in_at")?,
    })
}

pub(super) fn team_event_from(row: &impl ReadRow) -> StoreResult<TeamEvent> {
    let state = |column: &str| -> StoreResult<Option<TeamMemberState>> {
        row.optional_text(column)?
            .map(|t| serde_json::from_str(&t).map_err(|_| bad_value(column, &t)))
            .transpose()
    };
    Ok(TeamEvent {
        at: row.text("at")?,
        actor: row.text("actor")?,
        agent_email: row.text("agent_email")?,
        action: row.text("action")?,
        before: state("before_json")?,
        after: state("after_json")?.ok_or_else(|| StoreError::new("team event without after"))?,
    })
}

/// A seat batch from `seat_batches` (its `quantity` and `added_at` columns).
pub(super) fn seat_batch_from(
    row: &impl ReadRow,
) -> StoreResult<shared::reduction_window::SeatBatch> {
    Ok(shared::reduction_window::SeatBatch {
        quantity: count(row, "quantity")?,
        added_at: row.int("added_at")?,
    })
}
