//! `/api/customers…`: the customer list, one customer, its subscriptions, and new orders.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{ETAG, LOCATION};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::api::ErrorBody;
use shared::api::{
    ItemList, NewCustomerRequest, NewSubscriptionRequest, Page, PageRequest, PendingOrder,
    SubscriptionView, etag_for,
};
use shared::ids::{CustomerId, SubscriptionId};
use shared::model::Customer;
use uuid::Uuid;

use crate::agent::SignedInAgent;
use crate::csv::push_row;
use crate::error::{AppError, AppResult};
use crate::http::auth::MayOrder;
use crate::http::extract::{IdempotencyKey, JsonBody, PathId};
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::service;
use crate::service::ordered::{OrderAnswer, Ordered};
use crate::state::AppState;
use crate::store::{AddCustomerOutcome, CustomerSearch, NewCustomer, Store};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Deserialize)]
pub struct ListParams {
    q: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

/// `/api/customers…`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(export))
        .routes(routes!(export_subscriptions))
        .routes(routes!(get_one))
        .routes(routes!(subscriptions, order))
}

/// Add customer: a company name and a primary domain unique within the partner.
#[utoipa::path(
    post, path = "/customers", tag = "customers",
    operation_id = "add_customer",
    security(("session" = [])),
    request_body = NewCustomerRequest,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 201, description = "Added", body = Customer,
            headers(("Location" = String, description = "The new customer's URL"))),
        (status = 400, description = "The request could not be read (bad JSON, parameter or header)", body = ErrorBody),
        (status = 403, description = "The agent's role does not allow adding customers", body = ErrorBody),
        (status = 409, description = "Another customer of the partner has this domain", body = ErrorBody),
        (status = 422, description = "Name or domain refused; `field` names which", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    MayOrder(agent): MayOrder,
    JsonBody(request): JsonBody<NewCustomerRequest>,
) -> AppResult<Response> {
    let name = shared::customer_details::normalise_company_name(&request.name)?;
    let domain = shared::customer_details::normalise_domain(&request.domain)?;
    let new = NewCustomer {
        id: CustomerId(Uuid::new_v4()),
        name,
        domain: domain.clone(),
        created_at: state.clock.now_rfc3339(),
    };
    match state.store.add_customer(agent.partner_id, new).await? {
        AddCustomerOutcome::DomainTaken => Err(shared::RuleError::DomainTaken { domain }.into()),
        AddCustomerOutcome::Added(customer) => {
            tracing::info!(agent = %agent.email, customer = %customer.id, "customer added");
            let location = format!("/api/customers/{}", customer.id);
            Ok((StatusCode::CREATED, [(LOCATION, location)], Json(customer)).into_response())
        }
    }
}

#[utoipa::path(
    get, path = "/customers", tag = "customers",
    operation_id = "list_customers",
    security(("session" = [])),
    params(
        ("q" = Option<String>, Query, description = "Part of a name or domain (any case), or an exact customer id"),
        // Written as patterns: an empty value is taken as the default, as forms send it.
        ("page" = Option<String>, Query, pattern = "^$|^(1000000|[1-9][0-9]{0,5})$",
            description = "1-based page from 1 to 1,000,000; empty or absent: 1"),
        ("per_page" = Option<String>, Query, pattern = "^$|^(100|[1-9][0-9]?)$",
            description = "Items per page from 1 to 100; empty or absent: 25"),
    ),
    responses(
        SignedInErrors,
        (status = 200, description = "A page of the partner's customers, ordered by name; counted up to 1,000 (`total_is_at_least` beyond)", body = Page<Customer>),
        (status = 400, description = "The request could not be read (bad JSON, parameter or header)", body = ErrorBody),
        (status = 422, description = "`page` or `per_page` out of its bounds (a search pages through its first 1,000 matches); `field` names which", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<ListParams>, QueryRejection>,
) -> AppResult<Json<Page<Customer>>> {
    let Query(params) = params?;
    let mut paging = PageRequest::parse(params.page.as_deref(), params.per_page.as_deref())?;
    let search = params
        .q
        .as_deref()
        .map(CustomerSearch::new)
        .transpose()?
        .flatten();
    if search.is_some() {
        paging = paging.check_search_depth()?;
    }
    let page = state
        .store
        .list_customers(agent.partner_id, search.as_ref(), paging)
        .await?;
    Ok(Json(page))
}

/// Customers read per chunk of an export: small enough to hold, large enough to be quick.
const EXPORT_CHUNK: u32 = 500;

#[derive(Deserialize)]
pub struct ExportParams {
    q: Option<String>,
}

/// The customer list (or what the search finds) as CSV, in Partner Center's columns.
#[utoipa::path(
    get, path = "/customers.csv", tag = "customers",
    operation_id = "export_customers",
    security(("session" = [])),
    params(("q" = Option<String>, Query, description = "Only the customers this search finds (as `GET /api/customers`), all of them")),
    responses(
        SignedInErrors,
        (status = 200, description = "Microsoft ID, Company name, Primary domain name, Subscriptions; streamed in name order (RFC 4180, formulas defused)", content_type = "text/csv", body = String),
        (status = 400, description = "The query string could not be read", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    agent: SignedInAgent,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> AppResult<Response> {
    let Query(params) = params?;
    let search = params
        .q
        .as_deref()
        .map(CustomerSearch::new)
        .transpose()?
        .flatten();
    let header = [
        "Microsoft ID",
        "Company name",
        "Primary domain name",
        "Subscriptions",
    ];
    Ok(crate::csv::download(
        "customers.csv",
        &header,
        None,
        move |after| {
            let (store, search) = (state.store.clone(), search.clone());
            async move {
                let after: Option<(String, CustomerId)> = after;
                let chunk = store
                    .customers_after(
                        agent.partner_id,
                        search.as_ref(),
                        after.as_ref().map(|(k, id)| (k.as_str(), *id)),
                        EXPORT_CHUNK,
                    )
                    .await?;
                let Some((key, last)) = chunk.last() else {
                    return Ok(None);
                };
                let next = Some((key.clone(), last.id));
                let mut text = String::new();
                for (_, c) in &chunk {
                    let count = c.subscription_count.to_string();
                    push_row(&mut text, [&c.id.to_string(), &c.name, &c.domain, &count]);
                }
                Ok(Some((text, next)))
            }
        },
    ))
}

/// Every subscription of the partner (but deleted ones) as CSV, customer by customer.
#[utoipa::path(
    get, path = "/subscriptions.csv", tag = "subscriptions",
    operation_id = "export_subscriptions",
    security(("session" = [])),
    responses(
        SignedInErrors,
        (status = 200, description = "Subscription ID, Customer, Microsoft ID, Offer, Seats, Status, Channel, Term, Billing, Commitment end, Auto-renew; streamed by customer name (RFC 4180, formulas defused)", content_type = "text/csv", body = String),
    )
)]
pub async fn export_subscriptions(State(state): State<AppState>, agent: SignedInAgent) -> Response {
    let header = [
        "Subscription ID",
        "Customer",
        "Microsoft ID",
        "Offer",
        "Seats",
        "Status",
        "Channel",
        "Term",
        "Billing",
        "Commitment end",
        "Auto-renew",
    ];
    crate::csv::download("subscriptions.csv", &header, None, move |after| {
        let store = state.store.clone();
        async move {
            let after: Option<(String, CustomerId, SubscriptionId)> = after;
            let chunk = store
                .subscriptions_after(
                    agent.partner_id,
                    after.as_ref().map(|(k, c, s)| (k.as_str(), *c, *s)),
                    EXPORT_CHUNK,
                )
                .await?;
            let Some((key, last)) = chunk.last() else {
                return Ok(None);
            };
            let next = Some((key.clone(), last.customer_id, last.id));
            let mut text = String::new();
            for (_, s) in chunk {
                push_row(
                    &mut text,
                    [
                        s.id.to_string(),
                        s.customer_name,
                        s.customer_id.to_string(),
                        s.offer_name,
                        s.quantity.to_string(),
                        s.status.as_str().to_owned(),
                        s.channel.as_str().to_owned(),
                        s.term.to_string(),
                        s.billing_cycle.to_string(),
                        s.commitment_end,
                        s.auto_renew.to_string(),
                    ],
                );
            }
            Ok(Some((text, next)))
        }
    })
}

#[utoipa::path(
    get, path = "/customers/{id}", tag = "customers",
    operation_id = "get_customer",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Customer id")),
    responses(
        SignedInErrors,
        (status = 200, description = "One customer", body = Customer),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    agent: SignedInAgent,
    PathId(id): PathId<CustomerId>,
) -> AppResult<Json<Customer>> {
    let customer = state.store.customer(agent.partner_id, id).await?;
    customer
        .map(Json)
        .ok_or_else(|| AppError::not_found("customer"))
}

#[utoipa::path(
    get, path = "/customers/{id}/subscriptions", tag = "customers",
    operation_id = "list_customer_subscriptions",
    security(("session" = [])),
    params(("id" = uuid::Uuid, Path, description = "Customer id")),
    responses(
        SignedInErrors,
        (status = 200, description = "The customer's subscriptions, with what the agent may do with each", body = ItemList<SubscriptionView>),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
    )
)]
pub async fn subscriptions(
    State(state): State<AppState>,
    agent: SignedInAgent,
    PathId(id): PathId<CustomerId>,
) -> AppResult<Json<ItemList<SubscriptionView>>> {
    // An empty list must still tell "no subscriptions" from "no such customer".
    if state.store.customer(agent.partner_id, id).await?.is_none() {
        return Err(AppError::not_found("customer"));
    }
    let subs = state
        .store
        .customer_subscriptions(agent.partner_id, id)
        .await?;
    let ids: Vec<_> = subs.iter().map(|s| s.id).collect();
    let mut pending =
        crate::service::partner_center::pending_for(state.store.as_ref(), &agent, &ids).await?;
    let items = subs
        .into_iter()
        .map(|s| {
            let change = pending.remove(&s.id);
            SubscriptionView::new(s, agent.role, state.clock.unix()).with_pending(change)
        })
        .collect();
    let items =
        crate::service::prices::priced(state.store.as_ref(), &agent, items, state.clock.unix())
            .await?;
    Ok(Json(ItemList { items }))
}

/// Orders a new subscription. The `Idempotency-Key` makes a retry (double click, timeout)
/// return the first order's subscription instead of buying twice.
#[utoipa::path(
    post, path = "/customers/{id}/subscriptions", tag = "customers",
    operation_id = "order_subscription",
    security(("session" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Customer id"),
        ("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,200}$", description = "A new key (e.g. a UUID) per order: a retry with the same key and body returns the first order"),
    ),
    request_body = NewSubscriptionRequest,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 201, description = "Ordered (or, with `Idempotent-Replayed: true`, the first order with this key)", body = SubscriptionView,
            headers(
                ("Location" = String, description = "The new subscription's URL"),
                ("ETag" = String, description = "Its version, for If-Match"),
                ("Idempotent-Replayed" = String, description = "`true` when this answers a retry"),
            )),
        (status = 202, description = "A partner connected to Partner Center: the order is waiting for Microsoft (its cart, checkout or provisioning); the subscription shows once Microsoft has created it", body = PendingOrder),
        (status = 400, description = "The request could not be read (bad JSON, parameter or header)", body = ErrorBody),
        (status = 403, description = "The agent's role, or the subscription's channel, does not allow this", body = ErrorBody),
        (status = 404, description = "No such resource, or one of another partner", body = ErrorBody),
        (status = 422, description = "A rule refused the request, or Microsoft refused the order (`partner_center` holds its words); the message names the bound or reason", body = ErrorBody),
        (status = 428, description = "A required If-Match or Idempotency-Key header is missing", body = ErrorBody),
    )
)]
pub async fn order(
    State(state): State<AppState>,
    MayOrder(agent): MayOrder,
    IdempotencyKey(key): IdempotencyKey,
    PathId(customer_id): PathId<CustomerId>,
    JsonBody(request): JsonBody<NewSubscriptionRequest>,
) -> AppResult<Response> {
    let answer =
        service::subscriptions::order(&state.partner_center, &agent, customer_id, &request, key)
            .await?;
    order_response(state.store.as_ref(), answer, &agent, state.clock.unix()).await
}

/// An order's answer: 201 with the subscription (`Idempotent-Replayed: true` when it answers
/// a retry), or 202 with the order still waiting for Microsoft.
pub async fn order_response(
    store: &dyn Store,
    answer: OrderAnswer,
    agent: &SignedInAgent,
    now: i64,
) -> AppResult<Response> {
    let Ordered {
        subscription: sub,
        replayed,
    } = match answer {
        OrderAnswer::Created(ordered) => ordered,
        OrderAnswer::Waiting(pending) => {
            return Ok((StatusCode::ACCEPTED, Json(pending)).into_response());
        }
    };
    let location = format!("/api/subscriptions/{}", sub.id);
    let etag = etag_for(sub.version);
    // At the customer's price, as the order form showed it.
    let view = service::prices::priced_one(
        store,
        agent,
        SubscriptionView::new(sub, agent.role, now),
        now,
    )
    .await?;
    let mut response = (
        StatusCode::CREATED,
        [(LOCATION, location), (ETAG, etag)],
        Json(view),
    )
        .into_response();
    if replayed {
        response.headers_mut().insert(
            HeaderName::from_static("idempotent-replayed"),
            "true".parse().expect("ascii"),
        );
    }
    Ok(response)
}
