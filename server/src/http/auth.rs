//! The session cookie and the extractors that put the signed-in agent into a handler.
//!
//! The cookie holds a random token; the database holds only its SHA-256 (`credentials`), so
//! sessions survive restarts and are shared by every server process on the same database.

use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, HeaderMap};
use axum::http::request::Parts;
use shared::ErrorCode;
use shared::roles::Permission;
use shared::rules::ensure_allowed;

use crate::agent::SignedInAgent;
use crate::clock::unix_now;
use crate::credentials::token_hash;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "rc_session";
/// A working day and a bit: an agent signs in once a shift.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;

/// The session token in a request's cookies, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// `Secure` when the console is served over TLS (directly, or behind a proxy that says so).
pub fn is_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie(token, SESSION_SECONDS, secure)
}

pub fn cleared_session_cookie(secure: bool) -> HeaderValue {
    cookie("", 0, secure)
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("the token is hex")
}

/// Any signed-in agent. Answers 401 without a valid session.
impl FromRequestParts<AppState> for SignedInAgent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = session_token(&parts.headers).ok_or_else(AppError::not_signed_in)?;
        let agent = state
            .store
            .session_agent(&token_hash(&token), unix_now())
            .await?
            .ok_or_else(AppError::not_signed_in)?;
        // A password someone else chose opens only the door to choosing one's own.
        let path = parts.uri.path();
        let own_session = matches!(path, "/session" | "/session/password")
            || matches!(path, "/api/session" | "/api/session/password");
        if agent.must_change_password && !own_session {
            return Err(AppError::new(
                ErrorCode::PasswordChangeRequired,
                "Choose your own password first: the one you were given works only to set it.",
            ));
        }
        Ok(agent)
    }
}

/// Extractors for a signed-in agent whose role allows one thing (the table in
/// `shared::roles`). A refused role gets 403 before the request body is even read.
macro_rules! agent_allowed_to {
    ($($(#[$doc:meta])* $name:ident => $permission:expr;)+) => {$(
        $(#[$doc])*
        pub struct $name(pub SignedInAgent);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
                let agent = SignedInAgent::from_request_parts(parts, state).await?;
                ensure_allowed(agent.role, $permission)?;
                Ok($name(agent))
            }
        }
    )+};
}

agent_allowed_to! {
    /// May add customers and order subscriptions (admin, sales).
    MayOrder => Permission::Order;
    /// May change existing subscriptions (admin, helpdesk).
    MayChange => Permission::Change;
    /// May manage the team (admin).
    MayManageTeam => Permission::ManageTeam;
    /// May import price lists and set prices (admin).
    MaySetPrices => Permission::SetPrices;
    /// May see what the partner pays Microsoft, and its margin (admin, sales).
    MaySeeCosts => Permission::SeeCosts;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("theme=dark; rc_session=abc123; x=y"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc123"));
        let c = session_cookie("abc", false);
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"));
        assert!(
            session_cookie("abc", true)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
    }
}
