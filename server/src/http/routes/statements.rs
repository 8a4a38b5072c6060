//! `/api/statements…`: what each customer owes for a month — one customer's statement, and the
//! whole month as CSV (one row per line, streamed customer by customer).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::ErrorCode;
use shared::api::ErrorBody;
use shared::statements::{Month, Statement};

use crate::agent::SignedInAgent;
use crate::error::{AppError, AppResult};
use crate::http::openapi::SignedInErrors;
use crate::http::routes::prices::customer_param;
use crate::service::statements::{
    CSV_HEADER, Cursor, csv_chunk, customer_statement, push_statement_rows,
};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes and their documentation, from each handler's `#[utoipa::path]`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(statement))
        .routes(routes!(month_csv))
}

#[derive(Deserialize)]
pub struct StatementParams {
    month: Option<String>,
    customer: Option<String>,
}

/// The month asked for; this month (by the server's clock) when left out.
pub fn month_param(state: &AppState, text: Option<&str>) -> AppResult<Month> {
    match text.map(str::trim) {
        None | Some("") => {
            Ok(Month::of_day(&state.clock.now().date().to_string())
                .expect("the clock's day is a day"))
        }
        Some(m) => Month::parse(m)
            .map_err(|e| AppError::new(ErrorCode::MalformedRequest, e).with_field("month")),
    }
}

#[utoipa::path(
    get, path = "/statements", tag = "statements",
    operation_id = "customer_statement",
    security(("session" = [])),
    params(
        ("month" = Option<String>, Query, pattern = "^$|^[0-9]{4}-[0-9]{2}$", description = "YYYY-MM; this month when left out"),
        ("customer" = String, Query, pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "The customer's id"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "What the customer owes for the month, line by line, at the partner's prices", body = Statement),
        (status = 400, description = "month is not YYYY-MM, or customer is missing or not an id", body = ErrorBody),
        (status = 404, description = "No such customer, or one of another partner", body = ErrorBody),
    )
)]
pub async fn statement(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<StatementParams>, QueryRejection>,
) -> AppResult<Json<Statement>> {
    let Query(params) = params?;
    let month = month_param(&state, params.month.as_deref())?;
    let customer = customer_param(params.customer.as_deref())?.ok_or_else(|| {
        AppError::new(
            ErrorCode::MalformedRequest,
            "Say whose statement: customer=ID.",
        )
        .with_field("customer")
    })?;
    let found = customer_statement(state.store.as_ref(), agent.partner_id, customer, month).await?;
    Ok(Json(found))
}

#[utoipa::path(
    get, path = "/statements.csv", tag = "statements",
    operation_id = "export_statements",
    security(("session" = [])),
    params(
        ("month" = Option<String>, Query, pattern = "^$|^[0-9]{4}-[0-9]{2}$", description = "YYYY-MM; this month when left out"),
        ("customer" = Option<String>, Query, pattern = "^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "One customer's; every customer's when left out"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "Month, Customer ID, Customer, Subscription ID, Offer, Billing, Line, From, To, Seats, Price per seat, Amount, Currency: one row per statement line, streamed by customer name (RFC 4180, formulas defused)", content_type = "text/csv", body = String),
        (status = 400, description = "month is not YYYY-MM, or customer not an id", body = ErrorBody),
        (status = 404, description = "No such customer, or one of another partner", body = ErrorBody),
    )
)]
pub async fn month_csv(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<StatementParams>, QueryRejection>,
) -> AppResult<Response> {
    let Query(params) = params?;
    let month = month_param(&state, params.month.as_deref())?;
    let filename = format!("statements-{month}.csv");
    let partner = agent.partner_id;
    if let Some(customer) = customer_param(params.customer.as_deref())? {
        let found = customer_statement(state.store.as_ref(), partner, customer, month).await?;
        let mut text = String::new();
        push_statement_rows(&mut text, &found);
        let rows = Some(text);
        return Ok(
            crate::csv::download(&filename, &CSV_HEADER, rows, |rows| async move {
                Ok(rows.map(|text| (text, None)))
            })
            .into_response(),
        );
    }
    let book = std::sync::Arc::new(state.store.price_book(partner).await?);
    let currency = crate::service::prices::currency(state.store.as_ref(), partner).await?;
    // From the first customer (`None`) on, chunk by chunk.
    let first: Option<Cursor> = None;
    Ok(crate::csv::download(
        &filename,
        &CSV_HEADER,
        first,
        move |after| {
            let (store, book, currency) = (state.store.clone(), book.clone(), currency.clone());
            async move {
                let chunk = csv_chunk(
                    store.as_ref(),
                    partner,
                    &book,
                    &currency,
                    month,
                    after.as_ref(),
                )
                .await?;
                Ok(chunk.map(|(text, next)| (text, Some(next))))
            }
        },
    ))
}
