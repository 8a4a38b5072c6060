//! `/api/prices…`: the partner's price rules, and what they give for every offer (the Prices
//! page). The work is `service::prices`', shared with `reseller-console prices`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shared::ErrorCode;
use shared::api::{ErrorBody, PriceTable};
use shared::ids::CustomerId;
use shared::pricing::{PriceRule, PriceRuleInput};
use shared::roles::{Permission, role_allows};

use crate::agent::SignedInAgent;
use crate::error::{AppError, AppResult};
use crate::http::auth::MaySetPrices;
use crate::http::extract::JsonBody;
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::service;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(price_table))
        .routes(routes!(set_price_rule))
        .routes(routes!(remove_price_rule))
}

#[derive(Deserialize)]
pub struct PriceParams {
    customer: Option<String>,
    day: Option<String>,
}

/// The `customer` a price is asked for: its id, or none (empty or left out).
pub fn customer_param(text: Option<&str>) -> AppResult<Option<CustomerId>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(c) => c.parse().map(Some).map_err(|_| {
            AppError::new(
                ErrorCode::MalformedRequest,
                format!("\"{c}\" is not a customer id"),
            )
            .with_field("customer")
        }),
    }
}

#[utoipa::path(
    get, path = "/prices", tag = "prices",
    operation_id = "price_table",
    security(("session" = [])),
    params(
        ("customer" = Option<String>, Query, pattern = "^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "Price for this customer (its id); empty: a customer without rules of its own"),
        ("day" = Option<String>, Query, description = "The day, YYYY-MM-DD (default: today, UTC)"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "The partner's price rules and every offer's price; cost and margin only for roles that see costs", body = PriceTable),
        (status = 400, description = "A parameter could not be read; `field` names which", body = ErrorBody),
        (status = 404, description = "No such customer, or one of another partner", body = ErrorBody),
    )
)]
pub async fn price_table(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<PriceParams>, QueryRejection>,
) -> AppResult<Json<PriceTable>> {
    let Query(params) = params?;
    let bad = |field: &str, why: String| {
        AppError::new(ErrorCode::MalformedRequest, why).with_field(field)
    };
    let customer = customer_param(params.customer.as_deref())?;
    let day = match params.day.as_deref().map(str::trim) {
        None | Some("") => {
            shared::calendar::date_text(shared::calendar::date_of(state.clock.unix()))
        }
        Some(d) => shared::file_values::parse_date(d).map_err(|e| bad("day", e))?,
    };
    let costs_shown = role_allows(agent.role, Permission::SeeCosts);
    Ok(Json(
        service::prices::price_table(
            state.store.as_ref(),
            agent.partner_id,
            customer,
            &day,
            costs_shown,
        )
        .await?,
    ))
}

#[utoipa::path(
    post, path = "/prices/rules", tag = "prices",
    operation_id = "set_price_rule",
    security(("session" = [])),
    request_body = PriceRuleInput,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 201, description = "Saved, replacing the rule of the same scope and day if there was one", body = PriceRule),
        (status = 400, description = "The request could not be read", body = ErrorBody),
        (status = 403, description = "Only admin agents set prices", body = ErrorBody),
        (status = 404, description = "No such customer, or one of another partner", body = ErrorBody),
        (status = 422, description = "The markup, price, date or scope refused (`invalid_price`, `field` names which), or an offer the partner does not sell", body = ErrorBody),
    )
)]
pub async fn set_price_rule(
    State(state): State<AppState>,
    MaySetPrices(agent): MaySetPrices,
    JsonBody(input): JsonBody<PriceRuleInput>,
) -> AppResult<(StatusCode, Json<PriceRule>)> {
    let rule = service::prices::set_rule(
        state.store.as_ref(),
        agent.partner_id,
        &input,
        &agent.email,
        state.clock.unix(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

#[utoipa::path(
    delete, path = "/prices/rules/{id}", tag = "prices",
    operation_id = "remove_price_rule",
    security(("session" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    responses(
        SignedInErrors,
        (status = 204, description = "Removed"),
        (status = 403, description = "Only admin agents set prices", body = ErrorBody),
        (status = 404, description = "No such rule of this partner", body = ErrorBody),
    )
)]
pub async fn remove_price_rule(
    State(state): State<AppState>,
    MaySetPrices(agent): MaySetPrices,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    service::prices::remove_rule(state.store.as_ref(), agent.partner_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
