//! *Manage renewal*: the seats and term the next term starts with, checked as the agent types
//! with the rule the server applies (lower than today is the point: seats can only be lowered
//! for good at a renewal), with the next term's cost; and removing what was scheduled.

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, ScheduledChangeRequest, SubscriptionView};
use shared::model::Term;
use shared::seats::SeatInput;
use shared::status::{ScheduleInput, check_schedule};

use crate::components::change::{Change, ConflictNotice};
use crate::components::notice::FailureNotice;
use crate::components::seat_field::SeatField;
use crate::console::use_console;

#[component]
pub fn RenewalForm(
    current: RwSignal<SubscriptionView>,
    on_saved: Callback<SubscriptionView>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    // Starts from what the renewal would do now.
    let (seats, term) = current.with_untracked(|v| {
        let s = &v.subscription;
        s.scheduled
            .as_ref()
            .map_or((s.quantity, s.term), |c| (c.quantity, c.term))
    });
    let text = RwSignal::new(seats.to_string());
    let term = RwSignal::new(term);
    let touched = RwSignal::new(false);
    let change = Change::new(current, on_saved);
    let pending = change.pending();

    let verdict = move || {
        let input = ScheduleInput {
            quantity: SeatInput::Text(text.get()),
            term: term.get(),
        };
        current.with(|v| check_schedule(&v.subscription, Some(&input)))
    };
    let submit = move || {
        if verdict().is_ok() {
            let request = ScheduledChangeRequest {
                quantity: SeatInput::Text(text.get_untracked()),
                term: Some(term.get_untracked()),
            };
            change.send(ChangeSubscriptionRequest::schedule(Some(request)));
        }
    };
    let remove = move || change.send(ChangeSubscriptionRequest::schedule(None));
    let message = move || match verdict() {
        Err(_) if change.saved.get() => None,
        Err(e) if touched.get() || change.conflict.get() => Some(e.message(console.lang.get())),
        _ => None,
    };
    // The next term's cost a month, for the seats typed.
    let cost = move || {
        let n = text.get().trim().parse::<u32>().ok()?;
        current.with(|v| {
            let s = &v.subscription;
            let money = crate::format::money(
                console.lang.get(),
                u64::from(s.price_per_seat_cents) * u64::from(n),
                &s.currency,
            );
            Some((console.t().scheduled_value)(
                n,
                console.t().term(term.get()),
                &money,
            ))
        })
    };
    let scheduled = move || current.with(|v| v.subscription.scheduled.is_some());
    view! {
        <form class="rc-card rc-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{console.t().manage_renewal}</h2>
            <ConflictNotice change current />
            <SeatField id="rc-renewal-seats" label=|t| t.number_of_licences text touched message=Signal::derive(message) />
            <div class="rc-field">
                <label for="rc-renewal-term">{console.t().next_term}</label>
                <select id="rc-renewal-term" name="term"
                    prop:value=move || term.get().as_str()
                    on:change=move |ev| { if let Ok(t) = event_target_value(&ev).parse() { term.set(t); touched.set(true); } }>
                    {Term::ALL.iter().map(|t| view! {
                        <option value=t.as_str()>{move || console.t().term(*t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <p class="rc-cost-preview rc-muted" aria-live="polite">{cost}</p>
            <FailureNotice failure=change.failure retry=Callback::new(move |_| submit()) />
            <div class="rc-buttons">
                <button type="submit" class="rc-primary" disabled=move || verdict().is_err() || pending.get()>
                    {change.submit_label(|t| t.save)}
                </button>
                {move || scheduled().then(|| view! {
                    <button type="button" class="rc-remove-schedule" disabled=move || pending.get()
                        on:click=move |_| remove()>{console.t().remove_schedule}</button>
                })}
                <button type="button" on:click=move |_| on_cancel.run(())>{console.t().cancel}</button>
            </div>
        </form>
    }
}
