//! `POST /api/test/clock`: moves the subscription rules' clock. Exists only on a server started
//! with `--unsafe-test-clock` (tests), and is left out of the OpenAPI document on purpose.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shared::ErrorCode;
use shared::calendar::parse_rfc3339;

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::http::extract::JsonBody;
use crate::state::AppState;

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
    /// Renewals, expiries and later steps applied because the clock moved.
    term_end_steps: usize,
}

/// The instants the clock may show: the years every date rule (terms of a year, windows of a
/// week) can compute without leaving the calendar the server formats.
const EARLIEST: i64 = 946_684_800; // 2000-01-01T00:00:00Z
const LATEST: i64 = 32_503_680_000; // 3000-01-01T00:00:00Z
/// The furthest one request moves the clock forward (2 years of 366 days): on the demo data
/// that is a few thousand steps, well within the request's time limit.
const MAX_JUMP: i64 = 2 * 366 * 86_400;

async fn set(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<ClockRequest>,
) -> AppResult<Json<ClockState>> {
    let out_of_range = || {
        AppError::new(
            ErrorCode::MalformedRequest,
            "The test clock runs from 2000-01-01 to 3000-01-01: nothing was changed.",
        )
    };
    // Worked out in full first, so a refused request changes nothing.
    let mut frozen = state.clock.frozen_at();
    let mut offset = state.clock.offset();
    if request.reset {
        frozen = None;
        offset = 0;
    }
    if let Some(text) = &request.now {
        let at = parse_rfc3339(text).ok_or_else(|| {
            AppError::new(
                ErrorCode::MalformedRequest,
                "now must read like 2027-03-01T10:00:00Z",
            )
        })?;
        frozen = Some(at);
    }
    if let Some(advance) = request.advance_seconds {
        match frozen {
            Some(t) => frozen = Some(t.checked_add(advance).ok_or_else(out_of_range)?),
            None => offset = offset.checked_add(advance).ok_or_else(out_of_range)?,
        }
    }
    let shown = match frozen {
        Some(t) => t,
        None => clock::unix_now()
            .checked_add(offset)
            .ok_or_else(out_of_range)?,
    };
    if !(EARLIEST..LATEST).contains(&shown) {
        return Err(out_of_range());
    }
    // Every renewal missed is applied, one term at a time, before the answer: a jump of
    // centuries would be millions of steps. Further in several moves of two years at most.
    if shown - state.clock.unix() > MAX_JUMP {
        return Err(AppError::new(
            ErrorCode::MalformedRequest,
            "The test clock moves forward at most 2 years at a time (each renewal on the way is applied): move it in steps. Nothing was changed.",
        ));
    }
    match frozen {
        Some(t) => state.clock.freeze_at(t),
        None => state.clock.unfreeze(),
    }
    state.clock.set_offset(offset);
    let now = clock::rfc3339(state.clock.now());
    tracing::warn!(%now, "the subscription rules' clock was moved (--unsafe-test-clock)");
    // What the minute's task would do, done before answering: a test reads the result at once.
    let term_end_steps =
        crate::service::renewals::run_due(state.store.as_ref(), state.clock.unix()).await?;
    Ok(Json(ClockState {
        now,
        frozen: state.clock.frozen_at().is_some(),
        term_end_steps,
    }))
}
