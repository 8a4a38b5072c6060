//! How an [`AppError`] is answered over HTTP: the status its code names, the body, and
//! `Retry-After` when the client should try again.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::api::ErrorCode;

use crate::error::AppError;

/// A query string that does not fit its parameters (a repeated one, say).
impl From<QueryRejection> for AppError {
    fn from(e: QueryRejection) -> Self {
        AppError::new(
            ErrorCode::MalformedRequest,
            format!("The query string could not be read: {}", e.body_text()),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.0.retry_after_seconds;
        let mut response = (status, Json(self.0)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
