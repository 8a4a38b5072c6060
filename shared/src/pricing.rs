//! What a seat costs the partner (Microsoft's price list) and what the partner charges its
//! customer for it (the partner's price rules), per seat per month in minor units.
//!
//! A customer's price, most specific rule first, each rule in force from its effective date:
//! 1. a fixed price for this customer and this offer;
//! 2. a markup over cost for this customer;
//! 3. a fixed price for this offer;
//! 4. a partner-wide markup over cost;
//! 5. else Microsoft's ERP (suggested retail) price from the price list;
//! 6. else the catalogue's price of the offer (a partner without a price list, as before).
//!
//! A markup needs a cost: without a price list line for the day it gives way to the next rule.

use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, OfferId};
use crate::model::{BillingCycle, Term};
use crate::money::{apply_markup, divide};

/// How a price rule prices a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum PriceValue {
    /// A price of a seat for a month, in minor units.
    Fixed(i64),
    /// Hundredths of a percent over cost (1500 = 15 %).
    Markup(i32),
}

/// One of the partner's price rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceRule {
    pub id: String,
    /// `None`: every customer.
    pub customer_id: Option<CustomerId>,
    /// `None`: every offer (a markup only).
    pub offer_id: Option<OfferId>,
    pub value: PriceValue,
    /// `YYYY-MM-DD`: the first day it applies.
    pub effective_from: String,
}

/// Which rule gave a price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    CustomerOffer,
    Customer,
    Offer,
    Partner,
    /// Microsoft's ERP price.
    Erp,
    /// The catalogue's own price (no price list, no rule).
    Catalogue,
}

impl PriceSource {
    /// Most specific first.
    pub const ALL: [PriceSource; 6] = [
        PriceSource::CustomerOffer,
        PriceSource::Customer,
        PriceSource::Offer,
        PriceSource::Partner,
        PriceSource::Erp,
        PriceSource::Catalogue,
    ];
}

/// Why a rule cannot be saved.
pub fn check_rule(rule: &PriceRule) -> Result<(), String> {
    match rule.value {
        PriceValue::Fixed(_) if rule.offer_id.is_none() => {
            Err("a fixed price names an offer: a price for every offer is a markup".to_owned())
        }
        PriceValue::Fixed(p) if p < 0 => Err("a fixed price is zero or more".to_owned()),
        PriceValue::Markup(_) if rule.offer_id.is_some() && rule.customer_id.is_some() => {
            Err("a price for one customer's offer is a fixed price, not a markup".to_owned())
        }
        PriceValue::Markup(_) if rule.offer_id.is_some() => {
            Err("an offer's own price is a fixed price, not a markup".to_owned())
        }
        PriceValue::Markup(m) if !(-9_999..=100_000).contains(&m) => {
            Err("a markup is from above -100% to 1000%".to_owned())
        }
        _ => crate::file_values::parse_date(&rule.effective_from).map(drop),
    }
}

/// A price rule as an agent types it (the Prices page, `prices set`): the amount as text, read
/// by the money rules in the partner's currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceRuleInput {
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    #[serde(default)]
    pub offer_id: Option<OfferId>,
    /// A percentage over cost, e.g. `15` or `12.5` (this or `fixed_price`).
    #[serde(default)]
    pub markup: Option<String>,
    /// A price of a seat for a month, e.g. `11.90`.
    #[serde(default)]
    pub fixed_price: Option<String>,
    /// `YYYY-MM-DD`; `None`: today.
    #[serde(default)]
    pub effective_from: Option<String>,
}

/// The rule an input gives, or which field is wrong and why: the same check in the browser,
/// the API and the command line.
pub fn rule_from_input(
    input: &PriceRuleInput,
    id: String,
    currency: &str,
    today: &str,
) -> Result<PriceRule, (&'static str, String)> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let value = match (text(&input.markup), text(&input.fixed_price)) {
        (Some(_), Some(_)) => {
            return Err((
                "markup",
                "give a markup or a fixed price, not both".to_owned(),
            ));
        }
        (None, None) => {
            return Err((
                "markup",
                "give a markup (a percentage over cost) or a fixed price".to_owned(),
            ));
        }
        (Some(m), None) => {
            PriceValue::Markup(crate::money::parse_markup(&m).map_err(|e| ("markup", e))?)
        }
        (None, Some(p)) => PriceValue::Fixed(
            crate::money::parse_price(&p, currency).map_err(|e| ("fixed_price", e))?,
        ),
    };
    let effective_from = match text(&input.effective_from) {
        Some(d) => crate::file_values::parse_date(&d).map_err(|e| ("effective_from", e))?,
        None => today.to_owned(),
    };
    let rule = PriceRule {
        id,
        customer_id: input.customer_id,
        offer_id: input.offer_id.clone(),
        value,
        effective_from,
    };
    check_rule(&rule).map_err(|e| ("markup", e))?;
    Ok(rule)
}

/// The scope a rule applies at.
pub fn source_of(rule: &PriceRule) -> PriceSource {
    match (&rule.customer_id, &rule.offer_id) {
        (Some(_), Some(_)) => PriceSource::CustomerOffer,
        (Some(_), None) => PriceSource::Customer,
        (None, Some(_)) => PriceSource::Offer,
        (None, None) => PriceSource::Partner,
    }
}

/// A term as Microsoft's price list writes it (`TermDuration`): `P1M`, `P1Y`, `P3Y`.
pub fn parse_term_duration(text: &str) -> Result<String, String> {
    let t = text.trim().to_ascii_uppercase();
    match t.as_str() {
        "P1M" | "P1Y" | "P3Y" => Ok(t),
        _ => Err(format!(
            "\"{}\" is not a term duration: P1M, P1Y or P3Y as in the price list",
            text.trim()
        )),
    }
}

/// A billing plan as the price list writes it (`BillingPlan`): Monthly, Annual, Triennial, or
/// OneTime (software bought once).
pub fn parse_billing_plan(text: &str) -> Result<String, String> {
    let t = text.trim();
    for plan in ["Monthly", "Annual", "Triennial", "OneTime"] {
        if t.eq_ignore_ascii_case(plan) {
            return Ok(plan.to_owned());
        }
    }
    Err(format!(
        "\"{t}\" is not a billing plan: Monthly, Annual, Triennial or OneTime as in the price list"
    ))
}

/// A price list's date (`EffectiveStartDate`, `EffectiveEndDate`) as `YYYY-MM-DD`: the list
/// writes `2026-11-01`, `2026-11-01T00:00:00Z` or `11/1/2026 12:00:00 AM` (month first); the
/// time of day, always midnight, is dropped.
pub fn parse_price_list_date(text: &str) -> Result<String, String> {
    let t = text.trim();
    let day = t.split([' ', 'T']).next().unwrap_or("");
    let iso = match day.split('/').collect::<Vec<_>>().as_slice() {
        [m, d, y] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => day.to_owned(),
    };
    crate::file_values::parse_date(&iso).map_err(|_| {
        format!("\"{t}\" is not a date of the price list: write it as YYYY-MM-DD (e.g. 2026-11-01)")
    })
}

/// The console's term and billing cycle of a price list's term and billing plan, for the
/// terms the console sells (monthly and annual; not three-year or one-time).
pub fn console_term(term_duration: &str, billing_plan: &str) -> Option<(Term, BillingCycle)> {
    let term = match term_duration {
        "P1M" => Term::Monthly,
        "P1Y" => Term::Annual,
        _ => return None,
    };
    let billing = match billing_plan {
        "Monthly" => BillingCycle::Monthly,
        "Annual" => BillingCycle::Annual,
        _ => return None,
    };
    Some((term, billing))
}

/// A price list's unit price (for one seat and one billing period: a month, a year, three
/// years) as a price for a month, by the money rounding rule.
pub fn per_month(unit_price: i64, billing_plan: &str) -> i64 {
    let months = match billing_plan {
        "Annual" => 12,
        "Triennial" => 36,
        _ => 1,
    };
    divide(i128::from(unit_price), months)
}

/// One day's cost of an offer: Microsoft's price list line in force, per seat per month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostLine {
    pub offer_id: OfferId,
    /// `YYYY-MM-DD`, the first day.
    pub effective_start: String,
    /// `YYYY-MM-DD`, the last day; `None` until the next list.
    pub effective_end: Option<String>,
    /// What the partner pays Microsoft for a seat for a month.
    pub cost: i64,
    /// Microsoft's suggested retail price for a seat for a month.
    pub erp: Option<i64>,
}

/// One line of Microsoft's price list as the console keeps it; prices as the list writes them
/// (a seat for one billing period), in minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceListLine {
    pub product_id: String,
    pub sku_id: String,
    /// `P1M`, `P1Y`, `P3Y`.
    pub term_duration: String,
    /// `Monthly`, `Annual`, `Triennial`, `OneTime`.
    pub billing_plan: String,
    pub effective_start: String,
    pub effective_end: Option<String>,
    pub market: String,
    pub currency: String,
    pub unit_price: i64,
    pub erp_price: Option<i64>,
    pub product_title: String,
    pub sku_title: String,
}

impl PriceListLine {
    /// This line as `offer`'s cost, when it is the offer's: the same product and SKU (the
    /// offer id is Partner Center's catalog item id), term, billing and currency.
    pub fn cost_of(&self, offer: &crate::model::Offer) -> Option<CostLine> {
        let item = crate::partner_center::CatalogItem::parse(&offer.id.0).ok()?;
        let same = item.product_id.eq_ignore_ascii_case(&self.product_id)
            && item.sku_id.eq_ignore_ascii_case(&self.sku_id)
            && console_term(&self.term_duration, &self.billing_plan)
                == Some((offer.term, offer.billing_cycle))
            && self.currency == offer.currency;
        same.then(|| CostLine {
            offer_id: offer.id.clone(),
            effective_start: self.effective_start.clone(),
            effective_end: self.effective_end.clone(),
            cost: per_month(self.unit_price, &self.billing_plan),
            erp: self.erp_price.map(|p| per_month(p, &self.billing_plan)),
        })
    }
}

/// A price as the console shows it: the customer's price, and what it costs the partner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The customer's price of a seat for a month, in minor units.
    pub price: i64,
    /// The partner's cost of a seat for a month (`None`: no price list line, or hidden from
    /// this agent's role).
    pub cost: Option<i64>,
    pub source: PriceSource,
    /// The rule that gave it, when one did.
    pub rule_id: Option<String>,
}

impl Quote {
    /// The price in the catalogue's own field (`price_per_seat_cents`): a price below zero
    /// there is none, one past its range the largest it holds.
    pub fn price_per_seat_cents(&self) -> u32 {
        u32::try_from(self.price.max(0)).unwrap_or(u32::MAX)
    }

    /// Price minus cost, a seat a month.
    pub fn margin(&self) -> Option<i64> {
        self.cost.map(|c| self.price - c)
    }

    /// Allowed, and flagged wherever it shows.
    pub fn below_cost(&self) -> bool {
        self.cost.is_some_and(|c| self.price < c)
    }

    /// The quote as an agent sees it: with its cost only if the agent's role sees costs.
    pub fn shown(self, costs_shown: bool) -> Quote {
        if costs_shown {
            self
        } else {
            self.without_cost()
        }
    }

    /// The same quote for an agent whose role does not see costs.
    pub fn without_cost(mut self) -> Quote {
        self.cost = None;
        self
    }
}

/// What `seats` seats cost the partner a month and what it earns on them, at a customer's
/// `price` and the partner's `cost` of a seat a month (the margin is negative below cost).
pub fn monthly_cost_and_margin(price: i64, cost: i64, seats: u32) -> (i64, i64) {
    let seats = i64::from(seats);
    (cost * seats, (price - cost) * seats)
}

/// A partner's price rules and cost lines, enough to price any of its customers' offers on
/// any day (statements price a past month by the lists and rules of those days).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBook {
    pub rules: Vec<PriceRule>,
    pub costs: Vec<CostLine>,
}

impl PriceBook {
    /// The cost line of `offer` in force on `day`: the latest start on or before it that has
    /// not ended.
    pub fn cost_on(&self, offer: &OfferId, day: &str) -> Option<&CostLine> {
        self.costs
            .iter()
            .filter(|c| &c.offer_id == offer && c.effective_start.as_str() <= day)
            .filter(|c| c.effective_end.as_deref().is_none_or(|end| day <= end))
            .max_by(|a, b| a.effective_start.cmp(&b.effective_start))
    }

    /// The rule of one scope in force on `day`: the latest effective date on or before it.
    fn rule_on(
        &self,
        customer: Option<&CustomerId>,
        offer: Option<&OfferId>,
        day: &str,
    ) -> Option<&PriceRule> {
        self.rules
            .iter()
            .filter(|r| r.customer_id.as_ref() == customer && r.offer_id.as_ref() == offer)
            .filter(|r| r.effective_from.as_str() <= day)
            .max_by(|a, b| a.effective_from.cmp(&b.effective_from))
    }

    /// `customer`'s price of a seat of `offer` on `day`, by the rules above; `catalogue` is the
    /// catalogue's price, the last fallback.
    pub fn quote(
        &self,
        customer: &CustomerId,
        offer: &OfferId,
        catalogue: i64,
        day: &str,
    ) -> Quote {
        let line = self.cost_on(offer, day);
        let cost = line.map(|l| l.cost);
        let scopes = [
            (Some(customer), Some(offer), PriceSource::CustomerOffer),
            (Some(customer), None, PriceSource::Customer),
            (None, Some(offer), PriceSource::Offer),
            (None, None, PriceSource::Partner),
        ];
        for (c, o, source) in scopes {
            let Some(rule) = self.rule_on(c, o, day) else {
                continue;
            };
            let price = match (rule.value, cost) {
                (PriceValue::Fixed(p), _) => p,
                (PriceValue::Markup(m), Some(cost)) => apply_markup(cost, m),
                (PriceValue::Markup(_), None) => continue,
            };
            return Quote {
                price,
                cost,
                source,
                rule_id: Some(rule.id.clone()),
            };
        }
        match line.and_then(|l| l.erp) {
            Some(erp) => Quote {
                price: erp,
                cost,
                source: PriceSource::Erp,
                rule_id: None,
            },
            None => Quote {
                price: catalogue,
                cost,
                source: PriceSource::Catalogue,
                rule_id: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(n: u128) -> CustomerId {
        CustomerId(uuid::Uuid::from_u128(n))
    }

    fn offer(id: &str) -> OfferId {
        OfferId(id.to_owned())
    }

    fn rule(
        id: &str,
        c: Option<CustomerId>,
        o: Option<&str>,
        value: PriceValue,
        from: &str,
    ) -> PriceRule {
        PriceRule {
            id: id.to_owned(),
            customer_id: c,
            offer_id: o.map(offer),
            value,
            effective_from: from.to_owned(),
        }
    }

    fn book() -> PriceBook {
        PriceBook {
            rules: vec![
                rule(
                    "partner",
                    None,
                    None,
                    PriceValue::Markup(1000),
                    "2026-01-01",
                ),
                rule(
                    "offer",
                    None,
                    Some("basic"),
                    PriceValue::Fixed(650),
                    "2026-06-01",
                ),
                rule(
                    "customer",
                    Some(customer(1)),
                    None,
                    PriceValue::Markup(500),
                    "2026-01-01",
                ),
                rule(
                    "both",
                    Some(customer(1)),
                    Some("basic"),
                    PriceValue::Fixed(590),
                    "2026-11-01",
                ),
            ],
            costs: vec![
                CostLine {
                    offer_id: offer("basic"),
                    effective_start: "2026-01-01".into(),
                    effective_end: None,
                    cost: 600,
                    erp: Some(720),
                },
                CostLine {
                    offer_id: offer("basic"),
                    effective_start: "2026-12-01".into(),
                    effective_end: None,
                    cost: 620,
                    erp: Some(744),
                },
            ],
        }
    }

    #[test]
    fn the_most_specific_rule_in_force_wins() {
        let b = book();
        let basic = offer("basic");
        let q = |c: u128, day: &str| b.quote(&customer(c), &basic, 999, day);
        assert_eq!(q(1, "2026-11-15").source, PriceSource::CustomerOffer);
        assert_eq!(q(1, "2026-11-15").price, 590);
        assert!(q(1, "2026-11-15").below_cost());
        assert_eq!(q(1, "2026-10-31").source, PriceSource::Customer);
        assert_eq!(q(1, "2026-10-31").price, 630);
        assert_eq!(q(2, "2026-07-01").source, PriceSource::Offer);
        assert_eq!(q(2, "2026-07-01").margin(), Some(50));
        assert_eq!(q(2, "2026-05-31").price, 660);
        // December's list raises the cost: the partner-wide markup follows it.
        let december = b.quote(&customer(2), &offer("other"), 999, "2026-12-02");
        assert_eq!(december.source, PriceSource::Catalogue);
        assert_eq!(b.cost_on(&basic, "2026-12-02").map(|l| l.cost), Some(620));
        assert_eq!(b.cost_on(&basic, "2026-11-30").map(|l| l.cost), Some(600));
    }

    #[test]
    fn without_rules_the_erp_price_then_the_catalogue() {
        let b = PriceBook {
            rules: vec![],
            costs: book().costs,
        };
        let q = b.quote(&customer(3), &offer("basic"), 999, "2026-03-01");
        assert_eq!(
            (q.price, q.cost, q.source),
            (720, Some(600), PriceSource::Erp)
        );
        let before = b.quote(&customer(3), &offer("basic"), 999, "2025-12-31");
        assert_eq!(
            (before.price, before.cost, before.source),
            (999, None, PriceSource::Catalogue)
        );
        // A markup with no cost gives way.
        let markup_only = PriceBook {
            rules: vec![rule(
                "p",
                None,
                None,
                PriceValue::Markup(1000),
                "2020-01-01",
            )],
            costs: vec![],
        };
        let q = markup_only.quote(&customer(3), &offer("basic"), 999, "2026-03-01");
        assert_eq!(q.source, PriceSource::Catalogue);
    }

    #[test]
    fn rules_that_make_no_sense_are_refused() {
        let fixed_everywhere = rule("x", None, None, PriceValue::Fixed(100), "2026-01-01");
        assert!(check_rule(&fixed_everywhere).is_err());
        let markup_offer = rule("x", None, Some("a"), PriceValue::Markup(100), "2026-01-01");
        assert!(check_rule(&markup_offer).is_err());
        let bad_day = rule("x", None, None, PriceValue::Markup(100), "2026-13-01");
        assert!(check_rule(&bad_day).is_err());
        let ok = rule(
            "x",
            Some(customer(1)),
            Some("a"),
            PriceValue::Fixed(0),
            "2026-01-01",
        );
        assert_eq!(check_rule(&ok), Ok(()));
    }

    #[test]
    fn annual_prices_are_shared_out_by_month() {
        assert_eq!(per_month(7200, "Annual"), 600);
        assert_eq!(per_month(1000, "Annual"), 83);
        assert_eq!(per_month(1002, "Annual"), 84); // 83.5 → 84
        assert_eq!(per_month(720, "Monthly"), 720);
        assert_eq!(
            console_term("P1Y", "Monthly"),
            Some((Term::Annual, BillingCycle::Monthly))
        );
        assert_eq!(console_term("P3Y", "Triennial"), None);
        assert_eq!(parse_billing_plan("annual").as_deref(), Ok("Annual"));
        assert!(parse_term_duration("P2Y").is_err());
        assert_eq!(
            parse_price_list_date("11/1/2026 12:00:00 AM").as_deref(),
            Ok("2026-11-01")
        );
        assert_eq!(
            parse_price_list_date("2026-11-01T00:00:00.0000000Z").as_deref(),
            Ok("2026-11-01")
        );
        assert!(parse_price_list_date("2026-13-01").is_err());
        assert!(parse_price_list_date("13/1/2026").is_err());
    }
}
