//! *Edit quantity*: the number of licences, validated as the agent types with the same rule
//! the server applies.

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, SubscriptionChange, SubscriptionView};
use shared::billing::seat_change_cost;
use shared::changes::drops_scheduled_change;
use shared::seats::{SeatInput, check_seat_change};

use crate::components::change::{Change, ConflictNotice};
use crate::components::notice::FailureNotice;
use crate::components::seat_field::SeatField;
use crate::console::use_console;

#[component]
pub fn SeatForm(
    /// The subscription as the page shows it; updated on success and on conflict.
    current: RwSignal<SubscriptionView>,
    /// Called with the saved subscription.
    on_saved: Callback<SubscriptionView>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    let text = RwSignal::new(current.get_untracked().subscription.quantity.to_string());
    let touched = RwSignal::new(false);
    let change = Change::new(current, on_saved);
    let pending = change.pending();

    // Checked at the server's time of the view, so a moved test clock and the browser agree.
    let verdict = move || {
        current.with(|v| {
            check_seat_change(
                &v.subscription,
                &SeatInput::Text(text.get()),
                v.as_of_unix(),
            )
        })
    };
    let submit = move || {
        if let Ok(seats) = verdict() {
            change.send(ChangeSubscriptionRequest::quantity(seats.get()));
        }
    };
    let message = move || match verdict() {
        Err(_) if change.saved.get() => None,
        Err(e) if touched.get() || change.conflict.get() => Some(e.message(console.lang.get())),
        _ => None,
    };
    // What the change costs, before Submit: per month, and now for the rest of the term.
    let preview = move || {
        let to = verdict().ok()?.get();
        current.with(|v| {
            let s = &v.subscription;
            let today = v.as_of.get(0..10)?;
            let cost = seat_change_cost(
                s.price_per_seat_cents,
                s.quantity,
                to,
                s.term,
                &s.commitment_end,
                today,
            );
            let lang = console.lang.get();
            let money = |c: i64| crate::format::money(lang, c.unsigned_abs(), &s.currency);
            Some((console.t().cost_preview)(
                s.quantity,
                to,
                cost.per_month_cents >= 0,
                &money(cost.per_month_cents),
                &money(cost.now_cents),
            ))
        })
    };
    // To roles that see costs: what the seats cost the partner, and its margin.
    let margin = move || {
        let to = verdict().ok()?.get();
        current.with(|v| {
            let s = &v.subscription;
            let cost = v.cost_per_seat_cents?;
            let price = i64::from(s.price_per_seat_cents);
            let (total, margin) = shared::pricing::monthly_cost_and_margin(price, cost, to);
            let lang = console.lang.get();
            let money = |c: i64| crate::format::signed_money(lang, c, &s.currency);
            Some((console.t().margin_preview)(
                to,
                &money(total),
                &money(margin),
                price < cost,
            ))
        })
    };
    // A new seat count drops the change scheduled for the renewal: said before Submit.
    let drops = move || {
        verdict().is_ok_and(|seats| {
            current.with(|v| {
                drops_scheduled_change(
                    &v.subscription,
                    &SubscriptionChange::Quantity(seats.get().into()),
                    v.as_of_unix(),
                )
            })
        })
    };
    view! {
        <form class="rc-card rc-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{console.t().edit_quantity}</h2>
            <ConflictNotice change current />
            <SeatField id="rc-seats" label=|t| t.number_of_licences text touched message=Signal::derive(message) />
            <p class="rc-cost-preview rc-muted" aria-live="polite">{preview}</p>
            {move || margin().map(|text| view! { <p class="rc-margin-preview rc-muted">{text}</p> })}
            {move || drops().then(|| view! { <p class="rc-callout rc-warn">{console.t().drops_schedule}</p> })}
            <FailureNotice failure=change.failure retry=Callback::new(move |_| submit()) />
            <div class="rc-buttons">
                <button type="submit" class="rc-primary" disabled=move || verdict().is_err() || pending.get()>
                    {change.submit_label(|t| t.submit)}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{console.t().cancel}</button>
            </div>
        </form>
    }
}
