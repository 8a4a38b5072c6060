//! One error type for every handler, turned into an HTTP status and an [`ErrorBody`].

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{ErrorBody, ErrorCode, InvalidParameter, SubscriptionView};
use shared::rules::RuleError;

use crate::store::StoreError;

#[derive(Debug)]
pub struct AppError(pub ErrorBody);

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError(ErrorBody {
            code,
            message: message.into(),
            field: None,
            current: None,
        })
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.0.field = Some(field.to_owned());
        self
    }

    /// Unknown ids and other partners' ids get this same answer.
    pub fn not_found(what: &str) -> Self {
        AppError::new(ErrorCode::NotFound, format!("No such {what}."))
    }

    pub fn conflict(current: SubscriptionView) -> Self {
        let mut e = AppError::new(
            ErrorCode::VersionConflict,
            format!(
                "Someone else changed this subscription (it is now at version {}): review the current values and apply your change again.",
                current.subscription.version
            ),
        );
        e.0.current = Some(Box::new(current));
        e
    }

    pub fn not_signed_in() -> Self {
        AppError::new(ErrorCode::NotSignedIn, "Sign in to continue.")
    }
}

impl From<RuleError> for AppError {
    fn from(e: RuleError) -> Self {
        AppError(ErrorBody::from(&e))
    }
}

impl From<InvalidParameter> for AppError {
    fn from(e: InvalidParameter) -> Self {
        AppError::new(ErrorCode::MalformedRequest, e.message).with_field(e.field)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "storage failed");
        AppError::new(
            ErrorCode::Internal,
            "The server could not complete this request. Try again.",
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}
