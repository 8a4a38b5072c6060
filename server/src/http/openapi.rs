//! The API described as an OpenAPI 3.1 document, generated from the same Rust types the
//! handlers use (`shared`'s types derive their schemas under its `openapi` feature) and the
//! `#[utoipa::path]` on each handler, which also routes it (`routes!` in each `routes/` module):
//! an endpoint is declared once. Here: the document's heading, the session scheme, and the
//! answers many routes share. Served at `GET /api/openapi.json`, without sign-in: it
//! describes the API, it holds no data.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi, PartialSchema};

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
    components(schemas(shared::api::ErrorBody)),
    modifiers(&SessionCookie),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "customers", description = "The partner's customers, their subscriptions, new orders"),
        (name = "subscriptions", description = "One subscription: read, change seats or status, audit trail"),
        (name = "activity", description = "Every change to every subscription of the partner, newest first"),
        (name = "offers", description = "The catalogue the partner may sell"),
        (name = "team", description = "The partner's agents and their roles (admin agents only)"),
        (name = "partner-center", description = "What a partner connected to Microsoft Partner Center has waiting for Microsoft"),
        (name = "prices", description = "The partner's price rules, and every offer's cost, price and margin"),
        (name = "statements", description = "What each customer owes for a month, line by line, and the month as CSV"),
        (name = "reconciliation", description = "Microsoft's invoice reconciliation file for a month against the console's record: flags, then each customer's cost, price and margin"),
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

/// The answers every signed-in route can give besides its own.
pub struct SignedInErrors;

impl IntoResponses for SignedInErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut retry = error_response(
            "The database cannot be reached or cannot save, the request timed out, or the \
             server is busy; retry after `Retry-After` seconds",
        );
        retry.headers.insert(
            "Retry-After".to_owned(),
            HeaderBuilder::new()
                .schema(<u64 as PartialSchema>::schema())
                .description(Some("Seconds to wait before retrying"))
                .build(),
        );
        BTreeMap::from([
            ("401".to_owned(), error_response("Not signed in").into()),
            (
                "500".to_owned(),
                error_response("Unexpected server error").into(),
            ),
            ("503".to_owned(), retry.into()),
        ])
    }
}

/// The answers of every route that reads a JSON body.
pub struct BodyErrors;

impl IntoResponses for BodyErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([
            ("413".to_owned(), error_response("Body over 64 KiB").into()),
            (
                "415".to_owned(),
                error_response("Body not sent as application/json").into(),
            ),
        ])
    }
}

/// An answer whose body is an `ErrorBody`.
fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// The document as JSON: the routes' documentation under this heading.
pub fn document(routes: utoipa::openapi::OpenApi) -> String {
    ApiDoc::openapi()
        .nest("/api", routes)
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

pub async fn serve(document: String) -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        document,
    )
}
