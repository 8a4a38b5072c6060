//! A stand-in for Microsoft Entra ID's token endpoint and Partner Center's REST API, for the
//! connector's tests (no internet here). Each endpoint follows the documented requests and
//! answers, its page cited beside it; it keeps customers and subscriptions in memory, applies
//! a request with a known `MS-RequestId` once (answering a replay with the first answer), and
//! can be told to fail the next calls: a 500, a 429 with `Retry-After`, a hang, or applying the
//! change and then never answering.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub const TENANT: &str = "7a5c3f4e-1b2d-4c6e-9f80-1a2b3c4d5e6f";
pub const APP_ID: &str = "0d9c8b7a-6f5e-4d3c-2b1a-098765432100";
pub const APP_SECRET: &str = "Zq8~not-a-real-secret-but-long-enough.1234";
pub const REFRESH_TOKEN: &str = "0.AAAA-first-refresh-token";

/// What the next PATCH meets.
#[derive(Clone, Debug)]
pub enum Fault {
    /// 500 `{"code":800003,"description":"Unexpected service error"}`, nothing applied.
    ServerError,
    /// 429 with `Retry-After`, nothing applied.
    Throttle(u64),
    /// Never answers, nothing applied.
    Hang,
    /// Applies the change, then never answers (the answer is "lost").
    AppliedThenHang,
    /// Answers as usual (to aim a fault at a later call).
    Pass,
}

/// One call the stand-in received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub request_id: Option<String>,
    pub bearer: Option<String>,
}

#[derive(Default)]
pub struct Inner {
    pub customers: Vec<Value>,
    /// Customer id → its subscriptions.
    pub subscriptions: HashMap<String, Vec<Value>>,
    /// Subscription id → seats that may still be removed (new commerce's window); absent: any.
    pub reducible: HashMap<String, i64>,
    pub faults: VecDeque<Fault>,
    /// `MS-RequestId` → the first answer to it.
    pub answered: HashMap<String, (u16, Value)>,
    /// Access tokens issued and still accepted.
    pub tokens: HashSet<String>,
    pub refresh_tokens: HashSet<String>,
    pub token_requests: Vec<String>,
    pub received: Vec<Received>,
    /// Changes applied, per subscription.
    pub applied: HashMap<String, u32>,
    pub page_size: usize,
    /// Cart id → the cart (and, once ordered, `checkoutResult`), with its `customer`.
    pub carts: HashMap<String, Value>,
    /// Order id → the order, with its `customer`.
    pub orders: HashMap<String, Value>,
    /// Orders placed by a checkout (a repeated checkout of an ordered cart places none).
    pub orders_placed: u32,
    /// A line of more seats than this is refused at checkout (`orderErrors`, 800088).
    pub max_order_quantity: Option<i64>,
    /// Reads of a new order that still find it provisioning (no subscription yet).
    pub provisioning_reads: u32,
}

#[derive(Clone)]
pub struct StandIn {
    pub base: String,
    pub inner: Arc<Mutex<Inner>>,
}

impl StandIn {
    pub async fn start() -> StandIn {
        Self::start_on("127.0.0.1:0").await
    }

    /// On a given address (the browser tests' stand-in, `examples/partner_center_standin.rs`).
    pub async fn start_on(address: &str) -> StandIn {
        let mut inner = Inner {
            page_size: 2,
            ..Inner::default()
        };
        inner.refresh_tokens.insert(REFRESH_TOKEN.to_owned());
        let inner = Arc::new(Mutex::new(inner));
        let app = Router::new()
            .route("/{tenant}/oauth2/token", post(token))
            .route("/v1/customers", get(customers))
            .route("/v1/customers/{customer}/subscriptions", get(subscriptions))
            .route(
                "/v1/customers/{customer}/subscriptions/{subscription}",
                patch(change).get(one_subscription),
            )
            .route("/v1/customers/{customer}/carts", post(create_cart))
            .route("/v1/customers/{customer}/carts/{cart}", get(get_cart))
            .route(
                "/v1/customers/{customer}/carts/{cart}/checkout",
                post(checkout),
            )
            .route("/v1/customers/{customer}/orders/{order}", get(get_order))
            .with_state(inner.clone())
            .merge(control(inner.clone()));
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        StandIn { base, inner }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap()
    }

    pub fn add_customer(&self, id: &str, name: &str, domain: &str) {
        self.lock().customers.push(json!({
            "id": id,
            "companyProfile": {"tenantId": id, "domain": domain, "companyName": name,
                "attributes": {"objectType": "CustomerCompanyProfile"}},
            "relationshipToPartner": "reseller",
            "attributes": {"objectType": "Customer"}
        }));
    }

    /// A subscription as the documentation's new-commerce example shows one.
    pub fn add_subscription(&self, customer: &str, sub: Value) {
        self.lock()
            .subscriptions
            .entry(customer.to_owned())
            .or_default()
            .push(sub);
    }

    pub fn subscription(&self, id: &str) -> Value {
        let inner = self.lock();
        inner
            .subscriptions
            .values()
            .flatten()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("the stand-in holds subscription {id}"))
    }

    /// Changes a subscription as an agent would in Partner Center itself.
    pub fn edit(&self, id: &str, field: &str, value: Value) {
        let mut inner = self.lock();
        let sub = inner
            .subscriptions
            .values_mut()
            .flatten()
            .find(|s| s["id"] == id)
            .expect("known subscription");
        sub[field] = value;
    }

    pub fn remove(&self, id: &str) {
        for subs in self.lock().subscriptions.values_mut() {
            subs.retain(|s| s["id"] != id);
        }
    }

    pub fn fail_next(&self, faults: &[Fault]) {
        self.lock().faults.extend(faults.iter().cloned());
    }

    /// Every access token issued so far stops being accepted (as when they expire).
    pub fn expire_tokens(&self) {
        self.lock().tokens.clear();
    }

    pub fn applied(&self, id: &str) -> u32 {
        self.lock().applied.get(id).copied().unwrap_or(0)
    }

    /// Every cart expires (as seven days after their creation).
    pub fn expire_carts(&self) {
        self.lock().carts.retain(|_, c| c["status"] == "Ordered");
    }

    /// The calls received to paths ending with `suffix`, by method.
    pub fn calls(&self, method: &str, suffix: &str) -> usize {
        self.lock()
            .received
            .iter()
            .filter(|r| r.method == method && r.path.ends_with(suffix))
            .count()
    }

    pub fn patches(&self, id: &str) -> Vec<Received> {
        self.lock()
            .received
            .iter()
            .filter(|r| r.method == "PATCH" && r.path.ends_with(id))
            .cloned()
            .collect()
    }
}

/// Mirrors the console's customers and their partner-bought live subscriptions, so that
/// the stand-in starts in step with the console.
pub fn mirror_all(
    standin: &StandIn,
    held: &[(shared::model::Customer, Vec<shared::model::Subscription>)],
) {
    for (customer, subs) in held {
        standin.add_customer(&customer.id.to_string(), &customer.name, &customer.domain);
        for s in subs {
            if s.channel == shared::model::Channel::Partner && s.status.is_live() {
                standin.add_subscription(&customer.id.to_string(), mirror(s));
            }
        }
    }
}

/// A console subscription as Partner Center's documentation shows one (new commerce).
pub fn mirror(s: &shared::model::Subscription) -> Value {
    json!({
        "id": s.id.to_string(),
        "offerId": s.offer_id.0,
        "offerName": s.offer_name,
        "friendlyName": s.offer_name,
        "quantity": s.quantity,
        "unitType": "Licenses",
        "creationDate": s.created_at,
        "commitmentEndDate": format!("{}T00:00:00Z", s.commitment_end),
        "status": shared::partner_center::status_to_partner_center(s.status),
        "autoRenewEnabled": s.auto_renew,
        "billingCycle": "monthly",
        "termDuration": if s.term == shared::model::Term::Annual { "P1Y" } else { "P1M" },
        "attributes": {"objectType": "Subscription"}
    })
}

/// The stand-in's own controls, for a test that is not in this process (the browser tests):
/// `POST /_standin/mirror` (the console's customers and subscriptions, as `mirror_all` takes
/// them), `POST /_standin/faults` (`["server_error", "hang", "applied_then_hang",
/// {"throttle": 120}]`), `GET /_standin/subscriptions/{id}` (it, and how often a change was
/// applied to it). Open to any origin: a test fixture, never part of the console.
fn control(inner: Arc<Mutex<Inner>>) -> Router {
    let standin = StandIn {
        base: String::new(),
        inner,
    };
    Router::new()
        .route("/_standin/mirror", post(control_mirror))
        .route("/_standin/faults", post(control_faults))
        .route("/_standin/subscriptions/{id}", get(control_subscription))
        .with_state(standin)
        .layer(tower_http::cors::CorsLayer::permissive())
}

async fn control_mirror(
    State(standin): State<StandIn>,
    Json(held): Json<Vec<(shared::model::Customer, Vec<shared::model::Subscription>)>>,
) -> StatusCode {
    mirror_all(&standin, &held);
    StatusCode::NO_CONTENT
}

async fn control_faults(
    State(standin): State<StandIn>,
    Json(faults): Json<Vec<Value>>,
) -> Response {
    let mut read = Vec::new();
    for f in &faults {
        read.push(
            match (f.as_str(), f.get("throttle").and_then(Value::as_u64)) {
                (Some("server_error"), _) => Fault::ServerError,
                (Some("hang"), _) => Fault::Hang,
                (Some("applied_then_hang"), _) => Fault::AppliedThenHang,
                (Some("pass"), _) => Fault::Pass,
                (_, Some(seconds)) => Fault::Throttle(seconds),
                _ => {
                    return (StatusCode::BAD_REQUEST, format!("unknown fault {f}")).into_response();
                }
            },
        );
    }
    standin.fail_next(&read);
    StatusCode::NO_CONTENT.into_response()
}

async fn control_subscription(
    State(standin): State<StandIn>,
    Path(id): Path<String>,
) -> Json<Value> {
    let applied = standin.applied(&id);
    let found = standin
        .lock()
        .subscriptions
        .values()
        .flatten()
        .find(|s| s["id"] == id.as_str())
        .cloned();
    Json(json!({"subscription": found, "applied": applied}))
}

type Shared = State<Arc<Mutex<Inner>>>;

fn fault(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// The token endpoint of Microsoft Entra ID (v1, `resource` form field), as Partner Center's
/// authentication page shows it: client credentials for app-only tokens, the refresh token grant
/// for app + user ones (Secure Application Model; the refresh token is rotated). Errors in
/// Entra ID's body (`error`, `error_description` with its AADSTS code).
/// <https://learn.microsoft.com/partner-center/developer/partner-center-authentication>,
/// <https://learn.microsoft.com/partner-center/developer/enable-secure-app-model>,
/// <https://learn.microsoft.com/entra/identity-platform/reference-error-codes>
async fn token(
    State(state): Shared,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = state.lock().unwrap();
    inner
        .token_requests
        .push(form.get("grant_type").cloned().unwrap_or_default());
    if tenant != TENANT {
        return fault(
            StatusCode::BAD_REQUEST,
            json!({
                "error": "invalid_tenant",
                "error_description": format!("AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.\r\nTrace ID: 0000"),
                "error_codes": [90002]
            }),
        );
    }
    if form.get("client_id").map(String::as_str) != Some(APP_ID)
        || form.get("client_secret").map(String::as_str) != Some(APP_SECRET)
    {
        return fault(
            StatusCode::UNAUTHORIZED,
            json!({
                "error": "invalid_client",
                "error_description": format!("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{APP_ID}'.\r\nTrace ID: 0000"),
                "error_codes": [7000215]
            }),
        );
    }
    if form.get("resource").map(String::as_str) != Some("https://api.partnercenter.microsoft.com") {
        return fault(
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_resource", "error_description": "AADSTS500011: The resource principal was not found."}),
        );
    }
    let access = format!("pc-access-{}", uuid::Uuid::new_v4().simple());
    let mut answer = json!({
        "token_type": "Bearer", "expires_in": "3600", "ext_expires_in": "3600",
        "resource": "https://api.partnercenter.microsoft.com", "access_token": access
    });
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some("refresh_token") => {
            let given = form.get("refresh_token").cloned().unwrap_or_default();
            if !inner.refresh_tokens.remove(&given) {
                return fault(
                    StatusCode::BAD_REQUEST,
                    json!({
                        "error": "invalid_grant",
                        "error_description": "AADSTS70000: The provided value for the 'refresh_token' is not valid.",
                        "error_codes": [70000]
                    }),
                );
            }
            let rotated = format!("0.AAAA-{}", uuid::Uuid::new_v4().simple());
            inner.refresh_tokens.insert(rotated.clone());
            answer["refresh_token"] = json!(rotated);
        }
        _ => {
            return fault(
                StatusCode::BAD_REQUEST,
                json!({"error": "unsupported_grant_type", "error_description": "AADSTS70003: The app requested an unsupported grant type."}),
            );
        }
    }
    inner.tokens.insert(access);
    Json(answer).into_response()
}

/// The checks every Partner Center call meets: a bearer token the stand-in issued (else 401,
/// as the error codes page lists it), and the call recorded.
/// <https://learn.microsoft.com/partner-center/developer/headers>
/// `Some(refusal)` when the call is not admitted.
fn admit(inner: &mut Inner, method: &str, path: &str, headers: &HeaderMap) -> Option<Response> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let request_id = headers
        .get("ms-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    inner.received.push(Received {
        method: method.to_owned(),
        path: path.to_owned(),
        request_id,
        bearer: bearer.clone(),
    });
    match bearer {
        Some(t) if inner.tokens.contains(&t) => None,
        _ => Some(fault(
            StatusCode::UNAUTHORIZED,
            json!({"code": 400, "description": "Access denied", "data": [], "source": "PartnerFD"}),
        )),
    }
}

/// `GET /v1/customers?size=N`: a page, and `links.next` with `seekOperation=Next` and the
/// `MS-ContinuationToken` header while there are more.
/// <https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers>
async fn customers(
    State(state): Shared,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut inner = state.lock().unwrap();
    if let Some(r) = admit(&mut inner, "GET", "/v1/customers", &headers) {
        return r;
    }
    let size: usize = query
        .get("size")
        .and_then(|s| s.parse().ok())
        .unwrap_or(500)
        .min(inner.page_size);
    let from: usize = match query.get("seekOperation").map(String::as_str) {
        Some("Next") => headers
            .get("ms-continuationtoken")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("offset-"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        _ => 0,
    };
    let items: Vec<Value> = inner
        .customers
        .iter()
        .skip(from)
        .take(size)
        .cloned()
        .collect();
    let mut links = json!({"self": {"uri": format!("/v1/customers?size={size}"), "method": "GET", "headers": []}});
    if from + size < inner.customers.len() {
        links["next"] = json!({
            "uri": format!("/v1/customers?size={size}&seekOperation=Next"),
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": format!("offset-{}", from + size)}]
        });
    }
    Json(json!({
        "totalCount": items.len(), "items": items, "links": links,
        "attributes": {"objectType": "Collection"}
    }))
    .into_response()
}

/// `GET /v1/customers/{id}/subscriptions`: all of them, one page.
/// <https://learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-subscriptions>
async fn subscriptions(
    State(state): Shared,
    headers: HeaderMap,
    Path(customer): Path<String>,
) -> Response {
    let mut inner = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/subscriptions");
    if let Some(r) = admit(&mut inner, "GET", &path, &headers) {
        return r;
    }
    let items = inner
        .subscriptions
        .get(&customer)
        .cloned()
        .unwrap_or_default();
    Json(json!({
        "totalCount": items.len(), "items": items,
        "links": {"self": {"uri": path, "method": "GET", "headers": []}},
        "attributes": {"objectType": "Collection"}
    }))
    .into_response()
}

/// `GET /v1/customers/{id}/subscriptions/{id}`.
/// <https://learn.microsoft.com/partner-center/developer/get-a-subscription-by-id>
async fn one_subscription(
    State(state): Shared,
    headers: HeaderMap,
    Path((customer, id)): Path<(String, String)>,
) -> Response {
    let mut inner = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/subscriptions/{id}");
    if let Some(r) = admit(&mut inner, "GET", &path, &headers) {
        return r;
    }
    match find(&inner, &customer, &id) {
        Some(sub) => Json(sub).into_response(),
        None => not_found(&id),
    }
}

fn find(inner: &Inner, customer: &str, id: &str) -> Option<Value> {
    inner
        .subscriptions
        .get(customer)?
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
}

fn not_found(id: &str) -> Response {
    fault(
        StatusCode::NOT_FOUND,
        json!({"code": 20003, "description": format!("Subscription with id {id} not found."), "data": [], "source": "PartnerFD"}),
    )
}

/// A property of the request body whatever its case: the .NET SDK sends PascalCase, the
/// documentation's examples camelCase.
fn property<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// `PATCH /v1/customers/{id}/subscriptions/{id}`: quantity, status (`suspended`, `active`,
/// `deleted` to cancel), `autoRenewEnabled`, `scheduledNextTermInstructions`; 200 with the
/// subscription. New commerce's refusals with their documented codes: 800090 for a decrease
/// past the seats still removable, 800091 for seats of a suspended subscription, 2011 for a
/// deleted one.
/// <https://learn.microsoft.com/partner-center/developer/change-the-quantity-of-a-subscription>,
/// <https://learn.microsoft.com/partner-center/developer/suspend-a-subscription>,
/// <https://learn.microsoft.com/partner-center/developer/reactivate-a-suspended-a-subscription>,
/// <https://learn.microsoft.com/partner-center/developer/cancel-an-azure-marketplace-subscription>,
/// <https://learn.microsoft.com/partner-center/developer/create-scheduled-changes>,
/// <https://learn.microsoft.com/partner-center/developer/error-codes>,
/// <https://learn.microsoft.com/partner-center/developer/api-throttling-guidance>
async fn change(
    State(state): Shared,
    headers: HeaderMap,
    Path((customer, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let (answer, then_hang) = {
        let mut inner = state.lock().unwrap();
        let path = format!("/v1/customers/{customer}/subscriptions/{id}");
        if let Some(r) = admit(&mut inner, "PATCH", &path, &headers) {
            return r;
        }
        let request_id = inner.received.last().and_then(|r| r.request_id.clone());
        // "MS-RequestId ... used to ensure id-potency": the same id is the same request.
        if let Some((status, body)) = request_id.as_ref().and_then(|r| inner.answered.get(r)) {
            return fault(StatusCode::from_u16(*status).unwrap(), body.clone());
        }
        let fault_now = inner.faults.pop_front();
        match fault_now {
            Some(Fault::ServerError) => {
                return fault(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"code": 800003, "description": "Unexpected service error", "data": [], "source": "PartnerFD"}),
                );
            }
            Some(Fault::Throttle(seconds)) => {
                let mut r = fault(
                    StatusCode::TOO_MANY_REQUESTS,
                    json!({"statusCode": 429, "message": format!("Rate limit is exceeded. Try again in {seconds} seconds.")}),
                );
                r.headers_mut().insert("retry-after", seconds.into());
                return r;
            }
            Some(Fault::Hang) => (None, true),
            other => {
                let answer = apply(&mut inner, &customer, &id, &body);
                if let Some(rid) = request_id {
                    inner.answered.insert(rid, answer.clone());
                }
                (Some(answer), matches!(other, Some(Fault::AppliedThenHang)))
            }
        }
    };
    if then_hang {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    let (status, body) = answer.expect("an answer unless hanging");
    fault(StatusCode::from_u16(status).unwrap(), body)
}

fn apply(inner: &mut Inner, customer: &str, id: &str, body: &Value) -> (u16, Value) {
    let Some(mut sub) = find(inner, customer, id) else {
        return (
            404,
            json!({"code": 20003, "description": format!("Subscription with id {id} not found."), "data": [], "source": "PartnerFD"}),
        );
    };
    let refuse = |code: u32, description: &str| {
        (
            400,
            json!({"code": code, "description": description, "data": [], "source": "PartnerFD"}),
        )
    };
    let status = sub["status"].as_str().unwrap_or_default().to_owned();
    if status == "deleted" {
        return refuse(
            2011,
            &format!("Subscription with id {id} and deleted status cannot be updated."),
        );
    }
    // "A full Subscription resource is required in the request body."
    if ["id", "offerId", "quantity", "status"]
        .iter()
        .any(|f| property(body, f).is_none())
    {
        return (
            400,
            json!({"code": 400, "description": "The request body must be the full subscription resource, with the change made to it.", "data": [], "source": "PartnerFD"}),
        );
    }
    if let Some(q) = property(body, "quantity")
        .and_then(Value::as_i64)
        .filter(|q| Some(*q) != sub["quantity"].as_i64())
    {
        let old = sub["quantity"].as_i64().unwrap_or(0);
        if status == "suspended" {
            return refuse(800091, "Cannot update a subscription with suspended status");
        }
        if q < old {
            let reducible = inner.reducible.get(id).copied().unwrap_or(i64::MAX);
            if old - q > reducible {
                return refuse(800090, "Subscription quantity cannot be decreased.");
            }
            inner
                .reducible
                .insert(id.to_owned(), reducible.saturating_sub(old - q));
        }
        sub["quantity"] = json!(q);
    }
    if let Some(s) = property(body, "status").and_then(Value::as_str) {
        if !["active", "suspended", "deleted"].contains(&s) {
            return refuse(
                800040,
                &format!("Asset status cannot be changed to {s} from {status}"),
            );
        }
        sub["status"] = json!(s);
    }
    if let Some(a) = property(body, "autoRenewEnabled").and_then(Value::as_bool) {
        sub["autoRenewEnabled"] = json!(a);
    }
    if let Some(next) = property(body, "scheduledNextTermInstructions") {
        sub["scheduledNextTermInstructions"] = next.clone();
    }
    for s in inner.subscriptions.get_mut(customer).unwrap().iter_mut() {
        if s["id"] == id {
            *s = sub.clone();
        }
    }
    *inner.applied.entry(id.to_owned()).or_default() += 1;
    (200, sub)
}

/// What a write (PATCH, cart, checkout) meets first: a replay of its `MS-RequestId` answers the
/// first answer again; else the next fault. `Err` is the answer to give now; `Ok(hang_after)`
/// means "apply it" (and then, for `AppliedThenHang`, never answer).
fn write_gate(inner: &mut Inner) -> Result<bool, (u16, Value, Option<u64>)> {
    let request_id = inner.received.last().and_then(|r| r.request_id.clone());
    if let Some((status, body)) = request_id.as_ref().and_then(|r| inner.answered.get(r)) {
        return Err((*status, body.clone(), None));
    }
    match inner.faults.pop_front() {
        Some(Fault::ServerError) => Err((
            500,
            json!({"code": 800003, "description": "Unexpected service error", "data": [], "source": "PartnerFD"}),
            None,
        )),
        Some(Fault::Throttle(seconds)) => Err((
            429,
            json!({"statusCode": 429, "message": format!("Rate limit is exceeded. Try again in {seconds} seconds.")}),
            Some(seconds),
        )),
        Some(Fault::Hang) => Err((0, Value::Null, None)),
        Some(Fault::AppliedThenHang) => Ok(true),
        Some(Fault::Pass) | None => Ok(false),
    }
}

/// Answers a write: remembers it under its `MS-RequestId`, then answers (or hangs).
async fn write_answer(
    state: &Arc<Mutex<Inner>>,
    gate: Result<bool, (u16, Value, Option<u64>)>,
    apply: impl FnOnce(&mut Inner) -> (u16, Value),
) -> Response {
    let (status, body, hang) = {
        let mut inner = state.lock().unwrap();
        match gate {
            Err((0, _, _)) => (0, Value::Null, true),
            Err((status, body, retry_after)) => {
                let mut r = fault(StatusCode::from_u16(status).unwrap(), body);
                if let Some(seconds) = retry_after {
                    r.headers_mut().insert("retry-after", seconds.into());
                }
                return r;
            }
            Ok(hang) => {
                let request_id = inner.received.last().and_then(|r| r.request_id.clone());
                let (status, body) = apply(&mut inner);
                if let Some(rid) = request_id {
                    inner.answered.insert(rid, (status, body.clone()));
                }
                (status, body, hang)
            }
        }
    };
    if hang {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    fault(StatusCode::from_u16(status).unwrap(), body)
}

fn customer_known(inner: &Inner, customer: &str) -> bool {
    inner.customers.iter().any(|c| c["id"] == customer)
}

fn customer_not_found(customer: &str) -> (u16, Value) {
    (
        404,
        json!({"code": 600008, "description": format!("The requested customer {customer} was not found."), "data": [], "source": "PartnerFD"}),
    )
}

/// `POST /v1/customers/{customer}/carts`: a cart of catalog item lines, `Active` until checked
/// out; carts expire seven days after their creation.
/// <https://learn.microsoft.com/partner-center/developer/create-a-cart>,
/// <https://learn.microsoft.com/partner-center/developer/cart-resources>
async fn create_cart(
    State(state): Shared,
    headers: HeaderMap,
    Path(customer): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let gate = {
        let mut inner = state.lock().unwrap();
        let path = format!("/v1/customers/{customer}/carts");
        if let Some(r) = admit(&mut inner, "POST", &path, &headers) {
            return r;
        }
        write_gate(&mut inner)
    };
    write_answer(&state, gate, |inner| {
        if !customer_known(inner, &customer) {
            return customer_not_found(&customer);
        }
        let lines = property(&body, "lineItems").and_then(Value::as_array).cloned().unwrap_or_default();
        let valid = !lines.is_empty()
            && lines.iter().all(|l| {
                property(l, "catalogItemId")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.split(':').count() == 3)
                    && property(l, "quantity").and_then(Value::as_i64).is_some_and(|q| q >= 1)
            });
        if !valid {
            return (
                400,
                json!({"code": 900121, "description": "A cart line item needs a catalogItemId and a quantity of at least 1.", "data": [], "source": "PartnerFD"}),
            );
        }
        let id = uuid::Uuid::new_v4().to_string();
        let cart = json!({
            "id": id,
            "customer": customer,
            "creationTimestamp": "2026-12-01T00:00:00Z",
            "lineItems": lines,
            "status": "Active",
            "attributes": {"objectType": "Cart"}
        });
        inner.carts.insert(id, cart.clone());
        (201, cart)
    })
    .await
}

/// `GET /v1/customers/{customer}/carts/{cart}`: the cart, `Ordered` once checked out; 404 once
/// expired. <https://learn.microsoft.com/partner-center/developer/get-a-cart-by-id>
async fn get_cart(
    State(state): Shared,
    headers: HeaderMap,
    Path((customer, cart)): Path<(String, String)>,
) -> Response {
    let mut inner = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/carts/{cart}");
    if let Some(r) = admit(&mut inner, "GET", &path, &headers) {
        return r;
    }
    match inner
        .carts
        .get(&cart)
        .filter(|c| c["customer"] == customer.as_str())
    {
        Some(c) => Json(c.clone()).into_response(),
        None => fault(
            StatusCode::NOT_FOUND,
            json!({"code": 800001, "description": format!("Cart {cart} was not found."), "data": [], "source": "PartnerFD"}),
        ),
    }
}

/// `POST …/carts/{cart}/checkout`: places the cart's order. Idempotent per cart: "if a cart
/// was successfully checked out previously and a subsequent checkout call is made to that same
/// cart, the API response will reiterate the information returned after initial checkout". A
/// line over the seat limit comes back in `orderErrors`, nothing ordered.
/// <https://learn.microsoft.com/partner-center/developer/checkout-a-cart>,
/// <https://learn.microsoft.com/partner-center/developer/order-resources>
async fn checkout(
    State(state): Shared,
    headers: HeaderMap,
    Path((customer, cart)): Path<(String, String)>,
) -> Response {
    let gate = {
        let mut inner = state.lock().unwrap();
        let path = format!("/v1/customers/{customer}/carts/{cart}/checkout");
        if let Some(r) = admit(&mut inner, "POST", &path, &headers) {
            return r;
        }
        write_gate(&mut inner)
    };
    write_answer(&state, gate, |inner| {
        let Some(found) = inner.carts.get(&cart).filter(|c| c["customer"] == customer.as_str()).cloned() else {
            return (
                404,
                json!({"code": 800001, "description": format!("Cart {cart} was not found."), "data": [], "source": "PartnerFD"}),
            );
        };
        if found["status"] == "Ordered" {
            return (201, found["checkoutResult"].clone());
        }
        let line = found["lineItems"][0].clone();
        let quantity = property(&line, "quantity").and_then(Value::as_i64).unwrap_or(1);
        if inner.max_order_quantity.is_some_and(|max| quantity > max) {
            return (
                201,
                json!({"orders": [], "orderErrors": [{"orderGroupId": "0", "code": 800088,
                    "description": "The quantity exceeds the maximum allowed quantity of this offer."}],
                    "attributes": {"objectType": "CartCheckoutResult"}}),
            );
        }
        let catalog = property(&line, "catalogItemId").and_then(Value::as_str).unwrap_or_default().to_owned();
        let term = property(&line, "termDuration").and_then(Value::as_str).unwrap_or("P1M").to_owned();
        let order_id = uuid::Uuid::new_v4().simple().to_string();
        let subscription_id = uuid::Uuid::new_v4().to_string();
        let months = if term == "P1Y" { shared::model::Term::Annual } else { shared::model::Term::Monthly };
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let sub = json!({
            "id": subscription_id,
            "offerId": catalog.rsplit_once(':').map_or(catalog.as_str(), |(product_and_sku, _)| product_and_sku),
            "quantity": quantity,
            "unitType": "Licenses",
            "status": "active",
            "autoRenewEnabled": true,
            "commitmentEndDate": format!("{}T00:00:00Z", shared::lifecycle::first_term_end(now, months)),
            "billingCycle": property(&line, "billingCycle").cloned().unwrap_or(json!("monthly")),
            "termDuration": term,
            "orderId": order_id,
            "attributes": {"objectType": "Subscription"}
        });
        let provisioning = inner.provisioning_reads > 0;
        let order = json!({
            "id": order_id,
            "customer": customer,
            "referenceCustomerId": customer,
            "lineItems": [{"lineItemNumber": 0, "offerId": catalog, "quantity": quantity,
                "subscriptionId": subscription_id}],
            "status": "completed",
            "pendingSubscription": sub,
            "attributes": {"objectType": "Order"}
        });
        inner.orders.insert(order_id.clone(), order.clone());
        inner.orders_placed += 1;
        if !provisioning {
            provision(inner, &order_id);
        }
        let result = json!({"orders": [shown_order(inner, &order_id)], "attributes": {"objectType": "CartCheckoutResult"}});
        let c = inner.carts.get_mut(&cart).unwrap();
        c["status"] = json!("Ordered");
        c["checkoutResult"] = result.clone();
        (201, result)
    })
    .await
}

/// The order's subscription now exists.
fn provision(inner: &mut Inner, order_id: &str) {
    let order = inner.orders.get_mut(order_id).unwrap();
    if let Some(sub) = order.as_object_mut().unwrap().remove("pendingSubscription") {
        let customer = order["customer"].as_str().unwrap().to_owned();
        inner.subscriptions.entry(customer).or_default().push(sub);
    }
}

/// An order as answered: while provisioning, `pending` and no subscription id yet.
fn shown_order(inner: &Inner, order_id: &str) -> Value {
    let mut order = inner.orders[order_id].clone();
    if order.get("pendingSubscription").is_some() {
        order["status"] = json!("pending");
        order["lineItems"][0]
            .as_object_mut()
            .unwrap()
            .remove("subscriptionId");
    }
    let o = order.as_object_mut().unwrap();
    o.remove("pendingSubscription");
    o.remove("customer");
    order
}

/// `GET /v1/customers/{customer}/orders/{order}`.
/// <https://learn.microsoft.com/partner-center/developer/get-an-order-by-id>
async fn get_order(
    State(state): Shared,
    headers: HeaderMap,
    Path((customer, order)): Path<(String, String)>,
) -> Response {
    let mut inner = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/orders/{order}");
    if let Some(r) = admit(&mut inner, "GET", &path, &headers) {
        return r;
    }
    if !inner
        .orders
        .get(&order)
        .is_some_and(|o| o["customer"] == customer.as_str())
    {
        return fault(
            StatusCode::NOT_FOUND,
            json!({"code": 800005, "description": format!("Order {order} was not found."), "data": [], "source": "PartnerFD"}),
        );
    }
    if inner.orders[&order].get("pendingSubscription").is_some() {
        if inner.provisioning_reads > 0 {
            inner.provisioning_reads -= 1;
        } else {
            provision(&mut inner, &order);
        }
    }
    Json(shown_order(&inner, &order)).into_response()
}
