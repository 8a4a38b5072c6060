//! Request readers that answer bad input with the API's own error bodies.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use shared::api::ErrorCode;

use crate::error::AppError;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Like `axum::Json`, but every way a body can be wrong gets an [`ErrorBody`](shared::ErrorBody),
/// and structs are read from JSON objects only (see [`strict_json`](crate::strict_json)).
pub struct JsonBody<T>(pub T);

/// `application/json`, or a `+json` type, with any parameters (as `axum::Json` takes).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON, with Content-Type: application/json.",
            ));
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::new(
                    ErrorCode::BodyTooLarge,
                    format!(
                        "The body is larger than the {} KiB allowed.",
                        MAX_BODY_BYTES / 1024
                    ),
                ));
            }
            Err(rejection) => {
                return Err(AppError::new(
                    ErrorCode::MalformedRequest,
                    format!("The body could not be read: {}", rejection.body_text()),
                ));
            }
        };
        crate::http::strict_json::from_slice::<T>(&bytes)
            .map(JsonBody)
            .map_err(|e| {
                let message = match e.classify() {
                    serde_json::error::Category::Data => {
                        format!("The body does not have the expected fields: {e}")
                    }
                    _ => format!("The body is not valid JSON: {e}"),
                };
                AppError::new(ErrorCode::MalformedRequest, message)
            })
    }
}

/// A header's value, or the given error when it is absent; 400 when it is not text.
pub fn required_header<'a>(
    headers: &'a HeaderMap,
    name: &str,
    missing: impl FnOnce() -> AppError,
) -> Result<&'a str, AppError> {
    let value = headers.get(name).ok_or_else(missing)?;
    value.to_str().map_err(|_| {
        AppError::new(
            ErrorCode::MalformedRequest,
            format!("{name} must be plain text."),
        )
        .with_field(name)
    })
}

/// Reads an id from the path; an id that cannot even be parsed is simply not found.
pub fn path_id<T: std::str::FromStr>(raw: &str, what: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::not_found(what))
}
