//! `/api/reconciliation…`: Microsoft's invoice reconciliation file of a month, imported and
//! compared with the console's record. The work is `service::reconciliation`'s, shared with
//! `reseller-console reconcile`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::api::ErrorBody;
use shared::reconciliation::Reconciliation;

use crate::error::{AppError, AppResult};
use crate::http::auth::{MaySeeCosts, MaySetPrices};
use crate::http::extract::MAX_UPLOAD_BYTES;
use crate::http::openapi::SignedInErrors;
use crate::http::routes::statements::month_param;
use crate::service::reconciliation::{CSV_HEADER, Importer, csv_rows, import, report};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reconciliation, import_reconciliation))
        .routes(routes!(reconciliation_csv))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

#[derive(Deserialize)]
pub struct ReconciliationParams {
    month: Option<String>,
    /// The uploaded file's name, to show beside the report.
    file_name: Option<String>,
}

fn no_file(month: impl std::fmt::Display) -> AppError {
    AppError::new(
        shared::ErrorCode::NotFound,
        format!("No reconciliation file of Microsoft's has been imported for {month}."),
    )
}

#[utoipa::path(
    get, path = "/reconciliation", tag = "reconciliation",
    operation_id = "reconciliation",
    security(("session" = [])),
    params(("month" = Option<String>, Query, pattern = "^$|^[0-9]{4}-[0-9]{2}$", description = "YYYY-MM; this month when left out")),
    responses(
        SignedInErrors,
        (status = 200, description = "The month's file against the console: flags first, then each customer's cost, price and margin", body = Reconciliation),
        (status = 400, description = "month is not YYYY-MM", body = ErrorBody),
        (status = 403, description = "The agent's role does not see costs (admins and sales do)", body = ErrorBody),
        (status = 404, description = "No file imported for the month", body = ErrorBody),
    )
)]
pub async fn reconciliation(
    State(state): State<AppState>,
    MaySeeCosts(agent): MaySeeCosts,
    params: Result<Query<ReconciliationParams>, QueryRejection>,
) -> AppResult<Json<Reconciliation>> {
    let Query(params) = params?;
    let month = month_param(&state, params.month.as_deref())?;
    report(state.store.as_ref(), agent.partner_id, month)
        .await?
        .map(Json)
        .ok_or_else(|| no_file(month))
}

#[utoipa::path(
    post, path = "/reconciliation", tag = "reconciliation",
    operation_id = "import_reconciliation",
    security(("session" = [])),
    params(
        ("month" = Option<String>, Query, pattern = "^$|^[0-9]{4}-[0-9]{2}$", description = "The invoice's month, YYYY-MM; this month when left out"),
        ("file_name" = Option<String>, Query, description = "The file's name, shown with the report"),
    ),
    request_body(content = String, content_type = "text/csv", description = "Microsoft's new-commerce licence-based reconciliation file, as downloaded from Partner Center (at most 32 MiB)"),
    responses(
        SignedInErrors,
        (status = 200, description = "Kept as the month's file (replacing an earlier one); the reconciliation", body = Reconciliation),
        (status = 400, description = "month is not YYYY-MM", body = ErrorBody),
        (status = 403, description = "Only admins import Microsoft's files", body = ErrorBody),
        (status = 413, description = "Body over 32 MiB", body = ErrorBody),
        (status = 422, description = "Lines refused (`invalid_file`; `lines` says each, in words): nothing kept", body = ErrorBody),
    )
)]
pub async fn import_reconciliation(
    State(state): State<AppState>,
    MaySetPrices(agent): MaySetPrices,
    params: Result<Query<ReconciliationParams>, QueryRejection>,
    body: Bytes,
) -> AppResult<Json<Reconciliation>> {
    let Query(params) = params?;
    let month = month_param(&state, params.month.as_deref())?;
    let name = params
        .file_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("reconciliation.csv");
    let found = import(
        state.store.as_ref(),
        agent.partner_id,
        month,
        (name, &body),
        Importer {
            by: &agent.email,
            now: state.clock.unix(),
            keep: true,
        },
    )
    .await?;
    Ok(Json(found))
}

#[utoipa::path(
    get, path = "/reconciliation.csv", tag = "reconciliation",
    operation_id = "export_reconciliation",
    security(("session" = [])),
    params(("month" = Option<String>, Query, pattern = "^$|^[0-9]{4}-[0-9]{2}$", description = "YYYY-MM; this month when left out")),
    responses(
        SignedInErrors,
        (status = 200, description = "Month, Row, Customer ID, Customer, Subscription ID, Offer, File line, Day, Microsoft, Console, Microsoft cost, Customer price, Margin, Currency: the flags (Row names each), then one row per customer (RFC 4180, formulas defused)", content_type = "text/csv", body = String),
        (status = 400, description = "month is not YYYY-MM", body = ErrorBody),
        (status = 403, description = "The agent's role does not see costs", body = ErrorBody),
        (status = 404, description = "No file imported for the month", body = ErrorBody),
    )
)]
pub async fn reconciliation_csv(
    State(state): State<AppState>,
    MaySeeCosts(agent): MaySeeCosts,
    params: Result<Query<ReconciliationParams>, QueryRejection>,
) -> AppResult<Response> {
    let Query(params) = params?;
    let month = month_param(&state, params.month.as_deref())?;
    let found = report(state.store.as_ref(), agent.partner_id, month)
        .await?
        .ok_or_else(|| no_file(month))?;
    let rows = Some(csv_rows(&found));
    Ok(crate::csv::download(
        &format!("reconciliation-{month}.csv"),
        &CSV_HEADER,
        rows,
        |rows| async move { Ok(rows.map(|text| (text, None))) },
    )
    .into_response())
}
