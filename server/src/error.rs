//! One error type for every use case, handler and command: a code from `shared` and words for
//! the user. The HTTP layer turns it into a status (`http::error`); the command line prints it.

use shared::api::{ErrorBody, ErrorCode, InvalidParameter, SubscriptionView};
use shared::rules::RuleError;

use crate::store::StoreError;

#[derive(Debug)]
pub struct AppError(pub ErrorBody);

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError(ErrorBody::new(code, message))
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.0.field = Some(field.to_owned());
        self
    }

    /// Tells the client when to try again (body and `Retry-After` header).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.0.retry_after_seconds = Some(seconds);
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

    pub fn too_many_attempts(retry_after_seconds: u64) -> Self {
        let minutes = retry_after_seconds.div_ceil(60);
        AppError::new(
            ErrorCode::TooManyAttempts,
            format!(
                "Too many sign-in attempts for this e-mail. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            ),
        )
        .retry_after(retry_after_seconds)
    }

    /// Too many sign-ins are being checked at once.
    pub fn server_busy(retry_after_seconds: u64) -> Self {
        AppError::new(
            ErrorCode::ServerBusy,
            "The server is checking many sign-ins at once. Try again in a moment.",
        )
        .retry_after(retry_after_seconds)
    }

    /// The request did not finish within the server's request timeout.
    pub fn timed_out() -> Self {
        AppError::new(
            ErrorCode::RequestTimeout,
            "The server could not finish this request in time. A change may still have been saved: reload before trying again.",
        )
        .retry_after(1)
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
        let code = if e.out_of_range {
            ErrorCode::ParameterOutOfRange
        } else {
            ErrorCode::MalformedRequest
        };
        AppError::new(code, e.message).with_field(e.field)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, unavailable = e.unavailable, "storage failed");
        if e.unavailable {
            AppError::new(
                ErrorCode::StorageUnavailable,
                "The database cannot be reached or cannot save right now; nothing was changed. Try again in a moment.",
            )
            .retry_after(1)
        } else {
            AppError::new(
                ErrorCode::Internal,
                "The server could not complete this request. Try again.",
            )
        }
    }
}
