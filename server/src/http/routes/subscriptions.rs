//! `/api/subscriptions/{id}…`: read one, change seats or status, read its audit trail.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, ETAG};
use axum::response::IntoResponse;
use shared::api::ErrorBody;
use shared::api::{
    ChangeSubscriptionRequest, EventPage, EventsRequest, SubscriptionView, etag_for,
};
use shared::ids::SubscriptionId;

use crate::agent::SignedInAgent;
use crate::error::{AppError, AppResult};
use crate::http::auth::MayChange;
use crate::http::extract::{IfMatch, JsonBody, PathId};
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::service;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

fn with_etag(view: SubscriptionView) -> impl IntoResponse {
    ([(ETAG, etag_for(view.subscription.version))], Json(view))
}

/// `/api/subscriptions/{id}…`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_one, change))
        .routes(routes!(retry_pending))
        .routes(routes!(discard_pending))
        .routes(routes!(events))
        .routes(routes!(events_csv))
}

#[utoipa::path(
    get, path = "/subscriptions/{id}", tag = "subscriptions",
    operation_id = "get_subscription",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Subscription id")),
    responses(
        SignedInErrors,
        (status = 200, description = "One subscription, with the actions allowed and why the others are not", body = SubscriptionView,
            headers(("ETag" = String, description = "Its version: send it back as If-Match to change it"))),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    agent: SignedInAgent,
    PathId(id): PathId<SubscriptionId>,
) -> AppResult<impl IntoResponse> {
    let view = service::subscriptions::view(state.store.as_ref(), &state.clock, &agent, id).await?;
    Ok(with_etag(view))
}

/// Changes seats or status. The change must be based on the current version (`If-Match`);
/// the rules are checked against the subscription as it is, and the store writes only if no
/// one else wrote in between.
#[utoipa::path(
    patch, path = "/subscriptions/{id}", tag = "subscriptions",
    operation_id = "change_subscription",
    security(("session" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("If-Match" = String, Header, pattern = r#"^"?[0-9]{1,19}"?$"#,
            description = "The ETag of the subscription as read, e.g. \"3\""),
    ),
    request_body(content = ChangeSubscriptionRequest, description = "Exactly one of `quantity` and `status`"),
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 200, description = "Changed", body = SubscriptionView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 202, description = "Connected to Partner Center, which has not answered yet: the subscription unchanged, with its `pending_change` (retried until Microsoft answers)", body = SubscriptionView),
        (status = 400, description = "The request could not be read (bad JSON, parameter or header)", body = ErrorBody),
        (status = 403, description = "The agent's role, or the subscription's channel, does not allow this", body = ErrorBody),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
        (status = 409, description = "The subscription changed since the ETag sent: `current` holds it now", body = ErrorBody),
        (status = 422, description = "A rule refused the request; the message names the bound or reason", body = ErrorBody),
        (status = 428, description = "A required If-Match or Idempotency-Key header is missing", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    MayChange(agent): MayChange,
    IfMatch(expected): IfMatch,
    PathId(id): PathId<SubscriptionId>,
    JsonBody(request): JsonBody<ChangeSubscriptionRequest>,
) -> AppResult<impl IntoResponse> {
    let change = request.into_change()?;
    let changed =
        service::subscriptions::change(&state.partner_center, &agent, id, expected, change).await?;
    Ok(answer(changed))
}

/// 200 with the changed subscription, or 202 with it unchanged and its `pending_change`: the
/// change waits for Microsoft.
fn answer(changed: service::partner_center::Changed) -> impl IntoResponse {
    let status = if changed.waiting_for_microsoft {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    (status, with_etag(changed.view))
}

/// Sends the subscription's change that waits for Microsoft again, now (a failed one with its
/// attempts counted afresh).
#[utoipa::path(
    post, path = "/subscriptions/{id}/pending-change/retry", tag = "subscriptions",
    operation_id = "retry_pending_change",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Subscription id")),
    responses(
        SignedInErrors,
        (status = 200, description = "Microsoft applied it: the subscription as changed", body = SubscriptionView),
        (status = 202, description = "Still no answer: the subscription unchanged, with its `pending_change`", body = SubscriptionView),
        (status = 403, description = "The agent's role does not allow changes", body = ErrorBody),
        (status = 404, description = "No such subscription, or no change of it waits", body = ErrorBody),
        (status = 422, description = "Microsoft refused it (`partner_center` holds its words); nothing changed", body = ErrorBody),
        (status = 429, description = "Partner Center asked this partner to slow down: nothing was sent, no attempt spent; `retry_after_seconds` says when to try again", body = ErrorBody),
    )
)]
pub async fn retry_pending(
    State(state): State<AppState>,
    MayChange(agent): MayChange,
    PathId(id): PathId<SubscriptionId>,
) -> AppResult<impl IntoResponse> {
    let changed = service::partner_center::retry(&state.partner_center, &agent, id).await?;
    Ok(answer(changed))
}

/// Gives up the subscription's change that waits for Microsoft: the console keeps it as it is.
#[utoipa::path(
    delete, path = "/subscriptions/{id}/pending-change", tag = "subscriptions",
    operation_id = "discard_pending_change",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Subscription id")),
    responses(
        SignedInErrors,
        (status = 200, description = "Discarded: the subscription as it is", body = SubscriptionView),
        (status = 403, description = "The agent's role does not allow changes", body = ErrorBody),
        (status = 404, description = "No such subscription, or no change of it waits", body = ErrorBody),
        (status = 409, description = "Microsoft answered it meanwhile", body = ErrorBody),
    )
)]
pub async fn discard_pending(
    State(state): State<AppState>,
    MayChange(agent): MayChange,
    PathId(id): PathId<SubscriptionId>,
) -> AppResult<impl IntoResponse> {
    let view = service::partner_center::discard(&state.partner_center, &agent, id).await?;
    Ok(with_etag(view))
}

/// `?before=&limit=` of the audit trail.
#[derive(serde::Deserialize)]
pub struct EventsParams {
    before: Option<String>,
    limit: Option<String>,
}

#[utoipa::path(
    get, path = "/subscriptions/{id}/events", tag = "subscriptions",
    operation_id = "list_subscription_events",
    security(("session" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Subscription id"),
        ("before" = Option<String>, Query, pattern = "^$|^[0-9]{1,18}$", description = "The `earlier` of the page before: older changes; empty or absent: the latest"),
        ("limit" = Option<String>, Query, pattern = "^$|^(500|[1-4][0-9]{2}|[1-9][0-9]?)$", description = "Changes per page, 1 to 500; empty or absent: 100"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "The audit trail, its latest changes first paged, oldest first within a page: who, when, what, before and after", body = EventPage),
        (status = 400, description = "The query string could not be read", body = ErrorBody),
        (status = 422, description = "`limit` out of bounds", body = ErrorBody),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    agent: SignedInAgent,
    PathId(id): PathId<SubscriptionId>,
    params: Result<Query<EventsParams>, QueryRejection>,
) -> AppResult<Json<EventPage>> {
    let Query(params) = params?;
    let page = EventsRequest::parse(params.before.as_deref(), params.limit.as_deref())?;
    Ok(Json(audit_trail(&state, &agent, id, Some(page)).await?))
}

/// The audit trail as a CSV download, named after the subscription.
#[utoipa::path(
    get, path = "/subscriptions/{id}/events.csv", tag = "subscriptions",
    operation_id = "export_subscription_events",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Subscription id")),
    responses(
        SignedInErrors,
        (status = 200, description = "The audit trail as CSV (RFC 4180)", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
    )
)]
pub async fn events_csv(
    State(state): State<AppState>,
    agent: SignedInAgent,
    PathId(id): PathId<SubscriptionId>,
) -> AppResult<impl IntoResponse> {
    let items = audit_trail(&state, &agent, id, None).await?.items;
    let disposition = format!("attachment; filename=\"subscription-{id}-history.csv\"");
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        crate::csv::events_csv(&items),
    ))
}

async fn audit_trail(
    state: &AppState,
    agent: &SignedInAgent,
    id: SubscriptionId,
    page: Option<EventsRequest>,
) -> AppResult<EventPage> {
    if state
        .store
        .subscription(agent.partner_id, id)
        .await?
        .is_none()
    {
        return Err(AppError::not_found("subscription"));
    }
    Ok(state
        .store
        .subscription_events(agent.partner_id, id, page)
        .await?)
}
