//! *Add new subscriptions*: Select offer → Number of seats → Submit → confirm → Finish.
//! One idempotency key per order: a double click or a retry can never order twice.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;
use shared::api::{NewSubscriptionRequest, PendingOrder};
use shared::ids::{CustomerId, OfferId};
use shared::model::{Customer, Offer};
use shared::orders::check_order;
use shared::pricing::monthly_cost_and_margin;
use shared::seats::SeatInput;

use crate::action::action_then;
use crate::api::{ApiError, OrderOutcome, new_idempotency_key};
use crate::components::focus_soon;
use crate::components::loading::Loading;
use crate::components::notice::{ErrorNotice, FailureNotice};
use crate::components::pending_orders::PendingOrders;
use crate::components::seat_field::SeatField;
use crate::console::use_console;
use crate::format;
use crate::routes::ListLocation;

/// `/customers/:customer/new`; an id that does not parse is a customer not found.
#[derive(Params, Clone, Debug, PartialEq)]
struct CustomerParams {
    customer: Option<CustomerId>,
}

#[component]
pub fn NewSubscriptionPage() -> impl IntoView {
    let console = use_console();
    let params = use_params::<CustomerParams>();
    let customer_id = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.customer)));
    let data = LocalResource::new(move || {
        let id = customer_id.get();
        async move {
            let api = console.api();
            let Some(id) = id else {
                return Err(ApiError::not_found("customer"));
            };
            Ok((
                api.customer(id).await?,
                api.offers(Some(id)).await?,
                api.pending_orders(id).await?,
            ))
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || data.get().map(|r| match r {
                Ok((customer, priced, waiting)) => {
                    let costs = priced.iter()
                        .filter_map(|p| Some((p.offer.id.clone(), p.cost_per_seat_cents?)))
                        .collect();
                    let offers = priced.into_iter().map(|p| p.offer).collect();
                    view! { <OrderForm customer offers costs waiting /> }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| data.refetch()) /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn OrderForm(
    customer: Customer,
    /// At this customer's price.
    offers: Vec<Offer>,
    /// The partner's cost of a seat a month, per offer, for roles that see costs.
    #[prop(optional)]
    costs: Vec<(OfferId, i64)>,
    /// The customer's orders waiting for Microsoft (a connected partner's).
    #[prop(optional)]
    waiting: Vec<PendingOrder>,
) -> impl IntoView {
    let console = use_console();
    let navigate = use_navigate();
    let offers = StoredValue::new(offers);
    let costs = StoredValue::new(costs);
    let customer = StoredValue::new(customer);
    let offer_id = RwSignal::new(String::new());
    let seats = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    // The key belongs to one order: changing the offer or the seats makes a new order.
    let key = StoredValue::new((String::new(), new_idempotency_key()));
    let waiting = RwSignal::new(waiting);
    let message = RwSignal::new(None::<String>);

    let order_refusal = move || console.refusal(shared::roles::Permission::Order);
    let verdict = move || -> Result<(Offer, u32), String> {
        let id = offer_id.get();
        if id.is_empty() {
            return Err(console.t().choose_offer_error.to_owned());
        }
        offers.with_value(|all| {
            check_order(all, &OfferId(id), &SeatInput::Text(seats.get()))
                .map(|(o, n)| (o.clone(), n.get()))
                .map_err(|e| e.message(console.lang.get()))
        })
    };
    let order = action_then(
        move |(offer, quantity, key): &(OfferId, u32, String)| {
            let request = NewSubscriptionRequest {
                offer_id: offer.clone(),
                quantity: (*quantity).into(),
            };
            let (key, customer) = (key.clone(), customer.with_value(|c| c.id));
            async move { console.api().order(customer, &key, &request).await }
        },
        move |answer: &Result<OrderOutcome, ApiError>| match answer {
            Ok(OrderOutcome::Created(created)) => {
                // Land on the list narrowed to this customer, with the new subscription marked.
                let s = &created.subscription;
                let path = ListLocation {
                    customer: Some(s.customer_id),
                    search: s.customer_name.clone(),
                    new_subscription: Some(s.id),
                    ..Default::default()
                }
                .path();
                let to_list = NavigateOptions {
                    resolve: false,
                    ..Default::default()
                };
                navigate(&console.href(&path), to_list);
            }
            Ok(OrderOutcome::Waiting(order)) => {
                // Sent to Partner Center, not confirmed yet: it joins the waiting list, and
                // the form is ready for another order (with a new key).
                let order = order.clone();
                waiting.update(|all| {
                    if all.iter().all(|o| o.id != order.id) {
                        all.push(order);
                    }
                });
                message.set(Some(console.t().order_sent_waiting.to_owned()));
                confirming.set(false);
                offer_id.set(String::new());
                seats.set(String::new());
                touched.set(false);
                key.set_value((String::new(), new_idempotency_key()));
                focus_soon(".rc-order-message");
            }
            Err(_) => {}
        },
    );
    let pending = order.pending();
    let finish = move || {
        if pending.get_untracked() {
            return; // a second click while the first is on its way: same order, nothing to do
        }
        if let Ok((offer, quantity)) = verdict() {
            let fingerprint = format!("{} {quantity}", offer.id);
            if key.with_value(|(f, _)| *f != fingerprint) {
                key.set_value((fingerprint, new_idempotency_key()));
            }
            order.dispatch((offer.id, quantity, key.with_value(|(_, k)| k.clone())));
        }
    };
    let failure = Signal::derive(move || order.value().get().and_then(Result::err));
    let offer_label = move |o: &Offer| {
        let price = format::money(
            console.lang.get(),
            o.price_per_seat_cents.into(),
            &o.currency,
        );
        (console.t().offer_option)(&o.name, &price, o.min_quantity, o.max_quantity)
    };
    let seat_message = move || if touched.get() { verdict().err() } else { None };
    let cancel_href =
        move || console.href(&ListLocation::customer(customer.with_value(|c| c.id)).path());

    view! {
        <nav class="rc-breadcrumb rc-muted" aria-label="Breadcrumb">
            <a href=move || console.href("/")>{console.t().back_to_customers}</a>
            " › "
            <a href=cancel_href>{customer.with_value(|c| c.name.clone())}</a>
            " ›"
        </nav>
        <h1>{move || (console.t().new_subscription_for)(&customer.with_value(|c| c.name.clone()))}</h1>
        <div class="rc-card rc-order">
            <ol class="rc-steps">
                <li class:rc-on=move || !confirming.get() aria-current=move || (!confirming.get()).then_some("step")>{console.t().step_choose}</li>
                <li class:rc-on=move || confirming.get() aria-current=move || confirming.get().then_some("step")>{console.t().step_confirm}</li>
            </ol>
            {move || order_refusal().map(|why| view! { <p class="rc-callout rc-info">{why}</p> })}
            <div class="rc-live" aria-live="polite">
                {move || message.get().map(|m| view! { <p class="rc-callout rc-ok rc-order-message" tabindex="-1">{m}</p> })}
            </div>
            <PendingOrders customer=customer.with_value(|c| c.id) offers orders=waiting message />
            <Show when=move || !confirming.get() fallback=move || {
                let (offer, quantity) = verdict().expect("confirming only a valid order");
                let lang = console.lang.get();
                let price = format::money(lang, offer.price_per_seat_cents.into(), &offer.currency);
                let total = format::money(lang, offer.monthly_cost_cents(quantity), &offer.currency);
                // To roles that see costs: what the seats cost the partner, and its margin.
                let margin = costs.with_value(|all| {
                    let (_, cost) = all.iter().find(|(id, _)| *id == offer.id)?;
                    let price = i64::from(offer.price_per_seat_cents);
                    let (to_microsoft, margin) = monthly_cost_and_margin(price, *cost, quantity);
                    let money = |c: i64| format::signed_money(lang, c, &offer.currency);
                    Some((console.t().margin_preview)(quantity, &money(to_microsoft), &money(margin), price < *cost))
                });
                view! {
                    <h2>{console.t().confirm_title}</h2>
                    <dl class="rc-details rc-confirm">
                        <dt>{console.t().customer}</dt><dd>{customer.with_value(|c| c.name.clone())}</dd>
                        <dt>{console.t().offer}</dt><dd class="rc-confirm-offer">{offer.name.clone()}</dd>
                        <dt>{console.t().number_of_seats}</dt><dd class="rc-confirm-seats"><strong>{quantity}</strong></dd>
                        <dt>{console.t().monthly_cost}</dt><dd class="rc-confirm-cost">{format!("{quantity} × {price} = {total}")}</dd>
                    </dl>
                    {margin.map(|text| view! { <p class="rc-margin-preview rc-muted">{text}</p> })}
                    <p class="rc-callout rc-info">{console.t().confirm_note}</p>
                    <div aria-live="assertive"><FailureNotice failure retry=Callback::new(move |_| finish()) /></div>
                    <div class="rc-buttons">
                        <button type="button" disabled=move || pending.get() on:click=move |_| confirming.set(false)>{console.t().back}</button>
                        <button type="button" class="rc-primary rc-finish" disabled=move || pending.get() || order_refusal().is_some()
                            on:click=move |_| finish()>
                            {move || if pending.get() { console.t().ordering } else { console.t().finish }}
                        </button>
                    </div>
                }
            }>
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    touched.set(true);
                    if verdict().is_ok() { confirming.set(true); }
                }>
                    <div class="rc-field">
                        <label for="rc-offer">{console.t().select_offer}</label>
                        <select id="rc-offer" name="offer_id" prop:value=move || offer_id.get()
                            on:change=move |ev| offer_id.set(event_target_value(&ev))>
                            <option value="">{console.t().choose_offer}</option>
                            {move || offers.with_value(|all| all.iter().map(|o| view! {
                                <option value=o.id.0.clone()>{offer_label(o)}</option>
                            }).collect_view())}
                        </select>
                    </div>
                    <SeatField id="rc-new-seats" label=|t| t.number_of_seats text=seats touched message=Signal::derive(seat_message) />
                    <div class="rc-buttons">
                        <button type="submit" class="rc-primary" disabled=move || verdict().is_err() || order_refusal().is_some()>
                            {console.t().submit}
                        </button>
                        <a class="rc-button" href=cancel_href>{console.t().cancel}</a>
                    </div>
                </form>
            </Show>
        </div>
    }
}
