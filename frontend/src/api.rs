//! One typed client for every endpoint of the server. Errors come back decoded: the page
//! shows the server's words, and knows a conflict from a network failure from an expired session.

use std::sync::Arc;

use gloo_net::http::{Request, RequestBuilder, Response};
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::activity::{ActivityPage, ActivityQuery};
use shared::api::{
    ChangeAgentRequest, ChangePasswordRequest, ChangeSubscriptionRequest, ErrorBody, ErrorCode,
    EventPage, ItemList, MicrosoftQueue, NewAgentRequest, NewAgentResponse, NewCustomerRequest,
    NewSubscriptionRequest, Page, PendingOrder, PriceTable, PricedOffer, SessionInfo,
    SignInRequest, SubscriptionView, Team, TeamMember, TokenExchangeRequest, etag_for,
};
use shared::ids::{AgentId, CustomerId, SubscriptionId};
use shared::model::Customer;
use shared::pricing::{PriceRule, PriceRuleInput};
use shared::reconciliation::Reconciliation;
use shared::renewals::Renewal;
use shared::statements::Statement;

use crate::routes::encode;
use web_sys::RequestCredentials;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No session, or it expired: sign in again.
    NotSignedIn,
    /// The server refused, with its reason.
    Refused(ErrorBody),
    /// The server could not be reached (or answered something that is not the API).
    Network(String),
}

impl ApiError {
    /// "No such …": what the server says of unknown ids, for ids that cannot even be parsed.
    pub fn not_found(what: &str) -> Self {
        ApiError::Refused(ErrorBody::new(
            ErrorCode::NotFound,
            format!("No such {what}."),
        ))
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Refused(body) => Some(body.code),
            ApiError::NotSignedIn => Some(ErrorCode::NotSignedIn),
            ApiError::Network(_) => None,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Where the API lives: "" for the same origin as the page, or e.g. "https://console.example".
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    base: String,
    session_ended: Option<SessionEnded>,
    requests: Requests,
}

/// Every request of one console carries the same abort signal: unmounting the console ends
/// those still on their way ([`Api::abort_all`]).
#[derive(Clone)]
struct Requests(Option<SendWrapper<web_sys::AbortController>>);

impl std::fmt::Debug for Requests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Requests")
    }
}

impl PartialEq for Requests {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => **a == **b,
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// Called when the server says the session is over (any request answered "not signed in").
#[derive(Clone)]
pub struct SessionEnded(pub Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for SessionEnded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionEnded")
    }
}

impl PartialEq for SessionEnded {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Api {
    pub fn new(base: &str) -> Self {
        Api {
            base: base.trim_end_matches('/').to_owned(),
            session_ended: None,
            requests: Requests(web_sys::AbortController::new().ok().map(SendWrapper::new)),
        }
    }

    /// Ends every request still on its way (the console is being unmounted); later ones fail
    /// at once.
    pub fn abort_all(&self) {
        if let Some(controller) = &self.requests.0 {
            controller.abort();
        }
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.requests.0.as_ref().map(|c| c.signal())
    }

    /// The same API, calling `hook` whenever a request finds the session ended.
    pub fn on_session_ended(self, hook: impl Fn() + Send + Sync + 'static) -> Self {
        Api {
            session_ended: Some(SessionEnded(Arc::new(hook))),
            ..self
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api{path}", self.base)
    }

    // Cookies go along even when the API is on another origin (an embedding portal, tests).
    fn get(&self, path: &str) -> RequestBuilder {
        Request::get(&self.url(path)).credentials(RequestCredentials::Include)
    }

    fn with_body<B: Serialize>(&self, builder: RequestBuilder, body: &B) -> ApiResult<Request> {
        builder
            .credentials(RequestCredentials::Include)
            .abort_signal(self.signal().as_ref())
            .json(body)
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    async fn send(&self, request: Result<Request, ApiError>) -> ApiResult<Response> {
        let response = request?
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if response.ok() {
            return Ok(response);
        }
        let status = response.status();
        let error = match response.json::<ErrorBody>().await {
            // A wrong password is a 401 too, but a refusal to show, not an expired session.
            Ok(body) if body.code != ErrorCode::NotSignedIn => ApiError::Refused(body),
            _ if status == 401 => ApiError::NotSignedIn,
            Ok(body) => ApiError::Refused(body),
            Err(_) => ApiError::Network(format!("The server answered {status}.")),
        };
        // Where answers arrive, not where they are shown: an ended session is noticed once,
        // whichever page asked.
        if error == ApiError::NotSignedIn
            && let Some(hook) = &self.session_ended
        {
            (hook.0)();
        }
        Err(error)
    }

    async fn decode<T: DeserializeOwned>(
        &self,
        request: Result<Request, ApiError>,
    ) -> ApiResult<T> {
        let response = self.send(request).await?;
        response
            .json()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    fn build(&self, builder: RequestBuilder) -> ApiResult<Request> {
        builder
            .abort_signal(self.signal().as_ref())
            .build()
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    /// Who is signed in: `None` when no one is (the server answers 204, not an error).
    pub async fn session(&self) -> ApiResult<Option<SessionInfo>> {
        let response = self.send(self.build(self.get("/session"))).await?;
        if response.status() == 204 {
            return Ok(None);
        }
        response
            .json()
            .await
            .map(Some)
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> ApiResult<SessionInfo> {
        let body = SignInRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        self.decode(self.with_body(Request::post(&self.url("/session")), &body))
            .await
    }

    /// Trades a host portal's signed token for a session (signed embedding).
    pub async fn exchange_token(&self, token: &str) -> ApiResult<SessionInfo> {
        let body = TokenExchangeRequest {
            token: token.to_owned(),
        };
        let builder = Request::post(&self.url("/session/exchange"));
        self.decode(self.with_body(builder, &body)).await
    }

    pub async fn change_password(&self, current: &str, new: &str) -> ApiResult<()> {
        let body = ChangePasswordRequest {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
        };
        let builder = Request::post(&self.url("/session/password"));
        self.send(self.with_body(builder, &body)).await.map(drop)
    }

    pub async fn team(&self) -> ApiResult<Team> {
        self.decode(self.build(self.get("/team"))).await
    }

    pub async fn add_agent(&self, agent: &NewAgentRequest) -> ApiResult<NewAgentResponse> {
        self.decode(self.with_body(Request::post(&self.url("/team")), agent))
            .await
    }

    pub async fn change_agent(
        &self,
        id: AgentId,
        change: &ChangeAgentRequest,
    ) -> ApiResult<TeamMember> {
        let builder = Request::patch(&self.url(&format!("/team/{id}")));
        self.decode(self.with_body(builder, change)).await
    }

    pub async fn add_customer(&self, customer: &NewCustomerRequest) -> ApiResult<Customer> {
        self.decode(self.with_body(Request::post(&self.url("/customers")), customer))
            .await
    }

    pub async fn sign_out(&self) -> ApiResult<()> {
        let request =
            Request::delete(&self.url("/session")).credentials(RequestCredentials::Include);
        self.send(self.build(request)).await.map(drop)
    }

    pub async fn customers(
        &self,
        search: &str,
        page: u32,
        per_page: u32,
    ) -> ApiResult<Page<Customer>> {
        let page = page.to_string();
        let per_page = per_page.to_string();
        let request = self.get("/customers").query([
            ("q", search),
            ("page", page.as_str()),
            ("per_page", per_page.as_str()),
        ]);
        self.decode(self.build(request)).await
    }

    pub async fn customer(&self, id: CustomerId) -> ApiResult<Customer> {
        self.decode(self.build(self.get(&format!("/customers/{id}"))))
            .await
    }

    pub async fn customer_subscriptions(&self, id: CustomerId) -> ApiResult<Vec<SubscriptionView>> {
        let list: ItemList<SubscriptionView> = self
            .decode(self.build(self.get(&format!("/customers/{id}/subscriptions"))))
            .await?;
        Ok(list.items)
    }

    pub async fn subscription(&self, id: SubscriptionId) -> ApiResult<SubscriptionView> {
        self.decode(self.build(self.get(&format!("/subscriptions/{id}"))))
            .await
    }

    /// The latest changes of a subscription (the CSV has all of them).
    pub async fn events(&self, id: SubscriptionId) -> ApiResult<EventPage> {
        self.decode(self.build(self.get(&format!("/subscriptions/{id}/events"))))
            .await
    }

    /// Where the audit trail downloads as CSV (a plain link: the browser sends the cookie).
    pub fn events_csv_url(&self, id: SubscriptionId) -> String {
        self.url(&format!("/subscriptions/{id}/events.csv"))
    }

    pub async fn renewals(&self, days: u32) -> ApiResult<Vec<Renewal>> {
        let days = days.to_string();
        let request = self.get("/renewals").query([("days", days.as_str())]);
        let list: ItemList<Renewal> = self.decode(self.build(request)).await?;
        Ok(list.items)
    }

    /// A page of the activity log: the filters as the console's URL holds them, and where
    /// the page starts (`None`: the newest).
    pub async fn activity(
        &self,
        filters: &ActivityQuery,
        before: Option<&str>,
    ) -> ApiResult<ActivityPage> {
        let query = activity_query(filters, before);
        self.decode(self.build(self.get(&format!("/activity?{query}"))))
            .await
    }

    /// Where the filtered activity log downloads as CSV.
    pub fn activity_csv_url(&self, filters: &ActivityQuery) -> String {
        self.url(&format!("/activity.csv?{}", activity_query(filters, None)))
    }

    /// Where the customer list (what `search` finds, if given) downloads as CSV.
    pub fn customers_csv_url(&self, search: &str) -> String {
        self.url(&format!("/customers.csv?q={}", encode(search)))
    }

    /// Where every subscription of the partner downloads as CSV.
    pub fn subscriptions_csv_url(&self) -> String {
        self.url("/subscriptions.csv")
    }

    /// Where the renewals calendar downloads (a plain link: the browser sends the cookie).
    pub fn renewals_calendar_url(&self, days: u32) -> String {
        self.url(&format!("/renewals.ics?days={days}"))
    }

    /// The offers the partner sells, at `customer`'s price (a customer without price rules of
    /// its own when `None`), with the partner's cost for roles that see costs.
    pub async fn offers(&self, customer: Option<CustomerId>) -> ApiResult<Vec<PricedOffer>> {
        let id = customer.map(|c| c.to_string()).unwrap_or_default();
        let request = self.get("/offers").query([("customer", id.as_str())]);
        let list: ItemList<PricedOffer> = self.decode(self.build(request)).await?;
        Ok(list.items)
    }

    /// Changes seats or status, based on the version the agent saw (a conflict otherwise).
    pub async fn change_subscription(
        &self,
        id: SubscriptionId,
        seen_version: u64,
        change: &ChangeSubscriptionRequest,
    ) -> ApiResult<SubscriptionView> {
        let builder = Request::patch(&self.url(&format!("/subscriptions/{id}")))
            .header("If-Match", &etag_for(seen_version));
        self.decode(self.with_body(builder, change)).await
    }

    /// Sends the subscription's change waiting for Microsoft again (answered like a change:
    /// done, still waiting, or refused).
    pub async fn retry_pending_change(&self, id: SubscriptionId) -> ApiResult<SubscriptionView> {
        let builder =
            Request::post(&self.url(&format!("/subscriptions/{id}/pending-change/retry")))
                .credentials(RequestCredentials::Include);
        self.decode(self.build(builder)).await
    }

    /// Gives up the subscription's change waiting for Microsoft.
    pub async fn discard_pending_change(&self, id: SubscriptionId) -> ApiResult<SubscriptionView> {
        let builder = Request::delete(&self.url(&format!("/subscriptions/{id}/pending-change")))
            .credentials(RequestCredentials::Include);
        self.decode(self.build(builder)).await
    }

    /// Orders a subscription; the same `idempotency_key` never orders twice. A partner
    /// connected to Partner Center may get "waiting for Microsoft" (202) instead.
    pub async fn order(
        &self,
        customer: CustomerId,
        idempotency_key: &str,
        order: &NewSubscriptionRequest,
    ) -> ApiResult<OrderOutcome> {
        let builder = Request::post(&self.url(&format!("/customers/{customer}/subscriptions")))
            .header("Idempotency-Key", idempotency_key);
        self.order_outcome(self.with_body(builder, order)).await
    }

    async fn order_outcome(&self, request: Result<Request, ApiError>) -> ApiResult<OrderOutcome> {
        let response = self.send(request).await?;
        let network = |e: gloo_net::Error| ApiError::Network(e.to_string());
        Ok(if response.status() == 202 {
            OrderOutcome::Waiting(response.json().await.map_err(network)?)
        } else {
            OrderOutcome::Created(Box::new(response.json().await.map_err(network)?))
        })
    }

    /// The customer's orders waiting for Microsoft (none unless the partner is connected).
    pub async fn pending_orders(&self, customer: CustomerId) -> ApiResult<Vec<PendingOrder>> {
        let path = format!("/customers/{customer}/pending-orders");
        let list: ItemList<PendingOrder> = self.decode(self.build(self.get(&path))).await?;
        Ok(list.items)
    }

    /// What the partner has waiting for Microsoft, and what Microsoft lately refused.
    pub async fn microsoft_queue(&self) -> ApiResult<MicrosoftQueue> {
        self.decode(self.build(self.get("/partner-center/queue")))
            .await
    }

    /// How many orders of the customer wait for Microsoft (the action pane's line: read
    /// without decoding them, so the first load carries no order type).
    pub async fn pending_order_count(&self, customer: CustomerId) -> ApiResult<usize> {
        let path = format!("/customers/{customer}/pending-orders");
        let list: ItemList<serde::de::IgnoredAny> =
            self.decode(self.build(self.get(&path))).await?;
        Ok(list.items.len())
    }

    /// A customer's statement for `month` (`YYYY-MM`).
    pub async fn statement(&self, customer: CustomerId, month: &str) -> ApiResult<Statement> {
        let id = customer.to_string();
        let request = self
            .get("/statements")
            .query([("customer", id.as_str()), ("month", month)]);
        self.decode(self.build(request)).await
    }

    /// Where a customer's statement (or, without one, every customer's) downloads as CSV.
    pub fn statements_csv_url(&self, customer: Option<CustomerId>, month: &str) -> String {
        let id = customer.map(|c| c.to_string()).unwrap_or_default();
        self.url(&format!("/statements.csv?month={month}&customer={id}"))
    }

    /// The price rules and what they give for every offer, on `day` (today when empty).
    pub async fn prices(&self, day: &str) -> ApiResult<PriceTable> {
        let request = self.get("/prices").query([("day", day)]);
        self.decode(self.build(request)).await
    }

    pub async fn set_price_rule(&self, rule: &PriceRuleInput) -> ApiResult<PriceRule> {
        let builder = Request::post(&self.url("/prices/rules"));
        self.decode(self.with_body(builder, rule)).await
    }

    pub async fn remove_price_rule(&self, id: &str) -> ApiResult<()> {
        let url = self.url(&format!("/prices/rules/{}", encode(id)));
        let builder = Request::delete(&url).credentials(RequestCredentials::Include);
        self.send(self.build(builder)).await.map(|_| ())
    }

    /// `month`'s reconciliation; `None` when no file was imported for it.
    pub async fn reconciliation(&self, month: &str) -> ApiResult<Option<Reconciliation>> {
        let request = self.get("/reconciliation").query([("month", month)]);
        match self.decode(self.build(request)).await {
            Ok(found) => Ok(Some(found)),
            Err(ApiError::Refused(body)) if body.code == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Imports Microsoft's reconciliation file (its text) as `month`'s.
    pub async fn import_reconciliation(
        &self,
        month: &str,
        file_name: &str,
        text: String,
    ) -> ApiResult<Reconciliation> {
        let builder = Request::post(&self.url("/reconciliation"))
            .query([("month", month), ("file_name", file_name)])
            .header("content-type", "text/csv")
            .credentials(RequestCredentials::Include)
            .abort_signal(self.signal().as_ref());
        let request = builder
            .body(text)
            .map_err(|e| ApiError::Network(e.to_string()));
        self.decode(request).await
    }

    pub fn reconciliation_csv_url(&self, month: &str) -> String {
        self.url(&format!("/reconciliation.csv?month={month}"))
    }

    /// Sends a waiting order on now, or (`discard`) gives it up.
    pub async fn act_on_pending_order(
        &self,
        customer: CustomerId,
        order: &str,
        discard: bool,
    ) -> ApiResult<Option<OrderOutcome>> {
        let url = self.url(&format!("/customers/{customer}/pending-orders/{order}"));
        if discard {
            let builder = Request::delete(&url).credentials(RequestCredentials::Include);
            self.send(self.build(builder)).await?;
            return Ok(None);
        }
        let builder =
            Request::post(&format!("{url}/retry")).credentials(RequestCredentials::Include);
        self.order_outcome(self.build(builder)).await.map(Some)
    }
}

/// What an order came to: the new subscription, or an order waiting for Microsoft.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderOutcome {
    Created(Box<SubscriptionView>),
    Waiting(PendingOrder),
}

/// A fresh random key for one order form (crypto-random, works outside secure contexts too).
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        // No Web Crypto (very old browser): time and Math.random still make a collision unlikely.
        let seed =
            (js_sys::Date::now() as u64) ^ ((js_sys::Math::random() * u64::MAX as f64) as u64);
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..]
            .copy_from_slice(&((js_sys::Math::random() * u64::MAX as f64) as u64).to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The activity log's filters (and page) as a query string; absent ones left out.
pub fn activity_query(f: &ActivityQuery, before: Option<&str>) -> String {
    [
        ("from", f.from.as_deref()),
        ("to", f.to.as_deref()),
        ("customer", f.customer.as_deref()),
        ("agent", f.agent.as_deref()),
        ("action", f.action.as_deref()),
        ("before", before),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.filter(|v| !v.is_empty())
            .map(|v| format!("{k}={}", encode(v)))
    })
    .collect::<Vec<_>>()
    .join("&")
}
