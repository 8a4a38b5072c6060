//! `/api/offers`: the part of the catalogue the signed-in partner may sell.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use shared::api::{ErrorBody, ItemList, PricedOffer};

use crate::agent::SignedInAgent;
use crate::error::AppResult;
use crate::http::openapi::SignedInErrors;
use crate::http::routes::prices::customer_param;
use crate::service;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `/api/offers`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize)]
pub struct OfferParams {
    customer: Option<String>,
}

#[utoipa::path(
    get, path = "/offers", tag = "offers",
    operation_id = "list_offers",
    security(("session" = [])),
    params(
        ("customer" = Option<String>, Query, pattern = "^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "Priced for this customer (its id); empty: a customer without price rules of its own"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "The offers this partner may sell, at the customer's price today; the partner's cost only for roles that see costs", body = ItemList<PricedOffer>),
        (status = 400, description = "customer is not an id", body = ErrorBody),
        (status = 404, description = "No such customer, or one of another partner", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<OfferParams>, QueryRejection>,
) -> AppResult<Json<ItemList<PricedOffer>>> {
    let Query(params) = params?;
    let customer = customer_param(params.customer.as_deref())?;
    let items =
        service::prices::priced_offers(state.store.as_ref(), &agent, customer, state.clock.unix())
            .await?;
    Ok(Json(ItemList { items }))
}
