//! The HTTP application: routes → handlers, and the layers around them.

pub mod auth;
pub mod error;
pub mod extract;
pub mod health;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod serve;
pub mod static_files;
pub mod strict_json;

use std::path::Path;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Router, middleware as layer};
use shared::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::http::extract::MAX_BODY_BYTES;
use crate::http::middleware::{log_failure, refuse_bad_requests, run_to_completion};
use crate::http::routes::{
    activity, customers, offers, partner_center, pending_orders, prices, reconciliation, renewals,
    session, statements, subscriptions, team, test_clock,
};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router(
    state: AppState,
    static_dir: &Path,
    cors_origins: &[String],
    request_timeout: Duration,
) -> Result<Router, String> {
    // Each endpoint is declared once, by its handler's `#[utoipa::path]`: routed here and
    // described in the document from the same annotation.
    let (documented, described) = OpenApiRouter::new()
        .merge(session::routes())
        .merge(team::routes())
        .merge(customers::routes())
        .merge(pending_orders::routes())
        .merge(partner_center::routes())
        .merge(activity::routes())
        .merge(subscriptions::routes())
        .merge(offers::routes())
        .merge(renewals::routes())
        .merge(prices::routes())
        .merge(statements::routes())
        .merge(reconciliation::routes())
        .split_for_parts();
    let document = openapi::document(described);
    let api = documented
        .merge(if state.test_clock {
            test_clock::routes()
        } else {
            Router::new()
        })
        .route("/openapi.json", get(move || openapi::serve(document)))
        .fallback(|| async { AppError::new(ErrorCode::NotFound, "No such API endpoint.") })
        .method_not_allowed_fallback(|| async {
            AppError::new(
                ErrorCode::MethodNotAllowed,
                "This endpoint does not accept that method.",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    let mut app = Router::new()
        .nest("/api", api)
        .route("/healthz", get(health::healthz))
        .fallback_service(static_files::service(static_dir)?)
        .with_state(state)
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // The console buys and suspends: no other site may frame it to trick a click
        // (clickjacking). Hosts embed it with `mount`, on their own page, not in a frame.
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("frame-ancestors 'self'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::new(
                ErrorCode::Internal,
                "The server hit an unexpected error. Try again.",
            )
            .into_response()
        }))
        .layer(layer::from_fn_with_state(
            request_timeout,
            run_to_completion,
        ))
        .layer(layer::from_fn(refuse_bad_requests))
        // API answers (and CSV downloads) are compressed on the fly; the app's files have
        // .br/.gz siblings written at build time (scripts/precompress.mjs), which
        // static_files sends as they are, so the layer leaves those alone.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().on_failure(log_failure));
    if !cors_origins.is_empty() {
        let origins = cors_origins
            .iter()
            .map(|o| HeaderValue::from_str(o).map_err(|_| format!("bad CORS origin {o:?}")))
            .collect::<Result<Vec<_>, _>>()?;
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_credentials(true)
                .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
                .allow_headers([
                    CONTENT_TYPE,
                    IF_MATCH,
                    HeaderName::from_static("idempotency-key"),
                ])
                .expose_headers([
                    ETAG,
                    LOCATION,
                    HeaderName::from_static("idempotent-replayed"),
                ]),
        );
    }
    Ok(app)
}
