//! The layers every request passes: a task of its own, paths and bodies no route can take,
//! failures logged by kind.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::ErrorCode;

use crate::error::AppError;
use crate::http::extract::{MAX_BODY_BYTES, MAX_UPLOAD_BYTES, UPLOAD_PATH};

/// 503s (busy, timed out, database unavailable) are the server protecting itself, logged as
/// warnings; any other 5xx is a fault, logged as an error.
pub fn log_failure(
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
pub async fn run_to_completion(
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
pub async fn refuse_bad_requests(request: Request, next: Next) -> Response {
    if !is_possible_path(request.uri().path()) {
        return AppError::new(ErrorCode::NotFound, "No such path.").into_response();
    }
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // An uploaded file may be larger than any JSON body.
    let limit = if request.uri().path().ends_with(UPLOAD_PATH) {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    if announced.is_some_and(|n| n > limit as u64) {
        let mut response = AppError::new(
            ErrorCode::BodyTooLarge,
            format!("The body is larger than the {} KiB allowed.", limit / 1024),
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
