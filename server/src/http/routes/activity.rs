//! `/api/activity…`: the partner's activity log — every change to every subscription, newest
//! first — as pages and as CSV.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use shared::activity::{ActivityCursor, ActivityFilter, ActivityPage, ActivityQuery};
use shared::api::{ErrorBody, PageRequest};

use crate::agent::SignedInAgent;
use crate::csv::{activity_header, push_activity_row};
use crate::error::AppResult;
use crate::http::openapi::SignedInErrors;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `/api/activity…`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
}

#[derive(Deserialize)]
pub struct LogParams {
    #[serde(flatten)]
    filter: ActivityQuery,
    per_page: Option<String>,
}

fn read(
    params: Result<Query<LogParams>, QueryRejection>,
    now: i64,
) -> AppResult<(ActivityFilter, u32)> {
    let Query(params) = params?;
    let filter = params.filter.parse(now)?;
    let per_page = PageRequest::parse(None, params.per_page.as_deref())?.per_page;
    Ok((filter, per_page))
}

#[utoipa::path(
    get, path = "/activity", tag = "activity",
    operation_id = "list_activity",
    security(("session" = [])),
    params(
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (default: 29 days before `to`)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD, included (default: today, UTC)"),
        ("customer" = Option<String>, Query, pattern = "^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "Only this customer's subscriptions (its id); empty: all"),
        ("agent" = Option<String>, Query, pattern = "^$|^renewal$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "Only this agent's changes (an agent id), or `renewal` for those the end of a term made; empty: all"),
        ("action" = Option<String>, Query, description = "Only this action: created, quantity_changed, status_changed, auto_renew_changed, renewal_scheduled, renewed"),
        ("before" = Option<String>, Query, description = "The `next` of the previous page"),
        ("per_page" = Option<String>, Query, pattern = "^$|^(100|[1-9][0-9]?)$", description = "Entries per page from 1 to 100; empty or absent: 25"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "A page of the partner's changes, newest first", body = ActivityPage),
        (status = 400, description = "A filter could not be read; `field` names which", body = ErrorBody),
        (status = 422, description = "`per_page` out of its bounds", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<LogParams>, QueryRejection>,
) -> AppResult<Json<ActivityPage>> {
    let (filter, per_page) = read(params, state.clock.unix())?;
    let mut items = state
        .store
        .activity(agent.partner_id, &filter, per_page + 1)
        .await?;
    // The row past the page only says that another page follows.
    let more = items.len() > per_page as usize;
    items.truncate(per_page as usize);
    let next = items
        .last()
        .filter(|_| more)
        .map(|e| ActivityCursor::of(&e.event).text());
    Ok(Json(ActivityPage {
        items,
        from: filter.from,
        to: filter.to,
        next,
    }))
}

#[utoipa::path(
    get, path = "/activity.csv", tag = "activity",
    operation_id = "export_activity",
    security(("session" = [])),
    params(
        ("from" = Option<String>, Query, description = "As `GET /api/activity`"),
        ("to" = Option<String>, Query, description = "As `GET /api/activity`"),
        ("customer" = Option<String>, Query, pattern = "^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "As `GET /api/activity`"),
        ("agent" = Option<String>, Query, pattern = "^$|^renewal$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "As `GET /api/activity`"),
        ("action" = Option<String>, Query, description = "As `GET /api/activity`"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "Every entry the filters pass, newest first, streamed (RFC 4180, formulas defused)", content_type = "text/csv", body = String),
        (status = 400, description = "A filter could not be read; `field` names which", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<LogParams>, QueryRejection>,
) -> AppResult<Response> {
    let (filter, _) = read(params, state.clock.unix())?;
    let filename = format!("activity-{}-to-{}.csv", filter.from, filter.to);
    Ok(crate::csv::download(
        &filename,
        &activity_header(),
        filter,
        move |mut filter| {
            let store = state.store.clone();
            async move {
                let chunk = store.activity(agent.partner_id, &filter, 500).await?;
                let Some(last) = chunk.last() else {
                    return Ok(None);
                };
                filter.before = Some(ActivityCursor::of(&last.event));
                let mut text = String::new();
                for entry in &chunk {
                    push_activity_row(&mut text, entry);
                }
                Ok(Some((text, filter)))
            }
        },
    ))
}
