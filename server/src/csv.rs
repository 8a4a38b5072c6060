//! The audit trail as CSV, for spreadsheets and auditors (RFC 4180: commas, CRLF, quotes).

use std::future::Future;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use shared::activity::ActivityEntry;
use shared::api::SubscriptionEvent;

use crate::store::StoreResult;
use shared::model::SubscriptionSnapshot;

const HEADER: [&str; 15] = [
    "at",
    "agent",
    "action",
    "seats_before",
    "seats_after",
    "status_before",
    "status_after",
    "auto_renew_before",
    "auto_renew_after",
    "term_before",
    "term_after",
    "commitment_end_before",
    "commitment_end_after",
    "scheduled_before",
    "scheduled_after",
];

/// The change scheduled for the renewal, as a cell: "4 seats (annual)", or empty.
fn scheduled(s: &SubscriptionSnapshot) -> String {
    s.scheduled
        .as_ref()
        .map(|c| format!("{} seats ({})", c.quantity, c.term))
        .unwrap_or_default()
}

/// One row per event, oldest first, under a header row.
pub fn events_csv(events: &[SubscriptionEvent]) -> String {
    let mut out = String::new();
    push_row(&mut out, HEADER.map(str::to_owned));
    for e in events {
        push_row(&mut out, event_cells(e));
    }
    out
}

/// The activity log's columns: [`HEADER`] with the customer and subscription after the time.
pub fn activity_header() -> Vec<&'static str> {
    let [at, agent, action, changes @ ..] = HEADER;
    [
        at,
        "customer",
        "customer_id",
        "subscription",
        "subscription_id",
        agent,
        action,
    ]
    .into_iter()
    .chain(changes)
    .collect()
}

pub fn push_activity_row(out: &mut String, entry: &ActivityEntry) {
    let [at, agent, action, changes @ ..] = event_cells(&entry.event);
    let row: Vec<String> = [
        at,
        entry.customer_name.clone(),
        entry.customer_id.to_string(),
        entry.offer_name.clone(),
        entry.event.subscription_id.to_string(),
        agent,
        action,
    ]
    .into_iter()
    .chain(changes)
    .collect();
    push_row(out, row);
}

/// An event's cells, in [`HEADER`]'s order.
fn event_cells(e: &SubscriptionEvent) -> [String; 15] {
    let before =
        |f: fn(&SubscriptionSnapshot) -> String| e.before.as_ref().map(f).unwrap_or_default();
    [
        e.at.clone(),
        e.agent_email.clone(),
        e.action.as_str().to_owned(),
        before(|s| s.quantity.to_string()),
        e.after.quantity.to_string(),
        before(|s| s.status.as_str().to_owned()),
        e.after.status.as_str().to_owned(),
        before(|s| s.auto_renew.to_string()),
        e.after.auto_renew.to_string(),
        before(|s| s.term.map(|t| t.to_string()).unwrap_or_default()),
        e.after.term.map(|t| t.to_string()).unwrap_or_default(),
        before(|s| s.commitment_end.clone().unwrap_or_default()),
        e.after.commitment_end.clone().unwrap_or_default(),
        before(scheduled),
        scheduled(&e.after),
    ]
}

/// Appends one CSV line (CRLF-terminated).
pub fn push_row<I: IntoIterator<Item = S>, S: AsRef<str>>(out: &mut String, fields: I) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&escape(field.as_ref()));
    }
    out.push_str("\r\n");
}

/// A CSV download written as it is read: the header at once, then `next(state)` chunk by
/// chunk (a few hundred rows each) until it has no more. Memory stays that of one chunk
/// however long the list; a database failure part-way breaks the response off, so a client
/// never takes a cut list for a whole one.
pub fn download<S, F, Fut>(filename: &str, header: &[&str], first: S, mut next: F) -> Response
where
    S: Send + 'static,
    F: FnMut(S) -> Fut + Send + 'static,
    Fut: Future<Output = StoreResult<Option<(String, S)>>> + Send + 'static,
{
    let mut head = String::new();
    push_row(&mut head, header);
    let rows = futures_util::stream::unfold(Some(first), move |state| {
        let chunk = state.map(&mut next);
        async move {
            match chunk?.await {
                Ok(Some((text, state))) => Some((Ok(text), Some(state))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!(error = %e, "export broken off");
                    Some((Err(e), None))
                }
            }
        }
    });
    // Fused: the compression layer polls once more after the end, which an unfold must not see.
    let body = futures_util::stream::once(async move { Ok(head) })
        .chain(rows)
        .fuse();
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// Quotes what needs quoting, and defuses text a spreadsheet would run as a formula.
fn escape(field: &str) -> String {
    let defused = match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{field}"),
        _ => field.to_owned(),
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("two\nlines"), "\"two\nlines\"");
        assert_eq!(escape("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(escape("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(escape(""), "");
    }
}
