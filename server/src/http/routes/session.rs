//! `/api/session`: sign in (with a password, or a host portal's token), who am I, change my
//! password, sign out.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::ErrorCode;
use shared::api::ErrorBody;
use shared::api::{ChangePasswordRequest, SessionInfo, SignInRequest, TokenExchangeRequest};
use shared::team::check_new_password;

use crate::agent::SignedInAgent;
use crate::clock::unix_now;
use crate::credentials::{new_session_token, token_hash};
use crate::error::{AppError, AppResult};
use crate::http::auth::{
    SESSION_SECONDS, cleared_session_cookie, is_tls, session_cookie, session_token,
};
use crate::http::extract::JsonBody;
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::state::AppState;
use crate::store::{AttemptGate, SignInGate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Sign-in attempts allowed per e-mail in a sliding window; a successful one clears the count.
pub const SIGN_IN_ATTEMPTS_PER_WINDOW: u32 = 5;
pub const SIGN_IN_WINDOW_SECONDS: i64 = 15 * 60;

/// The throttle's key for `what` (`sign-in`, `password`) of `email`: a SHA-256, so a row has
/// the same size whatever was typed.
fn attempt_key(what: &str, email: &str) -> String {
    token_hash(&format!("{what}:{email}"))
}

/// Counts one attempt under `key`, or says how long to wait.
async fn gate(state: &AppState, key: &str, now: i64) -> AppResult<()> {
    let gate = AttemptGate {
        now,
        window_start: now - SIGN_IN_WINDOW_SECONDS,
        limit: SIGN_IN_ATTEMPTS_PER_WINDOW,
        rows_kept: state.sign_in_attempts_kept,
    };
    match state.store.gate_sign_in(key, gate).await? {
        SignInGate::Allowed => Ok(()),
        SignInGate::Refused { oldest } => Err(AppError::too_many_attempts(
            (oldest + SIGN_IN_WINDOW_SECONDS - now)
                .max(1)
                .unsigned_abs(),
        )),
    }
}

/// `/api/session…`; the token exchange answers 404 unless an embed secret is configured.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(current, sign_in, sign_out))
        .routes(routes!(change_password))
        .routes(routes!(exchange))
}

fn disabled() -> AppError {
    AppError::new(
        ErrorCode::AgentDisabled,
        "An admin of your partner has disabled your access to this console.",
    )
}

/// Opens a session for `agent` and answers with the cookie and who is signed in.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    mut agent: SignedInAgent,
    now: i64,
    must_change_password: bool,
) -> AppResult<Response> {
    let (token, hash) = new_session_token();
    state
        .store
        .create_session(
            &hash,
            agent.agent_id,
            now,
            now + SESSION_SECONDS,
            must_change_password,
        )
        .await?;
    agent.must_change_password = must_change_password;
    tracing::info!(agent = %agent.email, partner = %agent.partner_name, "signed in");
    let cookie = session_cookie(&token, is_tls(state, headers));
    Ok(([(SET_COOKIE, cookie)], Json(agent.session_info())).into_response())
}

#[utoipa::path(
    post, path = "/session", tag = "session",
    operation_id = "sign_in",
    request_body = SignInRequest,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 200, description = "Signed in: the session cookie is set", body = SessionInfo,
            headers(("Set-Cookie" = String, description = "rc_session=…; HttpOnly; SameSite=Strict"))),
        (status = 400, description = "The request could not be read (bad JSON, parameter or header)", body = ErrorBody),
        (status = 422, description = "The e-mail is longer than any agent's (254 characters): `invalid_email`", body = ErrorBody),
        (status = 429, description = "Too many sign-in attempts for this e-mail", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SignInRequest>,
) -> AppResult<impl IntoResponse> {
    // Throttled per e-mail, known or not (the answer must not tell which exist): a password
    // can be guessed only a few times per window, however many requests arrive in parallel.
    // No agent's e-mail holds a NUL (and PostgreSQL refuses one in text): not a sign-in.
    if request.email.contains('\0') {
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "The e-mail or password is not right.",
        ));
    }
    // No agent has a longer e-mail: refused before anything is written or looked up.
    let email_key = shared::team::email_key(&request.email);
    shared::team::check_email_length(&email_key)
        .map_err(|e| AppError::from(e).with_field("email"))?;
    let now = unix_now();
    let key = attempt_key("sign-in", &email_key);
    if let Err(e) = gate(&state, &key, now).await {
        tracing::warn!(email = %email_key, "sign-in throttled");
        return Err(e);
    }
    let found = state.store.agent_credentials(&request.email).await?;
    // An unknown e-mail is checked against a dummy hash, so the answer takes as long either way.
    let hash = found.as_ref().map_or_else(
        || state.dummy_password_hash.clone(),
        |f| f.password_hash.clone(),
    );
    let valid = state
        .password_checker
        .verify(hash, request.password)
        .await
        .map_err(|_| AppError::server_busy(state.password_checker.retry_after_seconds()))?;
    let agent = match found {
        // Only someone who knows the password learns that the access was disabled.
        Some(f) if valid && !f.active => return Err(disabled()),
        Some(f) if valid => {
            let must_change = f.agent.must_change_password;
            (f.agent, must_change)
        }
        _ => {
            return Err(AppError::new(
                ErrorCode::InvalidCredentials,
                "The e-mail or password is not right.",
            ));
        }
    };
    state.store.clear_sign_in_attempts(&key).await?;
    let (agent, must_change) = agent;
    start_session(&state, &headers, agent, now, must_change).await
}

/// A host portal's signed token for a session: see `embed.rs` for the token's claims.
#[utoipa::path(
    post, path = "/session/exchange", tag = "session",
    operation_id = "exchange_embed_token",
    security(()),
    request_body = TokenExchangeRequest,
    responses(
        BodyErrors,
        (status = 200, description = "Signed in: the session cookie is set", body = SessionInfo,
            headers(("Set-Cookie" = String, description = "rc_session=…; HttpOnly; SameSite=Strict"))),
        (status = 400, description = "The request could not be read", body = ErrorBody),
        (status = 401, description = "The token was refused; the code says why: token_malformed, token_algorithm_refused, token_bad_signature, token_expired, token_not_yet_valid, token_lifetime_too_long, token_replayed, unknown_agent, agent_disabled", body = ErrorBody),
        (status = 404, description = "Signed embedding is not configured on this server", body = ErrorBody),
        (status = 503, description = "The database cannot be reached or cannot save; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn exchange(State(state): State<AppState>, body: Request) -> AppResult<Response> {
    // Without an embed secret the endpoint answers as one that does not exist, whatever is sent.
    let Some(key) = state.embed.as_ref() else {
        return Err(AppError::new(ErrorCode::NotFound, "No such API endpoint."));
    };
    let headers = body.headers().clone();
    let JsonBody(request) = JsonBody::<TokenExchangeRequest>::from_request(body, &state).await?;
    let now = unix_now();
    let claims = key
        .verify(&request.token, now)
        .map_err(|r| AppError::new(r.code, r.message))?;
    let partner: shared::PartnerId = claims.aud.parse().map_err(|_| {
        AppError::new(
            ErrorCode::TokenMalformed,
            "The token's aud is not a partner id.",
        )
    })?;
    // Once per token: a token seen in a log or a browser history signs no one in again.
    // Kept past its expiry by twice the clock skew allowed, so a server whose clock runs ahead
    // does not forget a token another may still accept.
    let keep_until = claims.exp + crate::embed::CLOCK_SKEW_SECONDS * 2;
    if !state
        .store
        .claim_token_id(partner, &claims.jti, keep_until, now)
        .await?
    {
        return Err(AppError::new(
            ErrorCode::TokenReplayed,
            "This sign-in token was already used: ask the portal for a new one.",
        ));
    }
    let found = if claims.sub.contains('\0') {
        None
    } else {
        state.store.agent_credentials(&claims.sub).await?
    };
    // Only the partner whose key signed it: a portal signs in its own agents, no one else's.
    let found = found.filter(|f| f.agent.partner_id.to_string() == claims.aud);
    match found {
        None => Err(AppError::new(
            ErrorCode::UnknownAgent,
            "No agent of the token's partner has the e-mail it names.",
        )),
        Some(f) if !f.active => Err(disabled()),
        // The portal vouches for the agent: no password to replace in this session.
        Some(f) => start_session(&state, &headers, f.agent, now, false).await,
    }
}

/// The signed-in agent changes their own password; their other sessions end.
#[utoipa::path(
    post, path = "/session/password", tag = "session",
    operation_id = "change_password",
    security(("session" = [])),
    request_body = ChangePasswordRequest,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 204, description = "Changed; every other session of the agent has ended"),
        (status = 400, description = "The request could not be read", body = ErrorBody),
        (status = 422, description = "The current password is wrong (wrong_password) or the new one too short (weak_password)", body = ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    agent: SignedInAgent,
    headers: HeaderMap,
    JsonBody(request): JsonBody<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    check_new_password(&request.new_password)
        .map_err(|e| AppError::from(e).with_field("new_password"))?;
    // Guessing the current password with a stolen cookie is throttled like signing in.
    let key = attempt_key("password", &agent.email);
    let now = unix_now();
    gate(&state, &key, now).await?;
    let unchanged = request.new_password == request.current_password;
    let busy = |_| AppError::server_busy(state.password_checker.retry_after_seconds());
    let current = state
        .store
        .agent_credentials(&agent.email)
        .await?
        .ok_or_else(AppError::not_signed_in)?;
    let valid = state
        .password_checker
        .verify(current.password_hash, request.current_password)
        .await
        .map_err(busy)?;
    if !valid {
        return Err(shared::RuleError::WrongPassword.into());
    }
    state.store.clear_sign_in_attempts(&key).await?;
    if unchanged {
        return Err(shared::RuleError::PasswordUnchanged.into());
    }
    let hash = state
        .password_checker
        .hash(request.new_password)
        .await
        .map_err(busy)?;
    let this_session = session_token(&headers).map(|t| token_hash(&t));
    state
        .store
        .set_password(
            agent.agent_id,
            &hash,
            this_session.as_deref(),
            &agent.email,
            &state.clock.now_rfc3339(),
        )
        .await?;
    tracing::info!(agent = %agent.email, "password changed");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/session", tag = "session",
    operation_id = "get_session",
    // Optional: without a session the answer is 204, not a refusal.
    security((), ("session" = [])),
    responses(
        (status = 200, description = "The signed-in agent and partner", body = SessionInfo),
        (status = 204, description = "No one is signed in (no cookie, or its session ended): not an error"),
        (status = 500, description = "Unexpected server error", body = ErrorBody),
        (status = 503, description = "The database cannot be reached or cannot save, the request timed out, or the server is busy; retry after `Retry-After` seconds", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    )
)]
/// "Who am I?" Asking while signed out is a normal question, answered 204 (no session), so a
/// first visit logs no failed request in the browser; every other route still says 401.
pub async fn current(agent: Result<SignedInAgent, AppError>) -> AppResult<Response> {
    match agent {
        Ok(agent) => Ok(Json(agent.session_info()).into_response()),
        Err(e) if e.0.code == ErrorCode::NotSignedIn => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(e) => Err(e),
    }
}

/// Signing out always succeeds and always clears the cookie, signed in or not.
#[utoipa::path(
    delete, path = "/session", tag = "session",
    operation_id = "sign_out",
    responses(
        (status = 204, description = "Signed out (also when no session was there); the cookie is cleared",
            headers(("Set-Cookie" = String, description = "rc_session=; Max-Age=0"))),
        (status = 500, description = "Unexpected server error", body = ErrorBody),
        (status = 503, description = "The database cannot be reached or cannot save, the request timed out, or the server is busy; retry after `Retry-After` seconds", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<impl IntoResponse> {
    if let Some(token) = session_token(&headers) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    let cookie = cleared_session_cookie(is_tls(&state, &headers));
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]))
}
