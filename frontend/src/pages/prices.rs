//! *Prices*: what each offer costs the partner (Microsoft's price list) and what a customer
//! without rules of its own pays, by the partner's rules; the rules, and a form to add one
//! (admins). A rule is checked as the agent types by the same `shared` rule the server and
//! `reseller-console prices set` use.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{OfferPrice, PriceTable};
use shared::ids::{CustomerId, OfferId};
use shared::money::format_markup;
use shared::pricing::{PriceRule, PriceRuleInput, PriceValue, rule_from_input};
use shared::roles::Permission;

use crate::api::ApiError;
use crate::components::loading::Loading;
use crate::components::notice::{Confirmation, ErrorNotice, FailureNotice};
use crate::console::use_console;
use crate::format;

#[component]
pub fn PricesPage() -> impl IntoView {
    let console = use_console();
    let table = LocalResource::new(move || async move { console.api().prices("").await });
    let saved = RwSignal::new(None::<String>);
    let m = console.money();
    view! {
        <h1>{m.prices}</h1>
        <Confirmation message=saved />
        <Transition fallback=Loading>
            {move || table.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| table.refetch()) /> }.into_any(),
                Ok(t) => {
                    let changed = Callback::new(move |message: Option<String>| {
                        saved.set(message);
                        table.refetch();
                    });
                    view! { <PriceTables table=t changed /> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn PriceTables(table: PriceTable, changed: Callback<Option<String>>) -> impl IntoView {
    let console = use_console();
    let (m, lang) = (console.money(), console.lang.get_untracked());
    let currency = table.currency.clone();
    let money = move |cents: i64| format::signed_money(lang, cents, &currency);
    let costs = table.costs_shown;
    let may_set = console.may(Permission::SetPrices);
    let offer_name = {
        let offers = table.offers.clone();
        move |id: &Option<OfferId>| match id {
            None => m.every_offer.to_owned(),
            Some(id) => offers
                .iter()
                .find(|o| &o.offer_id == id)
                .map_or_else(|| id.0.clone(), |o| o.offer_name.clone()),
        }
    };
    let rules = table.rules.clone();
    view! {
        <section class="rc-card rc-prices">
            <p class="rc-muted">{m.prices_intro}</p>
            <table class="rc-table rc-price-table" aria-label=m.prices>
                <thead><tr>
                    <th scope="col">{console.t().col_offer}</th>
                    {costs.then(|| view! { <th scope="col" class="rc-num">{m.col_cost}</th> })}
                    <th scope="col" class="rc-num">{m.col_price}</th>
                    {costs.then(|| view! { <th scope="col" class="rc-num">{m.col_margin}</th> })}
                    <th scope="col">{m.col_source}</th>
                </tr></thead>
                <tbody>
                    {table.offers.iter().map(|OfferPrice { offer_name, quote, .. }| {
                        let below = quote.below_cost();
                        view! {
                            <tr>
                                <td>{offer_name.clone()}</td>
                                {costs.then(|| view! { <td class="rc-num">{quote.cost.map(&money)}</td> })}
                                <td class="rc-num">{money(quote.price)}</td>
                                {costs.then(|| view! {
                                    <td class="rc-num rc-price-margin" class:rc-below-cost=below>{quote.margin().map(&money)}</td>
                                })}
                                <td>{m.source(quote.source, lang)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="rc-card rc-price-rules">
            <h2>{m.rules}</h2>
            {if rules.is_empty() {
                view! { <p class="rc-muted rc-empty">{m.no_rules}</p> }.into_any()
            } else {
                view! {
                    <table class="rc-table">
                        <thead><tr>
                            <th scope="col">{m.col_applies_to}</th>
                            <th scope="col">{m.col_value}</th>
                            <th scope="col">{m.col_from}</th>
                            {may_set.then(|| view! { <th scope="col"><span class="rc-visually-hidden">{m.remove}</span></th> })}
                        </tr></thead>
                        <tbody>
                            {rules.into_iter().map(|rule| {
                                let name = offer_name(&rule.offer_id);
                                view! { <RuleRow rule offer_name=name money=money.clone() may_set changed /> }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {may_set.then(|| view! { <RuleForm offers=table.offers.clone() currency=table.currency.clone() today=table.day.clone() changed /> })}
        </section>
    }
}

#[component]
fn RuleRow(
    rule: PriceRule,
    offer_name: String,
    money: impl Fn(i64) -> String + 'static,
    may_set: bool,
    changed: Callback<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let (m, lang) = (console.money(), console.lang.get_untracked());
    let failure = RwSignal::new(None::<ApiError>);
    let customer = rule
        .customer_id
        .map_or_else(|| m.every_customer.to_owned(), |c| c.to_string());
    let value = match rule.value {
        PriceValue::Markup(points) => format!("+{}", format_markup(points)),
        PriceValue::Fixed(cents) => money(cents),
    };
    let id = rule.id.clone();
    let remove = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match console.api().remove_price_rule(&id).await {
                Ok(()) => changed.run(None),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <tr>
            <td>{offer_name}<span class="rc-muted rc-small rc-block">{customer}</span></td>
            <td>{value}</td>
            <td>{format::day(lang, &rule.effective_from)}</td>
            {may_set.then(|| view! {
                <td>
                    <button type="button" class="rc-remove-rule" on:click=remove>{m.remove}</button>
                    <FailureNotice failure retry=Callback::new(|_| ()) />
                </td>
            })}
        </tr>
    }
}

/// Add a rule: which offer (or all), which customer (or all), a markup or a fixed price, from
/// which day.
#[component]
fn RuleForm(
    offers: Vec<OfferPrice>,
    currency: String,
    today: String,
    changed: Callback<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let m = console.money();
    let (offer, customer, markup) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(true),
    );
    let (amount, from) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let touched = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    // The rule as typed, checked by the shared rule: the input, or the field at fault and why.
    let checked = Memo::new(move |_| {
        let customer_id = match customer.get().trim() {
            "" => None,
            t => match t.parse::<CustomerId>() {
                Ok(c) => Some(c),
                Err(_) => return Err(("customer_id", format!("\"{t}\" is not a customer ID"))),
            },
        };
        let (a, f) = (amount.get(), from.get());
        let input = PriceRuleInput {
            customer_id,
            offer_id: Some(offer.get()).filter(|o| !o.is_empty()).map(OfferId),
            markup: markup.get().then(|| a.clone()),
            fixed_price: (!markup.get()).then_some(a),
            effective_from: Some(f),
        };
        rule_from_input(&input, String::new(), &currency, &today)?;
        Ok(input)
    });
    let message = move |field: &'static str| {
        move || match (touched.get(), checked.get()) {
            (true, Err((f, why))) if f == field || (field == "markup" && f == "fixed_price") => {
                Some(why)
            }
            _ => None,
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Ok(input) = checked.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match console.api().set_price_rule(&input).await {
                Ok(_) => {
                    failure.set(None);
                    changed.run(Some(m.rule_saved.to_owned()));
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <form class="rc-rule-form" on:submit=submit novalidate>
            <h3>{m.add_rule}</h3>
            <div class="rc-field">
                <label for="rule-offer">{console.t().col_offer}</label>
                <select id="rule-offer" on:change=move |ev| offer.set(event_target_value(&ev))>
                    <option value="">{m.every_offer}</option>
                    {offers.into_iter().map(|o| view! { <option value=o.offer_id.0.clone()>{o.offer_name}</option> }).collect_view()}
                </select>
            </div>
            <div class="rc-field">
                <label for="rule-customer">{m.customer_id}</label>
                <input id="rule-customer" autocomplete="off" aria-describedby="rule-customer-hint rule-customer-message"
                    prop:value=move || customer.get() on:input=move |ev| customer.set(event_target_value(&ev)) />
                <span id="rule-customer-hint" class="rc-muted rc-small">{m.customer_id_hint}</span>
                <span id="rule-customer-message" class="rc-error" aria-live="polite">{message("customer_id")}</span>
            </div>
            <fieldset class="rc-field rc-rule-kind">
                <legend>{m.col_value}</legend>
                <label><input type="radio" name="rule-kind" checked=true on:change=move |_| markup.set(true) />{m.markup}</label>
                <label><input type="radio" name="rule-kind" on:change=move |_| markup.set(false) />{m.fixed_price}</label>
            </fieldset>
            <div class="rc-field">
                <label for="rule-amount">{m.amount}</label>
                <input id="rule-amount" inputmode="decimal" autocomplete="off" aria-describedby="rule-amount-message"
                    prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
                <span id="rule-amount-message" class="rc-error" aria-live="polite">{message("markup")}</span>
            </div>
            <div class="rc-field">
                <label for="rule-from">{m.col_from}</label>
                <input id="rule-from" type="date" aria-describedby="rule-from-message"
                    prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) />
                <span id="rule-from-message" class="rc-error" aria-live="polite">{message("effective_from")}</span>
            </div>
            <FailureNotice failure retry=Callback::new(|_| ()) />
            <button type="submit" class="rc-primary">{m.add_rule}</button>
        </form>
    }
}
