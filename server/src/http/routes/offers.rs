//! `/api/offers`: the part of the catalogue the signed-in partner may sell.

use axum::Json;
use axum::extract::State;
use shared::api::ItemList;
use shared::model::Offer;

use crate::agent::SignedInAgent;
use crate::error::AppResult;
use crate::http::openapi::SignedInErrors;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `/api/offers`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[utoipa::path(
    get, path = "/offers", tag = "offers",
    operation_id = "list_offers",
    security(("session" = [])),
    responses(
        SignedInErrors,
        (status = 200, description = "The offers this partner may sell", body = ItemList<Offer>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
) -> AppResult<Json<ItemList<Offer>>> {
    let items = state.store.offers_for_partner(agent.partner_id).await?;
    Ok(Json(ItemList { items }))
}
