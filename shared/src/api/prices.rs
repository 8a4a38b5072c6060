//! The Prices page's answers: the partner's rules, and what they give for every offer.

use serde::{Deserialize, Serialize};

use crate::ids::OfferId;
use crate::model::Offer;
use crate::pricing::{PriceRule, PriceSource, Quote};

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

/// `GET /api/offers`: an offer as the customer asked for would buy it. `price_per_seat_cents`
/// is that customer's price by the partner's rules (the order form and its total show it);
/// the partner's cost only for roles that see costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricedOffer {
    #[serde(flatten)]
    pub offer: Offer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_seat_cents: Option<i64>,
    pub price_source: PriceSource,
}

impl PricedOffer {
    /// `offer` at `quote`'s price, with its cost when the quote has one.
    pub fn new(mut offer: Offer, quote: Quote) -> Self {
        offer.price_per_seat_cents = quote.price_per_seat_cents();
        PricedOffer {
            offer,
            cost_per_seat_cents: quote.cost,
            price_source: quote.source,
        }
    }
}
