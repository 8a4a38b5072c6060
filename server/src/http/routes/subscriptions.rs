//! `/api/subscriptions/{id}…`: read one, change seats or status, read its audit trail.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, ETAG};
use axum::response::IntoResponse;
use shared::ErrorCode;
use shared::api::ErrorBody;
use shared::api::{
    ChangeSubscriptionRequest, EventPage, EventsRequest, SubscriptionView, etag_for, parse_if_match,
};
use shared::changes::plan_change;
use shared::ids::SubscriptionId;

use crate::agent::SignedInAgent;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::http::auth::MayChange;
use crate::http::extract::{JsonBody, path_id, required_header};
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::lifecycle;
use crate::state::AppState;
use crate::store::{NewEvent, UpdateOutcome};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

fn with_etag(view: SubscriptionView) -> impl IntoResponse {
    ([(ETAG, etag_for(view.subscription.version))], Json(view))
}

/// `/api/subscriptions/{id}…`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_one, change))
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
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id: SubscriptionId = path_id(&id, "subscription")?;
    let now = clock::unix_business_now();
    // A term that ended since the minute's task last ran is renewed (or expired) first, a few
    // terms at most: one that owes more is shown part-way, and the background task goes on.
    lifecycle::catch_up(
        state.store.as_ref(),
        agent.partner_id,
        id,
        now,
        lifecycle::INLINE_STEPS,
    )
    .await?;
    let sub = state.store.subscription(agent.partner_id, id).await?;
    let sub = sub.ok_or_else(|| AppError::not_found("subscription"))?;
    Ok(with_etag(SubscriptionView::new(sub, agent.role, now)))
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
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<ChangeSubscriptionRequest>,
) -> AppResult<impl IntoResponse> {
    let expected = required_header(&headers, "if-match", || {
        AppError::new(
            ErrorCode::IfMatchRequired,
            "Send If-Match with the subscription's ETag, so your change cannot overwrite one you have not seen.",
        )
        .with_field("If-Match")
    })?;
    // One tag: a second If-Match line would be a list, which no version matches as one.
    if headers.get_all("if-match").iter().count() > 1 {
        return Err(AppError::new(
            ErrorCode::MalformedRequest,
            "Send one If-Match header, with the subscription's ETag.",
        )
        .with_field("If-Match"));
    }
    let expected = parse_if_match(expected)?;
    let id: SubscriptionId = path_id(&id, "subscription")?;
    let change = request.into_change()?;

    // A term that ended since the agent looked is renewed (or expired) first: the change then
    // meets a new version and is answered with a conflict showing the new term. One that owes
    // more terms than a request applies is not changed until the background task is through.
    let caught_up = lifecycle::catch_up(
        state.store.as_ref(),
        agent.partner_id,
        id,
        clock::unix_business_now(),
        lifecycle::INLINE_STEPS,
    )
    .await?;
    if !caught_up.done {
        return Err(AppError::new(
            ErrorCode::StorageUnavailable,
            "This subscription's past terms are still being renewed: try again in a minute.",
        )
        .retry_after(60));
    }
    let current = state.store.subscription(agent.partner_id, id).await?;
    let current = current.ok_or_else(|| AppError::not_found("subscription"))?;
    if current.version != expected {
        return Err(AppError::conflict(SubscriptionView::new(
            current,
            agent.role,
            clock::unix_business_now(),
        )));
    }
    let now = clock::unix_business_now();
    let planned = match plan_change(&current, &change, now) {
        Ok(planned) => planned,
        Err(refused) => {
            // A refusal judged on a subscription another request was changing (its row and
            // its seat batches are read one after the other) is a conflict, not a rule.
            let again = state.store.subscription(agent.partner_id, id).await?;
            return Err(match again {
                Some(again) if again.version != expected => {
                    AppError::conflict(SubscriptionView::new(again, agent.role, now))
                }
                _ => refused.into(),
            });
        }
    };
    let batches = planned.seat_batches.clone();
    let (action, after) = (planned.action, planned.after);
    // What a cancellation refunds is what the page showed before Cancel: recorded with it.
    let refund_cents = (after.status == shared::model::Status::Cancelled)
        .then(|| shared::billing::cancellation_refund(&current, now));
    let event = NewEvent {
        after: after.clone(),
        agent_id: Some(agent.agent_id),
        agent_email: agent.email.clone(),
        at: clock::now_rfc3339(),
        action,
        before: Some(planned.before),
        source: None,
        refund_cents,
    };
    match state
        .store
        .update_subscription(agent.partner_id, id, expected, after, batches, event)
        .await?
    {
        UpdateOutcome::Updated(sub) => {
            tracing::info!(agent = %agent.email, subscription = %id, action = action.as_str(), version = sub.version, "changed");
            Ok(with_etag(SubscriptionView::new(sub, agent.role, now)))
        }
        UpdateOutcome::Conflict(current) => Err(AppError::conflict(SubscriptionView::new(
            current, agent.role, now,
        ))),
        UpdateOutcome::NotFound => Err(AppError::not_found("subscription")),
    }
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
    Path(id): Path<String>,
    params: Result<Query<EventsParams>, QueryRejection>,
) -> AppResult<Json<EventPage>> {
    let id: SubscriptionId = path_id(&id, "subscription")?;
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
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id: SubscriptionId = path_id(&id, "subscription")?;
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
