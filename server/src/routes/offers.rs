//! `/api/offers`: the part of the catalogue the signed-in partner may sell.

use axum::Json;
use axum::extract::State;
use shared::api::ItemList;
use shared::model::Offer;

use crate::app::AppState;
use crate::error::AppResult;
use crate::store::SignedInAgent;

pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
) -> AppResult<Json<ItemList<Offer>>> {
    let items = state.store.offers_for_partner(agent.partner_id).await?;
    Ok(Json(ItemList { items }))
}
