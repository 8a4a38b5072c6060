//! `/api/offers`: the part of the catalogue the signed-in partner may sell.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use shared::api::ErrorBody;
use shared::api::ItemList;
use shared::model::Offer;

use crate::agent::SignedInAgent;
use crate::error::AppResult;
use crate::state::AppState;

/// `/api/offers`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/offers", get(list))
}

#[utoipa::path(
    get, path = "/api/offers", tag = "offers",
    operation_id = "list_offers",
    security(("session" = [])),
    responses(
        (status = 200, description = "The offers this partner may sell", body = ItemList<Offer>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 500, description = "Unexpected server error", body = ErrorBody),
        (status = 503, description = "The database cannot be reached or cannot save, the request timed out, or the server is busy; retry after `Retry-After` seconds", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
) -> AppResult<Json<ItemList<Offer>>> {
    let items = state.store.offers_for_partner(agent.partner_id).await?;
    Ok(Json(ItemList { items }))
}
