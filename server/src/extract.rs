//! Request readers that answer bad input with the API's own error bodies.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use shared::api::ErrorCode;

use crate::error::AppError;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Like `axum::Json`, but every way a body can be wrong gets an [`ErrorBody`](shared::ErrorBody).
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => AppError::new(
                    ErrorCode::UnsupportedMediaType,
                    "Send the body as JSON, with Content-Type: application/json.",
                ),
                JsonRejection::JsonSyntaxError(e) => AppError::new(
                    ErrorCode::MalformedRequest,
                    format!(
                        "The body is not valid JSON: {}",
                        inner_message(&e.body_text())
                    ),
                ),
                JsonRejection::JsonDataError(e) => AppError::new(
                    ErrorCode::MalformedRequest,
                    format!(
                        "The body does not have the expected fields: {}",
                        inner_message(&e.body_text())
                    ),
                ),
                other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::new(
                    ErrorCode::BodyTooLarge,
                    format!(
                        "The body is larger than the {} KiB allowed.",
                        MAX_BODY_BYTES / 1024
                    ),
                ),
                other => AppError::new(
                    ErrorCode::MalformedRequest,
                    format!("The body could not be read: {}", other.body_text()),
                ),
            }),
        }
    }
}

/// axum puts its own words before serde's message; keep serde's part, which names the field.
fn inner_message(text: &str) -> &str {
    text.split_once(": ").map_or(text, |(_, m)| m)
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
