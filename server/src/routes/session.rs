//! `/api/session`: sign in, who am I, sign out.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use shared::ErrorCode;
use shared::api::{SessionInfo, SignInRequest};

use crate::app::AppState;
use crate::auth::{
    SESSION_SECONDS, cleared_session_cookie, is_tls, new_session_token, session_cookie,
    session_token, token_hash, verify_password,
};
use crate::clock::unix_now;
use crate::error::{AppError, AppResult};
use crate::extract::JsonBody;
use crate::store::SignedInAgent;

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SignInRequest>,
) -> AppResult<impl IntoResponse> {
    let found = state.store.agent_credentials(&request.email).await?;
    // An unknown e-mail is checked against a dummy hash, so the answer takes as long either way.
    let hash = found.as_ref().map_or_else(
        || state.dummy_password_hash.clone(),
        |f| f.password_hash.clone(),
    );
    let password = request.password;
    let valid = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .unwrap_or(false);
    let agent = match found {
        Some(f) if valid => f.agent,
        _ => {
            return Err(AppError::new(
                ErrorCode::InvalidCredentials,
                "The e-mail or password is not right.",
            ));
        }
    };
    let (token, hash) = new_session_token();
    let now = unix_now();
    state
        .store
        .create_session(&hash, agent.agent_id, now, now + SESSION_SECONDS)
        .await?;
    tracing::info!(agent = %agent.email, partner = %agent.partner_name, "signed in");
    let cookie = session_cookie(&token, is_tls(&state, &headers));
    Ok(([(SET_COOKIE, cookie)], Json(agent.session_info())))
}

pub async fn current(agent: SignedInAgent) -> Json<SessionInfo> {
    Json(agent.session_info())
}

/// Signing out always succeeds and always clears the cookie, signed in or not.
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
