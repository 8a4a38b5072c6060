//! The Prices page's answers: the partner's rules, and what they give for every offer.

use serde::{Deserialize, Serialize};

use crate::ids::OfferId;
use crate::pricing::{PriceRule, Quote};

/// `GET /api/prices`: the rules, and each offer the partner sells priced on `day` (for one
/// customer when asked, else for a customer without rules of its own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceTable {
    /// ISO 4217: the partner's price lists' currency.
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub rules: Vec<PriceRule>,
    pub offers: Vec<OfferPrice>,
    /// Whether this agent's role sees costs (else every quote's `cost` is empty).
    pub costs_shown: bool,
}

/// One offer's price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferPrice {
    pub offer_id: OfferId,
    pub offer_name: String,
    /// The catalogue's own price, a seat a month.
    pub catalogue_price: i64,
    pub quote: Quote,
}
