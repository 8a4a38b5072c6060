//! Partner Center's REST resources, as much of them as the connector reads and writes, with the
//! field names of Microsoft's documentation (camelCase). Unknown fields are ignored: Microsoft
//! adds fields over time.

use serde::{Deserialize, Serialize};

/// A page of a collection: `GET /v1/customers` answers with one, and `links.next` when there
/// are more (its `MS-ContinuationToken` header asks for the next).
/// <https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers>
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    #[serde(default)]
    pub total_count: Option<u64>,
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    #[serde(default)]
    pub links: Option<Links>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Links {
    #[serde(default)]
    pub next: Option<Link>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Link {
    pub uri: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: Vec<LinkHeader>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LinkHeader {
    pub key: String,
    pub value: String,
}

/// A customer. <https://learn.microsoft.com/partner-center/developer/customer-resources>
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub company_profile: CompanyProfile,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfile {
    #[serde(default)]
    pub tenant_id: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub company_name: Option<String>,
}

/// A subscription. <https://learn.microsoft.com/partner-center/developer/subscription-resources>
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    #[serde(default)]
    pub offer_id: String,
    #[serde(default)]
    pub offer_name: Option<String>,
    #[serde(default)]
    pub quantity: i64,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub auto_renew_enabled: bool,
    /// `2027-01-31T00:00:00Z` (or a bare date).
    #[serde(default)]
    pub commitment_end_date: Option<String>,
    /// ISO 8601 duration: `P1M`, `P1Y`.
    #[serde(default)]
    pub term_duration: Option<String>,
    #[serde(default)]
    pub billing_cycle: Option<String>,
}

/// The error body of Partner Center's REST API: a numeric `code` and a `description`.
/// <https://learn.microsoft.com/partner-center/developer/error-codes>
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub description: Option<String>,
}

/// The token endpoint's answer (Microsoft Entra ID).
/// <https://learn.microsoft.com/partner-center/developer/partner-center-authentication>
#[derive(Clone, Debug, Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    /// Seconds; Entra ID sends a number (the v1 endpoint sends it as a string).
    #[serde(default)]
    pub expires_in: Option<serde_json::Value>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Entra ID's error answer: `error` and an `error_description` starting with its AADSTS code.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TokenError {
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
}

impl TokenAnswer {
    pub fn lifetime_seconds(&self) -> i64 {
        match &self.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(3600),
            Some(serde_json::Value::String(s)) => s.parse().unwrap_or(3600),
            _ => 3600,
        }
    }
}

/// A cart, as created and as read back: `status` is `Active` (not ordered yet) or `Ordered`.
/// <https://learn.microsoft.com/partner-center/developer/cart-resources>,
/// <https://learn.microsoft.com/partner-center/developer/create-a-cart>,
/// <https://learn.microsoft.com/partner-center/developer/get-a-cart-by-id>
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cart {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// What a checkout answers: the orders it placed, and the errors of the lines it could not.
/// <https://learn.microsoft.com/partner-center/developer/checkout-a-cart>
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutResult {
    #[serde(default)]
    pub orders: Vec<Order>,
    #[serde(default)]
    pub order_errors: Vec<OrderError>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderError {
    #[serde(default)]
    pub order_group_id: Option<String>,
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub description: Option<String>,
}

/// An order: its line items name the subscription Microsoft created for each, once it has.
/// <https://learn.microsoft.com/partner-center/developer/order-resources>,
/// <https://learn.microsoft.com/partner-center/developer/get-an-order-by-id>
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub line_items: Vec<OrderLineItem>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLineItem {
    #[serde(default)]
    pub line_item_number: Option<i64>,
    #[serde(default)]
    pub offer_id: Option<String>,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub quantity: Option<i64>,
}
