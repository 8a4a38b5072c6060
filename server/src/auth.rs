//! Sign-in, sessions and the extractors that put the signed-in agent into a handler.
//!
//! The cookie holds a random token; the database holds only its SHA-256, so sessions survive
//! restarts and are shared by every server process on the same database.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, HeaderMap};
use axum::http::request::Parts;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use shared::ErrorCode;
use shared::roles::{Permission, ensure_allowed};

use crate::app::AppState;
use crate::clock::unix_now;
use crate::error::{AppError, AppResult};
use crate::store::SignedInAgent;

pub const SESSION_COOKIE: &str = "rc_session";
/// A working day and a bit: an agent signs in once a shift.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;

/// Hashes a password with Argon2id (a slow, salted hash). CPU-heavy: call it off the runtime.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Checks a password against a stored hash. CPU-heavy: call it off the runtime.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A one-time password for a new agent: 16 characters from an alphabet without look-alikes
/// (no 0/O, 1/l/I), about 90 bits.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    // 256 % 55 leaves a bias under 2 %: immaterial at 90 bits.
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// A new session token for the cookie, and the hash the database keeps.
pub fn new_session_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("demo-password");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "demo-password"));
        assert!(!verify_password(&hash, "demo-passwore"));
        assert!(!verify_password("not a hash", "demo-password"));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, ha) = new_session_token();
        let (b, _) = new_session_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), ha);
        assert_ne!(a, ha);
    }

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
