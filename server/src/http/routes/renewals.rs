//! `/api/renewals…`: the partner's subscriptions whose term ends in the next 7, 30 or 90 days,
//! as a list and as a calendar file (one event per term end, a reminder 7 days before).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use serde::Deserialize;
use shared::ErrorCode;
use shared::api::{ErrorBody, ItemList};
use shared::renewals::{Renewal, TermEnd, add_days, days_between, parse_window};

use crate::agent::SignedInAgent;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::http::openapi::SignedInErrors;
use crate::service;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes and their documentation, from each handler's `#[utoipa::path]`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(calendar))
}

#[derive(Deserialize)]
pub struct WindowParams {
    days: Option<String>,
}

async fn renewals(
    state: &AppState,
    agent: &SignedInAgent,
    days: Option<&str>,
) -> AppResult<Vec<Renewal>> {
    let days = parse_window(days)
        .map_err(|m| AppError::new(ErrorCode::MalformedRequest, m).with_field("days"))?;
    let today = state.clock.now().date().to_string();
    let until = add_days(&today, i64::from(days)).unwrap_or_else(|| today.clone());
    let rows = state
        .store
        .renewals(agent.partner_id, &today, &until)
        .await?;
    // Priced on the first day of the new term: a renewal in January at January's list.
    let first_day = |s: &shared::model::Subscription| {
        add_days(&s.commitment_end, 1).unwrap_or_else(|| s.commitment_end.clone())
    };
    let priced = service::prices::priced_on(state.store.as_ref(), agent, rows, first_day).await?;
    Ok(priced
        .into_iter()
        .map(|(subscription, cost)| Renewal {
            term_end: TermEnd::of(&subscription),
            monthly_cost_cents: u64::from(subscription.price_per_seat_cents)
                * u64::from(subscription.quantity),
            monthly_partner_cost_cents: cost.map(|c| c * i64::from(subscription.quantity)),
            days_left: days_between(&today, &subscription.commitment_end)
                .and_then(|d| u32::try_from(d).ok())
                .unwrap_or(0),
            subscription,
        })
        .collect())
}

/// The query, or the API's own error when it cannot be read (a repeated `days`).
fn window(params: Result<Query<WindowParams>, QueryRejection>) -> AppResult<WindowParams> {
    params.map(|Query(p)| p).map_err(|_| {
        AppError::new(
            ErrorCode::MalformedRequest,
            "\"days\" must be given once: 7, 30 or 90.",
        )
        .with_field("days")
    })
}

#[utoipa::path(
    get, path = "/renewals", tag = "subscriptions",
    operation_id = "list_renewals",
    security(("session" = [])),
    params(("days" = Option<String>, Query, pattern = "^$|^(7|30|90)$", description = "7, 30 or 90 (default 30)")),
    responses(
        SignedInErrors,
        (status = 200, description = "Partner-bought subscriptions whose term ends within the window, soonest first", body = ItemList<Renewal>),
        (status = 400, description = "days is not 7, 30 or 90", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<WindowParams>, QueryRejection>,
) -> AppResult<Json<ItemList<Renewal>>> {
    let params = window(params)?;
    let items = renewals(&state, &agent, params.days.as_deref()).await?;
    Ok(Json(ItemList { items }))
}

#[utoipa::path(
    get, path = "/renewals.ics", tag = "subscriptions",
    operation_id = "export_renewal_calendar",
    security(("session" = [])),
    params(("days" = Option<String>, Query, pattern = "^$|^(7|30|90)$", description = "7, 30 or 90 (default 30)")),
    responses(
        SignedInErrors,
        (status = 200, description = "An iCalendar file (RFC 5545): one all-day event per term end, with a reminder 7 days before", content_type = "text/calendar"),
        (status = 400, description = "days is not 7, 30 or 90", body = ErrorBody),
    )
)]
pub async fn calendar(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<WindowParams>, QueryRejection>,
) -> AppResult<impl IntoResponse> {
    let params = window(params)?;
    let items = renewals(&state, &agent, params.days.as_deref()).await?;
    let stamp = clock::rfc3339(state.clock.now()).replace(['-', ':'], "");
    Ok((
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (CONTENT_DISPOSITION, "attachment; filename=\"renewals.ics\""),
            (CACHE_CONTROL, "no-store"),
        ],
        ics(&items, &stamp),
    ))
}

/// RFC 5545: CRLF line ends, lines folded at 75 octets, text values escaped.
pub fn ics(items: &[Renewal], stamp: &str) -> String {
    let mut out = String::new();
    let mut line = |text: &str| fold(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Reseller Console//Renewals//EN");
    line("CALSCALE:GREGORIAN");
    for r in items {
        let s = &r.subscription;
        let what = match r.term_end {
            TermEnd::Renews => "renews",
            TermEnd::Expires => "expires",
            TermEnd::Ends => "ends",
        };
        let day = s.commitment_end.replace('-', "");
        let next = add_days(&s.commitment_end, 1)
            .unwrap_or_default()
            .replace('-', "");
        line("BEGIN:VEVENT");
        line(&format!("UID:{}-{}@reseller-console", s.id, day));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{day}"));
        line(&format!("DTEND;VALUE=DATE:{next}"));
        line(&format!(
            "SUMMARY:{}",
            escape(&format!(
                "{} {what}: {}, {} seats",
                s.customer_name, s.offer_name, s.quantity
            ))
        ));
        line(&format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "{} of {} {what} at the end of {} (UTC). Auto-renew {}.{}",
                s.offer_name,
                s.customer_name,
                s.commitment_end,
                if s.auto_renew { "on" } else { "off" },
                s.scheduled
                    .as_ref()
                    .map(|c| format!(
                        " Scheduled for the renewal: {} seats, {}.",
                        c.quantity, c.term
                    ))
                    .unwrap_or_default()
            ))
        ));
        line("BEGIN:VALARM");
        line("ACTION:DISPLAY");
        line("TRIGGER:-P7D");
        line(&format!(
            "DESCRIPTION:{}",
            escape(&format!("In 7 days: {} {what}", s.offer_name))
        ));
        line("END:VALARM");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` as one content line, folded every 75 octets (never inside a character).
fn fold(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_and_text_is_escaped() {
        let mut out = String::new();
        fold(&mut out, &"é".repeat(60));
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
