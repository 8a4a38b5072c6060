//! The built browser app, served for every path outside `/api`, from memory.
//!
//! The folder is read once at start (the app is a few files, about a megabyte with their
//! `.br`/`.gz` siblings, which `scripts/precompress.mjs` writes at build time): a request is
//! a map lookup and a clone of shared bytes. Serving from disk through `ServeDir` cost a file
//! open and reads on the blocking pool per request, and answered ~900 requests/s where
//! `/healthz` answers ~10,000 (README, "Static files"). A new build needs a server restart,
//! which `scripts/run` does.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use sha2::{Digest, Sha256};

/// One file, as sent: plain, and brotli and gzip when the build wrote them.
struct Asset {
    plain: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    /// The plain file's, quoted; an encoded copy's adds `-br` or `-gzip` inside the quotes.
    etag: String,
}

/// The app's files by URL path (`/index.html`, `/portal/index.html`, …).
#[derive(Default)]
pub struct Assets(HashMap<String, Asset>);

impl Assets {
    /// Reads every file under `dir` (a `.br`/`.gz` beside a file is taken as its encoding).
    pub fn load(dir: &Path) -> std::io::Result<Assets> {
        let mut assets = Assets::default();
        assets.add_folder(dir, "")?;
        Ok(assets)
    }

    fn add_folder(&mut self, dir: &Path, prefix: &str) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let url = format!("{prefix}/{name}");
            if entry.file_type()?.is_dir() {
                self.add_folder(&path, &url)?;
            } else if !name.ends_with(".br") && !name.ends_with(".gz") {
                let plain = Bytes::from(std::fs::read(&path)?);
                let sibling = |ext: &str| {
                    std::fs::read(path.with_file_name(format!("{name}.{ext}")))
                        .ok()
                        .map(Bytes::from)
                };
                let digest = Sha256::digest(&plain);
                let etag = format!(
                    "\"{:x}\"",
                    u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"))
                );
                self.0.insert(
                    url,
                    Asset {
                        brotli: sibling("br"),
                        gzip: sibling("gz"),
                        content_type: HeaderValue::from_static(content_type(&name)),
                        etag,
                        plain,
                    },
                );
            }
        }
        Ok(())
    }

    /// The file a path names, else the nearest `index.html` up the path, so deep links
    /// survive reload both for the console at `/` and for a host page that embeds it under
    /// a sub-path (e.g. `/portal/subscriptions/…` → `/portal/index.html`).
    fn find(&self, path: &str) -> Option<&Asset> {
        if let Some(asset) = self.0.get(path) {
            return Some(asset);
        }
        // A missing file (`/favicon.ico`, an old `app.js`) is a 404, not the app's page.
        if path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.'))
        {
            return None;
        }
        let mut dir = path.trim_end_matches('/');
        loop {
            if let Some(index) = self.0.get(&format!("{dir}/index.html")) {
                return Some(index);
            }
            dir = &dir[..dir.rfind('/')?];
        }
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json" | "webmanifest") => "application/json",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether `Accept-Encoding` takes `coding` (named, and not with `q=0`).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
                && !parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q == 0.0)
                })
        })
}

/// The copy to send: brotli if the build wrote one and the browser takes it, else gzip, else
/// the file as is.
fn encoded(asset: &Asset, headers: &HeaderMap) -> (Bytes, Option<&'static str>) {
    match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts(headers, "br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts(headers, "gzip") => (gz.clone(), Some("gzip")),
        _ => (asset.plain.clone(), None),
    }
}

fn answer(assets: &Assets, uri: &Uri, headers: &HeaderMap) -> Response {
    let Some(asset) = assets.find(uri.path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Asset names carry no content hash (hosts load them by fixed URL), so browsers must
    // revalidate: a new JS glue beside a cached old wasm would not start. Unchanged files
    // cost a 304.
    // One tag per encoding: a shared cache must not answer a 304 for the brotli copy with
    // the gzip one it holds.
    let etag = match encoded(asset, headers).1 {
        Some(encoding) => format!("{}-{encoding}\"", asset.etag.trim_end_matches('"')),
        None => asset.etag.clone(),
    };
    let mut response = if headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == etag)
        }) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = encoded(asset, headers);
        let mut response = Body::from(body).into_response();
        let h = response.headers_mut();
        h.insert(CONTENT_TYPE, asset.content_type.clone());
        if let Some(encoding) = encoding {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let h = response.headers_mut();
    h.insert(
        ETAG,
        HeaderValue::from_str(&etag).expect("hex and a coding name"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// The app's files from `dir` (read now), or a placeholder page if it has not been built.
pub fn service(dir: &Path) -> Result<MethodRouter, String> {
    if !dir.join("index.html").is_file() {
        tracing::warn!(dir = %dir.display(), "no built browser app here; serving a placeholder page");
        return Ok(get(|| async {
            Html(
                "<!doctype html><title>Reseller Console</title><p>The Reseller Console API is running. \
                  The browser app has not been built: start the console with <code>scripts/run</code>.</p>",
            )
        }));
    }
    let assets = Arc::new(
        Assets::load(dir).map_err(|e| format!("reading the app in {}: {e}", dir.display()))?,
    );
    Ok(get(move |uri: Uri, headers: HeaderMap| {
        let assets = assets.clone();
        async move { answer(&assets, &uri, &headers) }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_taken_unless_refused() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_static(v));
            h
        };
        assert!(accepts(&with("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&with("gzip;q=1.0, BR;q=0.5"), "br"));
        assert!(!accepts(&with("gzip, br;q=0"), "br"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn a_deep_link_gets_the_nearest_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("portal")).unwrap();
        std::fs::write(dir.path().join("index.html"), "root").unwrap();
        std::fs::write(dir.path().join("portal/index.html"), "portal").unwrap();
        std::fs::write(dir.path().join("app.js"), "js").unwrap();
        std::fs::write(dir.path().join("app.js.br"), "br").unwrap();
        let assets = Assets::load(dir.path()).unwrap();
        let body = |path: &str| assets.find(path).map(|a| a.plain.clone());
        assert_eq!(body("/app.js").as_deref(), Some(&b"js"[..]));
        assert_eq!(body("/customers/42").as_deref(), Some(&b"root"[..]));
        assert_eq!(
            body("/portal/subscriptions/7").as_deref(),
            Some(&b"portal"[..])
        );
        assert_eq!(body("/").as_deref(), Some(&b"root"[..]));
        assert!(
            assets.find("/app.js.br").is_none(),
            "a missing file is not the page"
        );
        assert!(assets.find("/favicon.ico").is_none());
        assert_eq!(
            assets.find("/app.js").unwrap().brotli.as_deref(),
            Some(&b"br"[..])
        );
    }
}
