//! `POST /api/test/clock`: moves the subscription rules' clock. Exists only on a server started
//! with `--unsafe-test-clock` (tests), and is left out of the OpenAPI document on purpose.

use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shared::ErrorCode;
use shared::calendar::parse_rfc3339;

use crate::app::AppState;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::extract::JsonBody;

pub fn routes() -> Router<AppState> {
    Router::new().route("/test/clock", post(set))
}

/// `now` (RFC 3339) stops the clock at that instant; `advance_seconds` moves it on (a stopped
/// clock stays stopped at the new instant; a running one runs ahead by that much more).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    now: Option<String>,
    advance_seconds: Option<i64>,
    /// Back to the system clock (first, before `now` or `advance_seconds`).
    #[serde(default)]
    reset: bool,
}

#[derive(Serialize)]
pub struct ClockState {
    now: String,
    frozen: bool,
}

async fn set(JsonBody(request): JsonBody<ClockRequest>) -> AppResult<Json<ClockState>> {
    if request.reset {
        clock::unfreeze();
        clock::set_offset(0);
    }
    if let Some(text) = &request.now {
        let at = parse_rfc3339(text).ok_or_else(|| {
            AppError::new(
                ErrorCode::MalformedRequest,
                "now must read like 2027-03-01T10:00:00Z",
            )
        })?;
        clock::freeze_at(at);
    }
    if let Some(advance) = request.advance_seconds {
        match clock::frozen_at() {
            Some(t) => clock::freeze_at(t.saturating_add(advance)),
            None => clock::set_offset(clock::offset().saturating_add(advance)),
        }
    }
    let now = clock::rfc3339(clock::now());
    tracing::warn!(%now, "the subscription rules' clock was moved (--unsafe-test-clock)");
    Ok(Json(ClockState {
        now,
        frozen: clock::frozen_at().is_some(),
    }))
}
