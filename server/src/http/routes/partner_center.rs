//! `/api/partner-center/queue`: what the agent's partner has waiting for Microsoft, and what
//! Microsoft lately refused.

use axum::Json;
use axum::extract::State;
use shared::api::{ErrorBody, MicrosoftQueue};

use crate::agent::SignedInAgent;
use crate::error::AppResult;
use crate::http::openapi::SignedInErrors;
use crate::service;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue))
}

#[utoipa::path(
    get, path = "/partner-center/queue", tag = "partner-center",
    operation_id = "list_waiting_for_microsoft",
    security(("session" = [])),
    responses(
        SignedInErrors,
        (status = 200, description = "The partner's changes and orders waiting for Microsoft (pending or failed), and those Microsoft refused in the last 7 days, oldest first; empty for a partner without a Partner Center connection", body = MicrosoftQueue),
        (status = 500, description = "The server failed", body = ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    agent: SignedInAgent,
) -> AppResult<Json<MicrosoftQueue>> {
    let queue =
        service::partner_center::queue(state.store.as_ref(), &agent, state.clock.unix()).await?;
    Ok(Json(queue))
}
