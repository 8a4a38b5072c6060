//! Every path of the console, built in one place: pages link with these functions, never with
//! hand-written URLs. The router's patterns that read them back are in `app.rs`.

use shared::ids::{CustomerId, SubscriptionId};

/// The part of `path` below `base`, whole segments only: `/portal/subscriptions/team` under
/// `/portal/subscriptions` is `/team`, `/portal/subscriptions-old` is not below it (`None`).
pub fn below_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    path.strip_prefix(base)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A subscription's page.
pub fn subscription(id: SubscriptionId) -> String {
    format!("/subscriptions/{id}")
}

/// The "Add new subscriptions" form of a customer.
pub fn new_subscription(customer: CustomerId) -> String {
    format!("/customers/{customer}/new")
}

/// A customer's statement for a month (`YYYY-MM`; this month when empty).
pub fn statement(customer: CustomerId, month: &str) -> String {
    match month {
        "" => format!("/customers/{customer}/statement"),
        m => format!("/customers/{customer}/statement?month={m}"),
    }
}

/// The month of today, by the browser's clock (`YYYY-MM`).
pub fn this_month() -> String {
    let today = shared::calendar::date_of((js_sys::Date::now() / 1000.0) as i64);
    format!("{:04}-{:02}", today.0, today.1)
}

/// Add customer.
pub const NEW_CUSTOMER: &str = "/new-customer";
/// Subscriptions whose term ends soon.
pub const RENEWALS: &str = "/renewals";
/// The partner's activity log.
pub const ACTIVITY: &str = "/activity";
/// The Team page (admin agents).
pub const TEAM: &str = "/team";
/// The partner's price rules (admins).
pub const PRICES: &str = "/prices";
/// Microsoft's invoice against the console (admins, sales).
pub const RECONCILIATION: &str = "/reconciliation";
/// The signed-in agent's own account: change password.
pub const ACCOUNT: &str = "/account";

/// The customer list as the URL holds it: the search, the page, the customer whose action pane
/// is open and a subscription just ordered (marked "new"). Reload and shared links keep them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListLocation {
    pub customer: Option<CustomerId>,
    pub search: String,
    pub page: u32,
    pub new_subscription: Option<SubscriptionId>,
}

impl Default for ListLocation {
    fn default() -> Self {
        ListLocation {
            customer: None,
            search: String::new(),
            page: 1,
            new_subscription: None,
        }
    }
}

impl ListLocation {
    /// One customer's action pane, on the unfiltered list.
    pub fn customer(id: CustomerId) -> Self {
        ListLocation {
            customer: Some(id),
            ..Default::default()
        }
    }

    /// Whether a console path (base path removed) is the list: `/` or `/customers/{id}`.
    pub fn is_list_path(path: &str) -> bool {
        let path = path.trim_end_matches('/');
        path.is_empty()
            || path
                .strip_prefix("/customers/")
                .is_some_and(|id| id.parse::<CustomerId>().is_ok())
    }

    /// Reads a console path (base path removed) and its query string.
    pub fn parse(path: &str, query: impl Fn(&str) -> Option<String>) -> Self {
        let customer = path
            .strip_prefix("/customers/")
            .map(|rest| rest.trim_end_matches('/'))
            .and_then(|id| id.parse().ok());
        ListLocation {
            customer,
            search: query("q").unwrap_or_default(),
            page: query("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            new_subscription: query("new").and_then(|id| id.parse().ok()),
        }
    }

    pub fn path(&self) -> String {
        let mut path = match self.customer {
            Some(id) => format!("/customers/{id}"),
            None => "/".to_owned(),
        };
        let mut params = Vec::new();
        if !self.search.is_empty() {
            params.push(format!("q={}", encode(&self.search)));
        }
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        if let Some(id) = self.new_subscription {
            params.push(format!("new={id}"));
        }
        if !params.is_empty() {
            path = format!("{path}?{}", params.join("&"));
        }
        path
    }
}

/// A text as one URL query value.
pub fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
