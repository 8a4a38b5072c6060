//! The partner's prices, as the Prices page and `reseller-console prices …` set and read them.

use shared::ErrorCode;
use shared::api::{OfferPrice, PriceTable, PricedOffer, SubscriptionView};
use shared::ids::{CustomerId, PartnerId};
use shared::model::{Offer, Subscription};
use shared::pricing::{PriceBook, PriceRule, PriceRuleInput, Quote, rule_from_input};
use shared::roles::{Permission, role_allows};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::store::prices::{RuleOutcome, partner_currency};

/// The partner's currency (`store::prices::partner_currency`), euros for a partner with
/// neither a price list nor an offer yet.
pub async fn currency(store: &dyn Store, partner: PartnerId) -> AppResult<String> {
    Ok(partner_currency(store, partner)
        .await?
        .unwrap_or_else(|| "EUR".to_owned()))
}

/// Checks and saves a rule (replacing the one of its scope and day).
pub async fn set_rule(
    store: &dyn Store,
    partner: PartnerId,
    input: &PriceRuleInput,
    by: &str,
    now: i64,
) -> AppResult<PriceRule> {
    let currency = currency(store, partner).await?;
    let today = shared::calendar::date_text(shared::calendar::date_of(now));
    let rule = rule_from_input(input, Uuid::new_v4().to_string(), &currency, &today)
        .map_err(|(field, why)| AppError::new(ErrorCode::InvalidPrice, why).with_field(field))?;
    match store
        .save_price_rule(partner, &rule, by, &shared::calendar::rfc3339(now))
        .await?
    {
        RuleOutcome::Saved(rule) => Ok(rule),
        RuleOutcome::UnknownCustomer => Err(AppError::not_found("customer")),
        RuleOutcome::UnknownOffer => Err(AppError::new(
            ErrorCode::OfferNotAuthorised,
            "this partner does not sell that offer",
        )
        .with_field("offer_id")),
    }
}

pub async fn remove_rule(store: &dyn Store, partner: PartnerId, id: &str) -> AppResult<()> {
    if store.remove_price_rule(partner, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("price rule"))
    }
}

/// Every offer the partner sells, with `customer`'s quote on `day` (a customer with no
/// rules of its own when `None`); costs only when `costs_shown`. The partner's book with it.
async fn quoted_offers(
    store: &dyn Store,
    partner: PartnerId,
    customer: Option<CustomerId>,
    day: &str,
    costs_shown: bool,
) -> AppResult<(PriceBook, Vec<(Offer, Quote)>)> {
    if let Some(c) = customer
        && store.customer(partner, c).await?.is_none()
    {
        return Err(AppError::not_found("customer"));
    }
    let book: PriceBook = store.price_book(partner).await?;
    // A customer nobody has: the partner-wide rules only.
    let who = customer.unwrap_or(CustomerId(Uuid::nil()));
    let offers = store
        .offers_for_partner(partner)
        .await?
        .into_iter()
        .map(|o| {
            let quote = book.quote(&who, &o.id, i64::from(o.price_per_seat_cents), day);
            (o, quote.shown(costs_shown))
        })
        .collect();
    Ok((book, offers))
}

/// The Prices page: the rules, and every offer priced on `day` for `customer`.
pub async fn price_table(
    store: &dyn Store,
    partner: PartnerId,
    customer: Option<CustomerId>,
    day: &str,
    costs_shown: bool,
) -> AppResult<PriceTable> {
    let (book, offers) = quoted_offers(store, partner, customer, day, costs_shown).await?;
    Ok(PriceTable {
        currency: currency(store, partner).await?,
        day: day.to_owned(),
        rules: book.rules,
        offers: offers
            .into_iter()
            .map(|(o, quote)| OfferPrice {
                catalogue_price: i64::from(o.price_per_seat_cents),
                offer_id: o.id,
                offer_name: o.name,
                quote,
            })
            .collect(),
        costs_shown,
    })
}

/// The offers an agent may order for `customer`, at that customer's price today.
pub async fn priced_offers(
    store: &dyn Store,
    agent: &crate::agent::SignedInAgent,
    customer: Option<CustomerId>,
    now: i64,
) -> AppResult<Vec<PricedOffer>> {
    let day = shared::calendar::date_text(shared::calendar::date_of(now));
    let costs_shown = role_allows(agent.role, Permission::SeeCosts);
    let (_, offers) = quoted_offers(store, agent.partner_id, customer, &day, costs_shown).await?;
    Ok(offers
        .into_iter()
        .map(|(o, quote)| PricedOffer::new(o, quote))
        .collect())
}

/// What `sub` costs its customer a seat a month on `day`, whoever asks (a refund is worked out
/// from it).
pub async fn customer_price(
    store: &dyn Store,
    partner: PartnerId,
    sub: &Subscription,
    day: &str,
) -> AppResult<u32> {
    let book = store.price_book(partner).await?;
    Ok(book
        .quote(
            &sub.customer_id,
            &sub.offer_id,
            i64::from(sub.price_per_seat_cents),
            day,
        )
        .price_per_seat_cents())
}

/// `views` priced for their customers on the day of `now`: the customer's price by the
/// partner's rules, and the cost for a role that sees costs.
pub async fn priced(
    store: &dyn Store,
    agent: &crate::agent::SignedInAgent,
    views: Vec<SubscriptionView>,
    now: i64,
) -> AppResult<Vec<SubscriptionView>> {
    let book = store.price_book(agent.partner_id).await?;
    if book.rules.is_empty() && book.costs.is_empty() {
        return Ok(views);
    }
    let day = shared::calendar::date_text(shared::calendar::date_of(now));
    let costs_shown = role_allows(agent.role, Permission::SeeCosts);
    Ok(views
        .into_iter()
        .map(|v| {
            let s = &v.subscription;
            let quote = book.quote(
                &s.customer_id,
                &s.offer_id,
                i64::from(s.price_per_seat_cents),
                &day,
            );
            v.priced(quote.shown(costs_shown))
        })
        .collect())
}

/// `subs` at their customers' prices, each on its own day (`day_of`: a renewal is priced on
/// the first day of its new term); with each, its cost for a role that sees costs.
pub async fn priced_on(
    store: &dyn Store,
    agent: &crate::agent::SignedInAgent,
    subs: Vec<Subscription>,
    day_of: impl Fn(&Subscription) -> String,
) -> AppResult<Vec<(Subscription, Option<i64>)>> {
    let book = store.price_book(agent.partner_id).await?;
    let costs_shown = role_allows(agent.role, Permission::SeeCosts);
    Ok(subs
        .into_iter()
        .map(|mut s| {
            let catalogue = i64::from(s.price_per_seat_cents);
            let quote = book
                .quote(&s.customer_id, &s.offer_id, catalogue, &day_of(&s))
                .shown(costs_shown);
            s.price_per_seat_cents = quote.price_per_seat_cents();
            (s, quote.cost)
        })
        .collect())
}

/// [`priced`] of one view.
pub async fn priced_one(
    store: &dyn Store,
    agent: &crate::agent::SignedInAgent,
    view: SubscriptionView,
    now: i64,
) -> AppResult<SubscriptionView> {
    let mut views = priced(store, agent, vec![view], now).await?;
    Ok(views.remove(0))
}
