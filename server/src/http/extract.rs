//! Request readers that answer bad input with the API's own error bodies.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use shared::api::{ErrorCode, parse_idempotency_key, parse_if_match};

use crate::error::AppError;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The largest file an agent may upload (Microsoft's reconciliation file), and where.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;
pub const UPLOAD_PATH: &str = "/api/reconciliation";

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
    // Two values (If-Match twice, two keys): which one was meant cannot be told.
    if headers.get_all(name).iter().nth(1).is_some() {
        return Err(AppError::new(
            ErrorCode::MalformedRequest,
            format!("Send {name} once: the request has it more than once."),
        )
        .with_field(name));
    }
    value.to_str().map_err(|_| {
        AppError::new(
            ErrorCode::MalformedRequest,
            format!("{name} must be plain text."),
        )
        .with_field(name)
    })
}

/// What a path's id names, for its "No such …" answer.
pub trait Resource: std::str::FromStr {
    const NAME: &'static str;
}

impl Resource for shared::ids::SubscriptionId {
    const NAME: &'static str = "subscription";
}

impl Resource for shared::ids::CustomerId {
    const NAME: &'static str = "customer";
}

impl Resource for shared::ids::AgentId {
    const NAME: &'static str = "agent";
}

/// The `{id}` of a path, parsed before the handler runs: an id that cannot even be parsed is
/// simply not found (404), before any query.
pub struct PathId<T>(pub T);

impl<T: Resource + Send, S: Send + Sync> FromRequestParts<S> for PathId<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::not_found(T::NAME))?;
        raw.parse()
            .map(PathId)
            .map_err(|_| AppError::not_found(T::NAME))
    }
}

/// `If-Match`: the version a change was made against (428 without it, 400 when it is not one
/// strong ETag).
pub struct IfMatch(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let value = required_header(&parts.headers, "if-match", || {
            AppError::new(
                ErrorCode::IfMatchRequired,
                "Send If-Match with the subscription's ETag, so your change cannot overwrite one you have not seen.",
            )
            .with_field("If-Match")
        })?;
        // One tag: a second If-Match line would be a list, which no version matches as one.
        if parts.headers.get_all("if-match").iter().count() > 1 {
            return Err(AppError::new(
                ErrorCode::MalformedRequest,
                "Send one If-Match header, with the subscription's ETag.",
            )
            .with_field("If-Match"));
        }
        Ok(IfMatch(parse_if_match(value)?))
    }
}

/// `Idempotency-Key`: what makes a retried order the same order (428 without it).
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let value = required_header(&parts.headers, "idempotency-key", || {
            AppError::new(
                ErrorCode::IdempotencyKeyRequired,
                "Send an Idempotency-Key header (e.g. a new UUID per order form) so a retry cannot order twice.",
            )
            .with_field("Idempotency-Key")
        })?;
        Ok(IdempotencyKey(parse_idempotency_key(value)?.to_owned()))
    }
}
