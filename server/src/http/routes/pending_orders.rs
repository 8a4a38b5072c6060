//! `/api/customers/{id}/pending-orders…`: a connected partner's orders still waiting for
//! Microsoft, sent on again or given up.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{ErrorBody, ItemList, PendingOrder, SubscriptionView};
use shared::ids::CustomerId;
use uuid::Uuid;

use crate::agent::SignedInAgent;
use crate::error::{AppError, AppResult};
use crate::http::auth::MayOrder;
use crate::http::openapi::SignedInErrors;
use crate::http::routes::customers::order_response;
use crate::service;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pending_orders))
        .routes(routes!(retry_pending_order))
        .routes(routes!(discard_pending_order))
}

/// The customer's id and an order's, or a 404 naming which is unknown.
fn ids(customer: &str, order: &str) -> AppResult<(CustomerId, Uuid)> {
    let customer = customer
        .parse()
        .map_err(|_| AppError::not_found("customer"))?;
    let order = order.parse().map_err(|_| AppError::not_found("order"))?;
    Ok((customer, order))
}

#[utoipa::path(
    get, path = "/customers/{id}/pending-orders", tag = "customers",
    operation_id = "list_pending_orders",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Customer id")),
    responses(
        SignedInErrors,
        (status = 200, description = "The customer's orders waiting for Microsoft (none for a partner without a Partner Center connection)", body = ItemList<PendingOrder>),
        (status = 404, description = "No such customer, or one of another partner", body = ErrorBody),
    )
)]
pub async fn list_pending_orders(
    State(state): State<AppState>,
    agent: SignedInAgent,
    Path(customer): Path<String>,
) -> AppResult<Json<ItemList<PendingOrder>>> {
    let customer: CustomerId = customer
        .parse()
        .map_err(|_| AppError::not_found("customer"))?;
    let items =
        service::partner_center_orders::pending_orders(&state.partner_center, &agent, customer)
            .await?;
    Ok(Json(ItemList { items }))
}

/// Sends a waiting order on now (a failed one with its attempts counted afresh).
#[utoipa::path(
    post, path = "/customers/{id}/pending-orders/{order}/retry", tag = "customers",
    operation_id = "retry_pending_order",
    security(("session" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Customer id"),
        ("order" = uuid::Uuid, Path, description = "The waiting order's id"),
    ),
    responses(
        SignedInErrors,
        (status = 201, description = "Microsoft created the subscription", body = SubscriptionView),
        (status = 202, description = "Still waiting for Microsoft", body = PendingOrder),
        (status = 403, description = "The agent's role does not allow ordering", body = ErrorBody),
        (status = 404, description = "No such customer or waiting order", body = ErrorBody),
        (status = 422, description = "Microsoft refused the order (`partner_center` holds its words); nothing was bought", body = ErrorBody),
        (status = 429, description = "Partner Center asked this partner to slow down: nothing was sent, no attempt spent; `retry_after_seconds` says when to try again", body = ErrorBody),
    )
)]
pub async fn retry_pending_order(
    State(state): State<AppState>,
    MayOrder(agent): MayOrder,
    Path((customer, order)): Path<(String, String)>,
) -> AppResult<Response> {
    let (customer, order) = ids(&customer, &order)?;
    let answer =
        service::partner_center_orders::retry(&state.partner_center, &agent, customer, order)
            .await?;
    order_response(state.store.as_ref(), answer, &agent, state.clock.unix()).await
}

/// Gives a waiting order up (if Microsoft placed it after all, a sync brings it in).
#[utoipa::path(
    delete, path = "/customers/{id}/pending-orders/{order}", tag = "customers",
    operation_id = "discard_pending_order",
    security(("session" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Customer id"),
        ("order" = uuid::Uuid, Path, description = "The waiting order's id"),
    ),
    responses(
        SignedInErrors,
        (status = 204, description = "Given up"),
        (status = 403, description = "The agent's role does not allow ordering", body = ErrorBody),
        (status = 404, description = "No such customer or waiting order", body = ErrorBody),
        (status = 409, description = "An attempt is being sent right now, or Microsoft answered meanwhile", body = ErrorBody),
    )
)]
pub async fn discard_pending_order(
    State(state): State<AppState>,
    MayOrder(agent): MayOrder,
    Path((customer, order)): Path<(String, String)>,
) -> AppResult<impl IntoResponse> {
    let (customer, order) = ids(&customer, &order)?;
    service::partner_center_orders::discard(&state.partner_center, &agent, customer, order).await?;
    Ok(StatusCode::NO_CONTENT)
}
