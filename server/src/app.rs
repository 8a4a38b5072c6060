//! The HTTP application: routes → handlers, and the layers around them.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use shared::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::password_check::PasswordChecker;
use crate::routes::{customers, offers, session, subscriptions, team};
use crate::serve::{ConnectionLimits, serve};
use crate::store::Store;
use crate::{auth, clock, demo, store};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub secure_cookies: bool,
    /// Checked when an e-mail is unknown, so sign-in takes as long as for a real agent.
    pub dummy_password_hash: String,
    pub password_checker: PasswordChecker,
    /// The last write probe of `/healthz`: when, and whether the database could save.
    pub health: Arc<tokio::sync::Mutex<Option<(Instant, bool)>>>,
    /// The host portal's signing secret, when signed embedding is configured.
    pub embed: Option<Arc<crate::embed::EmbedKey>>,
    /// `--unsafe-test-clock`: tests may move the subscription rules' clock.
    pub test_clock: bool,
    /// `--sign-in-attempts-kept`: the most rows the sign-in throttle keeps.
    pub sign_in_attempts_kept: u32,
}

pub fn router(
    state: AppState,
    static_dir: &Path,
    cors_origins: &[String],
    request_timeout: Duration,
) -> Result<Router, String> {
    let api = Router::new()
        .merge(session::routes(state.embed.is_some()))
        .merge(team::routes())
        .merge(customers::routes())
        .merge(crate::routes::activity::routes())
        .merge(subscriptions::routes())
        .merge(offers::routes())
        .merge(crate::routes::renewals::routes())
        .merge(if state.test_clock {
            crate::routes::test_clock::routes()
        } else {
            Router::new()
        })
        .route("/openapi.json", get(crate::openapi::serve_document))
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
        .route("/healthz", get(healthz))
        .fallback_service(crate::static_files::service(static_dir)?)
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
        .layer(middleware::from_fn_with_state(
            request_timeout,
            run_to_completion,
        ))
        .layer(middleware::from_fn(refuse_bad_requests))
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

/// 503s (busy, timed out, database unavailable) are the server protecting itself, logged as
/// warnings; any other 5xx is a fault, logged as an error.
fn log_failure(
    class: tower_http::classify::ServerErrorsFailureClass,
    latency: Duration,
    _span: &tracing::Span,
) {
    use tower_http::classify::ServerErrorsFailureClass::StatusCode as Status;
    match class {
        Status(status) if status == StatusCode::SERVICE_UNAVAILABLE => {
            tracing::warn!(?latency, "answered 503");
        }
        other => tracing::error!(?latency, failure = %other, "request failed"),
    }
}

/// Each request runs in a task of its own, so a client that hangs up (a closed tab, a proxy
/// timeout) cannot cancel a write half-way: it finishes or rolls back as if the client had
/// stayed. The client gets a 503 if the answer is not ready within `timeout`; the work goes on.
async fn run_to_completion(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let work = tokio::spawn(next.run(request));
    match tokio::time::timeout(timeout, work).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "request task failed");
            AppError::new(
                ErrorCode::Internal,
                "The server hit an unexpected error. Try again.",
            )
            .into_response()
        }
        Err(_) => {
            tracing::warn!("request not answered within {timeout:?}");
            // The client may still be sending (a stalled upload): end the connection too.
            let mut response = AppError::timed_out().into_response();
            close_connection(&mut response);
            response
        }
    }
}

/// Paths no file or route can have (a NUL or control byte, bytes that are not UTF-8, a name
/// longer than any file system allows) answer 404 before the static server sees them (it
/// answered some of them with a 500), as an id that cannot be parsed does.
///
/// A body announced larger than the API accepts is refused at once, before it is sent, and the
/// connection closed: nobody waits for a gigabyte that will be refused anyway.
async fn refuse_bad_requests(request: Request, next: Next) -> Response {
    if !is_possible_path(request.uri().path()) {
        return AppError::new(ErrorCode::NotFound, "No such path.").into_response();
    }
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        let mut response = AppError::new(
            ErrorCode::BodyTooLarge,
            format!(
                "The body is larger than the {} KiB allowed.",
                MAX_BODY_BYTES / 1024
            ),
        )
        .into_response();
        close_connection(&mut response);
        return response;
    }
    next.run(request).await
}

/// Asks hyper to close the connection after this response (its request body may be unread).
fn close_connection(response: &mut Response) {
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        HeaderValue::from_static("close"),
    );
}

fn is_possible_path(path: &str) -> bool {
    let decoded = percent_decode(path.as_bytes());
    std::str::from_utf8(&decoded).is_ok_and(|text| {
        !text.chars().any(char::is_control) && text.split('/').all(|segment| segment.len() <= 255)
    })
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// How long a write probe's answer is reused: a load balancer polling every second costs
/// at most one tiny write a second.
const HEALTH_PROBE_REUSE: Duration = Duration::from_secs(1);

/// Ready when the database both answers and can save. A load balancer can take a server out
/// on 503 (disk full, read-only, database unreachable) and back in once writes work again.
async fn healthz(State(state): State<AppState>) -> Response {
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

/// Opens the database, seeds demo data if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = store::connect(&config.database_url, config.db_timeout).await?;
    if config.demo {
        if store.is_empty().await? {
            let seed = tokio::task::spawn_blocking(demo::seed).await?;
            store.seed(&seed).await?;
            tracing::info!("seeded demo data");
        } else {
            tracing::info!("database already has data; demo data not added again");
        }
    }
    let dummy_password_hash =
        tokio::task::spawn_blocking(|| auth::hash_password("not a real password")).await?;
    let workers = config.sign_in_workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let state = AppState {
        store,
        secure_cookies: config.secure_cookies,
        dummy_password_hash,
        password_checker: PasswordChecker::new(workers, config.db_timeout),
        health: Arc::default(),
        test_clock: config.unsafe_test_clock,
        sign_in_attempts_kept: config.sign_in_attempts_kept,
        embed: match &config.embed_secret_file {
            Some(path) => Some(Arc::new(crate::embed::EmbedKey::from_file(path)?)),
            None => None,
        },
    };
    // Renewals and expiries: at start (catching up after downtime), then every minute.
    crate::lifecycle::spawn(state.store.clone(), std::time::Duration::from_secs(60));
    let app = router(
        state,
        &config.static_dir,
        &config.cors_origins,
        config.request_timeout,
    )?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to learn the port.
    println!("Reseller Console listening on http://{addr}/");
    if config.demo {
        println!(
            "Demo sign-ins (demo data only; password \"{}\"):",
            demo::DEMO_PASSWORD
        );
        for (email, role, partner) in demo::DEMO_AGENTS {
            println!("  {email:<28} {role:<10} {partner}");
        }
    }
    let limits = ConnectionLimits {
        header_timeout: config.header_timeout,
        max_connections: config.max_connections,
        write_stall: config.request_timeout,
    };
    serve(listener, app, limits, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_no_file_can_have_are_refused() {
        assert!(is_possible_path("/console.css"));
        assert!(is_possible_path("/portal/subscriptions/x%20y"));
        assert!(!is_possible_path("/console.css%00"));
        assert!(!is_possible_path("/a%0Ab"));
        assert!(!is_possible_path("/%ff%fe"));
        assert!(!is_possible_path(&format!("/{}", "a".repeat(256))));
        // A lone or broken escape is taken literally, as a file name could hold it.
        assert!(is_possible_path("/100%"));
        assert!(is_possible_path("/%zz"));
    }
}
