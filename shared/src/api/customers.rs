//! Adding a customer.

use serde::{Deserialize, Serialize};

/// `POST /api/customers`: Add customer.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCustomerRequest {
    /// Company name, 1–200 characters.
    pub name: String,
    /// The customer's primary domain, e.g. `contoso.onmicrosoft.com`; unique within the partner.
    pub domain: String,
}
