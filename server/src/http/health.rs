//! `/healthz`, for load balancers.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::clock;
use crate::state::AppState;

/// How long a write probe's answer is reused: a load balancer polling every second costs
/// at most one tiny write a second.
const HEALTH_PROBE_REUSE: Duration = Duration::from_secs(1);

/// Ready when the database both answers and can save. A load balancer can take a server out
/// on 503 (disk full, read-only, database unreachable) and back in once writes work again.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let reads = state.store.ping().await;
    let writes = {
        let mut last = state.health.lock().await;
        match *last {
            Some((at, ok)) if at.elapsed() < HEALTH_PROBE_REUSE => Ok(ok),
            _ => {
                let probe = state.store.probe_write(clock::unix_now()).await;
                *last = Some((Instant::now(), probe.is_ok()));
                probe.map(|()| true)
            }
        }
    };
    match (reads, writes) {
        (Ok(()), Ok(true)) => Json(serde_json::json!({"status": "ok"})).into_response(),
        (reads, writes) => {
            if let Err(e) = &reads {
                tracing::error!(error = %e, "health check: the database does not answer");
            }
            if let Err(e) = &writes {
                tracing::error!(error = %e, "health check: the database cannot save");
            }
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(axum::http::header::RETRY_AFTER, "1")],
                Json(serde_json::json!({
                    "status": "unavailable",
                    "reads": reads.is_ok(),
                    "writes": matches!(writes, Ok(true)),
                })),
            )
                .into_response()
        }
    }
}
