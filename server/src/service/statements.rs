//! Statements: what each customer owes for a month, for the Statements page,
//! `GET /api/statements` and `reseller-console statements`. The lines are worked out by
//! `shared::statements` from each subscription's audit trail, priced by the partner's rules.

use shared::api::SubscriptionEvent;
use shared::ids::{CustomerId, PartnerId, SubscriptionId};
use shared::model::Subscription;
use shared::money::format_amount;
use shared::pricing::PriceBook;
use shared::statements::{
    HistoryPoint, Month, Statement, StatementLine, SubscriptionCharges, charges, month_lines,
};

use crate::csv::push_row;
use crate::error::{AppError, AppResult};
use crate::store::{Store, StoreResult};

/// The columns of a month's CSV: one row per line, the customer's columns on each (ready for
/// an accounting import).
pub const CSV_HEADER: [&str; 13] = [
    "Month",
    "Customer ID",
    "Customer",
    "Subscription ID",
    "Offer",
    "Billing",
    "Line",
    "From",
    "To",
    "Seats",
    "Price per seat",
    "Amount",
    "Currency",
];

/// Subscriptions read at a time for a whole month's CSV.
const CHUNK: u32 = 500;

/// Where a month's CSV goes on: after this customer (its sort key and id) and subscription.
pub type Cursor = (String, CustomerId, SubscriptionId);

/// `customer`'s statement for `month`.
pub async fn customer_statement(
    store: &dyn Store,
    partner: PartnerId,
    customer: CustomerId,
    month: Month,
) -> AppResult<Statement> {
    let Some(found) = store.customer(partner, customer).await? else {
        return Err(AppError::not_found("customer"));
    };
    let subs = store.customer_subscriptions(partner, customer).await?;
    let book = store.price_book(partner).await?;
    let parts = priced_charges(store, partner, &book, &subs, month).await?;
    Ok(Statement::new(
        found.id,
        found.name,
        month,
        super::prices::currency(store, partner).await?,
        parts.into_iter().map(|(_, _, c)| c).collect(),
    ))
}

/// The rows of `statement` in the month's CSV.
pub fn push_statement_rows(out: &mut String, statement: &Statement) {
    for part in &statement.subscriptions {
        push_charge_rows(
            out,
            &statement.month,
            statement.customer_id,
            &statement.customer_name,
            part,
            &statement.currency,
        );
    }
}

fn push_charge_rows(
    out: &mut String,
    month: &str,
    customer: CustomerId,
    customer_name: &str,
    part: &SubscriptionCharges,
    currency: &str,
) {
    for StatementLine {
        kind,
        from,
        to,
        seats,
        price_per_seat_cents,
        amount_cents,
    } in &part.lines
    {
        push_row(
            out,
            [
                month,
                &customer.to_string(),
                customer_name,
                &part.subscription_id.to_string(),
                &part.offer_name,
                &part.billing_cycle.to_string(),
                kind.as_str(),
                from,
                to,
                &seats.to_string(),
                &format_amount(*price_per_seat_cents, currency),
                &format_amount(*amount_cents, currency),
                currency,
            ],
        );
    }
}

/// One subscription's month: the subscription, its history up to the month's end, its charges.
pub type MonthPart = (Subscription, Vec<HistoryPoint>, SubscriptionCharges);

/// Up to [`CHUNK`] of the partner's subscriptions after `after` (by customer), each with its
/// month, and where the next chunk starts (`None`: the end).
pub async fn month_chunk(
    store: &dyn Store,
    partner: PartnerId,
    book: &PriceBook,
    month: Month,
    after: Option<&Cursor>,
) -> StoreResult<Option<(Vec<MonthPart>, Cursor)>> {
    let chunk = store
        .subscriptions_after(partner, after.map(|(k, c, s)| (k.as_str(), *c, *s)), CHUNK)
        .await?;
    let Some((key, last)) = chunk.last() else {
        return Ok(None);
    };
    let next = (key.clone(), last.customer_id, last.id);
    let subs: Vec<Subscription> = chunk.into_iter().map(|(_, s)| s).collect();
    let parts = priced_charges(store, partner, book, &subs, month).await?;
    let parts = parts
        .into_iter()
        .map(|(sub, history, part)| (sub.clone(), history, part))
        .collect();
    Ok(Some((parts, next)))
}

/// One chunk of a whole month's CSV for the partner: the rows of up to [`CHUNK`]
/// subscriptions after `after`, and where the next chunk starts (`None`: the end).
pub async fn csv_chunk(
    store: &dyn Store,
    partner: PartnerId,
    book: &PriceBook,
    currency: &str,
    month: Month,
    after: Option<&Cursor>,
) -> StoreResult<Option<(String, Cursor)>> {
    let Some((parts, next)) = month_chunk(store, partner, book, month, after).await? else {
        return Ok(None);
    };
    let mut text = String::new();
    let month_text = month.to_string();
    for (sub, _, part) in parts {
        push_charge_rows(
            &mut text,
            &month_text,
            sub.customer_id,
            &sub.customer_name,
            &part,
            currency,
        );
    }
    Ok(Some((text, next)))
}

/// Each of `subs` with its charges for `month`, from its audit trail up to the month's end.
async fn priced_charges<'a>(
    store: &dyn Store,
    partner: PartnerId,
    book: &PriceBook,
    subs: &'a [Subscription],
    month: Month,
) -> StoreResult<Vec<(&'a Subscription, Vec<HistoryPoint>, SubscriptionCharges)>> {
    let ids: Vec<SubscriptionId> = subs.iter().map(|s| s.id).collect();
    let events = store
        .events_before(partner, &ids, &month.end_rfc3339())
        .await?;
    let mut by_subscription: std::collections::HashMap<SubscriptionId, Vec<&SubscriptionEvent>> =
        std::collections::HashMap::new();
    for e in &events {
        by_subscription
            .entry(e.subscription_id)
            .or_default()
            .push(e);
    }
    Ok(subs
        .iter()
        .map(|sub| {
            let own = by_subscription.remove(&sub.id).unwrap_or_default();
            // The customer's price on the first day of each term.
            let catalogue = i64::from(sub.price_per_seat_cents);
            let price = |term_start: &str| {
                book.quote(&sub.customer_id, &sub.offer_id, catalogue, term_start)
                    .price
            };
            let history = history(sub, &own);
            let lines = month_lines(&history, sub.billing_cycle, month, &price);
            let part = charges(sub.id, sub.offer_name.clone(), sub.billing_cycle, lines);
            (sub, history, part)
        })
        .collect())
}

/// `sub`'s history as statements read it: the state it was created in, then each event's.
/// An event that does not record the term or end date (an import's, an older one) keeps the
/// ones before it; the first known are the subscription's own.
fn history(sub: &Subscription, events: &[&SubscriptionEvent]) -> Vec<HistoryPoint> {
    let day = |at: &str| at.get(..10).unwrap_or(at).to_owned();
    let mut points: Vec<HistoryPoint> = Vec::with_capacity(events.len() + 1);
    let mut push = |at: &str, s: &shared::model::SubscriptionSnapshot, refund| {
        let (end, term) = points
            .last()
            .map(|p| (p.commitment_end.clone(), p.term))
            .unwrap_or((sub.commitment_end.clone(), sub.term));
        points.push(HistoryPoint {
            day: day(at),
            quantity: s.quantity,
            status: s.status,
            commitment_end: s.commitment_end.clone().unwrap_or(end),
            term: s.term.unwrap_or(term),
            refund_cents: refund,
        });
    };
    match events.first() {
        // No trail (seeded or from before the audit trail): as it is, since it was created.
        None => push(&sub.created_at, &sub.snapshot(), None),
        Some(first) => {
            if let Some(before) = &first.before {
                push(&sub.created_at, before, None);
            }
        }
    }
    for e in events {
        push(&e.at, &e.after, e.refund_cents);
    }
    points
}
