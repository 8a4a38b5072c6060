//! The API described as an OpenAPI 3.1 document, generated from the same Rust types the
//! handlers use (`shared`'s types derive their schemas under its `openapi` feature) and the
//! `#[utoipa::path]` on each handler. Served at `GET /api/openapi.json`, without sign-in:
//! it describes the API, it holds no data.

use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::routes::{customers, offers, session, subscriptions, team};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Reseller Console API",
        description = "Manage a CSP partner's customers and their Microsoft 365 subscriptions. \
            JSON in snake_case. Every route but signing in needs the `rc_session` cookie that \
            `POST /api/session` sets; an agent sees only its own partner's data (another \
            partner's ids answer 404, as unknown ids do). Errors are `ErrorBody` with a stable \
            `code`. Changes need `If-Match` with the subscription's `ETag`; orders need an \
            `Idempotency-Key`."
    ),
    paths(
        session::sign_in,
        session::current,
        session::sign_out,
        session::change_password,
        session::exchange,
        team::list,
        team::add,
        team::change,
        customers::list,
        customers::add,
        customers::get_one,
        customers::subscriptions,
        customers::order,
        customers::export,
        customers::export_subscriptions,
        crate::http::routes::activity::list,
        crate::http::routes::activity::export,
        subscriptions::get_one,
        subscriptions::change,
        subscriptions::events,
        subscriptions::events_csv,
        offers::list,
        crate::http::routes::renewals::list,
        crate::http::routes::renewals::calendar,
    ),
    modifiers(&SessionCookie),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "customers", description = "The partner's customers, their subscriptions, new orders"),
        (name = "subscriptions", description = "One subscription: read, change seats or status, audit trail"),
        (name = "activity", description = "Every change to every subscription of the partner, newest first"),
        (name = "offers", description = "The catalogue the partner may sell"),
        (name = "team", description = "The partner's agents and their roles (admin agents only)"),
    )
)]
pub struct ApiDoc;

/// The session cookie as the security scheme every signed-in route names.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::http::auth::SESSION_COOKIE,
                "Set by POST /api/session (HttpOnly, SameSite=Strict)",
            ))),
        );
    }
}

/// The document as JSON, built once.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serialises")
    })
}

pub async fn serve_document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], document())
}
