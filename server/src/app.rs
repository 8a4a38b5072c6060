//! The HTTP application: routes → handlers, and the layers around them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use clap::Parser;
use shared::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::routes::{customers, offers, session, subscriptions};
use crate::store::Store;
use crate::{auth, demo, store};

/// Command line; every flag can also come from the environment variable it names.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "reseller-console",
    about = "Reseller Console: API and browser app server"
)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; the URL is printed).
    #[arg(long, env = "RC_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// sqlite://PATH (created and migrated at start).
    #[arg(
        long,
        env = "RC_DATABASE_URL",
        default_value = "sqlite://data/reseller-console.db"
    )]
    pub database_url: String,
    /// The built browser app (trunk's dist/): served for every path outside /api.
    #[arg(long, env = "RC_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Seed demo partners, agents, offers and customers into an empty database.
    #[arg(long, env = "RC_DEMO")]
    pub demo: bool,
    /// Mark the session cookie Secure (set when TLS ends at this server; `X-Forwarded-Proto:
    /// https` from a proxy does the same per request).
    #[arg(long, env = "RC_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Allow these exact origins to call the API with credentials (CORS). For test set-ups
    /// whose page is served from another port; leave unset in production.
    #[arg(long = "cors-origin", env = "RC_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub secure_cookies: bool,
    /// Checked when an e-mail is unknown, so sign-in takes as long as for a real agent.
    pub dummy_password_hash: String,
}

pub fn router(
    state: AppState,
    static_dir: &Path,
    cors_origins: &[String],
) -> Result<Router, String> {
    let api = Router::new()
        .route(
            "/session",
            get(session::current)
                .post(session::sign_in)
                .delete(session::sign_out),
        )
        .route("/customers", get(customers::list))
        .route("/customers/{id}", get(customers::get_one))
        .route(
            "/customers/{id}/subscriptions",
            get(customers::subscriptions).post(customers::order),
        )
        .route(
            "/subscriptions/{id}",
            get(subscriptions::get_one).patch(subscriptions::change),
        )
        .route("/subscriptions/{id}/events", get(subscriptions::events))
        .route(
            "/subscriptions/{id}/events.csv",
            get(subscriptions::events_csv),
        )
        .route("/offers", get(offers::list))
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
        .fallback_service(static_files(static_dir))
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
        // API answers and index.html are compressed on the fly; the app's big assets already
        // have .br/.gz siblings written at build time (scripts/precompress.mjs), which ServeDir
        // sends as they are, so the layer leaves those alone.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http());
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

/// The single-page apps: a file if it exists, else the nearest `index.html` up the path, so
/// deep links survive reload both for the console at `/` and for a host page that embeds it
/// under a sub-path (e.g. `/portal/subscriptions/…` → `portal/index.html`).
fn static_files(dir: &Path) -> axum::routing::MethodRouter {
    if dir.join("index.html").is_file() {
        let root = dir.to_owned();
        let nearest = get(move |uri: axum::http::Uri| nearest_index(root.clone(), uri));
        axum::routing::get_service(
            ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(nearest),
        )
        // Asset names carry no content hash (hosts load them by fixed URL), so browsers must
        // revalidate: a new JS glue beside a cached old wasm would not start. Unchanged
        // files cost a 304.
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
    } else {
        tracing::warn!(dir = %dir.display(), "no built browser app here; serving a placeholder page");
        get(|| async {
            Html(
                "<!doctype html><title>Reseller Console</title><p>The Reseller Console API is running. \
                  The browser app has not been built: start the console with <code>scripts/run</code>.</p>",
            )
        })
    }
}

async fn nearest_index(root: PathBuf, uri: axum::http::Uri) -> Response {
    // Only plain path segments: "..", "." and the like never leave the static folder.
    let segments: Vec<&str> = uri
        .path()
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != ".." && !s.contains('\\'))
        .collect();
    for depth in (0..=segments.len()).rev() {
        let candidate = segments[..depth]
            .iter()
            .fold(root.clone(), |p, s| p.join(s))
            .join("index.html");
        if let Ok(html) = tokio::fs::read_to_string(&candidate).await {
            return ([(CACHE_CONTROL, "no-cache")], Html(html)).into_response();
        }
    }
    StatusCode::NOT_FOUND.into_response()
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// Opens the database, seeds demo data if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = store::connect(&config.database_url).await?;
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
    let state = AppState {
        store,
        secure_cookies: config.secure_cookies,
        dummy_password_hash,
    };
    let app = router(state, &config.static_dir, &config.cors_origins)?;
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
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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
