//! The built browser app, served for every path outside `/api`.

use std::path::{Path, PathBuf};

use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The single-page apps: a file if it exists, else the nearest `index.html` up the path, so
/// deep links survive reload both for the console at `/` and for a host page that embeds it
/// under a sub-path (e.g. `/portal/subscriptions/…` → `portal/index.html`).
pub fn service(dir: &Path) -> MethodRouter {
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
