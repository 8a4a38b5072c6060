//! *Change status*: names the subscription, offers what its status allows (Suspend or Activate,
//! and Cancel within 7 days of the order), and says before Save what each starts: a suspension's
//! consequences, a cancellation's refund, a scheduled change that goes.

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, SubscriptionChange, SubscriptionView};
use shared::billing::cancellation_refund;
use shared::changes::drops_scheduled_change;
use shared::model::Status;
use shared::permissions::SubscriptionAction;
use shared::status::check_status_change;

use crate::components::change::{Change, ConflictNotice};
use crate::components::notice::FailureNotice;
use crate::console::use_console;

#[component]
pub fn StatusForm(
    current: RwSignal<SubscriptionView>,
    on_saved: Callback<SubscriptionView>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    // The choices the server allows, in the order a partner thinks of them.
    let choices = move || {
        current.with(|v| {
            [
                (SubscriptionAction::Suspend, Status::Suspended),
                (SubscriptionAction::Activate, Status::Active),
                (SubscriptionAction::Cancel, Status::Cancelled),
            ]
            .into_iter()
            .filter(|(action, _)| v.allowed_actions.contains(action))
            .map(|(_, status)| status)
            .collect::<Vec<_>>()
        })
    };
    // Start on the only change that usually makes sense: the other status.
    let start = untrack(choices)
        .first()
        .copied()
        .unwrap_or(Status::Suspended);
    let target = RwSignal::new(start);
    let change = Change::new(current, on_saved);
    let pending = change.pending();

    // Checked at the server's time of the view, as the server will.
    let verdict = move || {
        current.with(|v| check_status_change(&v.subscription, target.get(), v.as_of_unix()))
    };
    let submit = move || {
        if verdict().is_ok() {
            change.send(ChangeSubscriptionRequest::status(target.get_untracked()));
        }
    };
    let names = move || {
        let s = current.get().subscription;
        (s.offer_name, s.customer_name)
    };
    let warning = move || {
        let (t, lang) = (console.t(), console.lang.get());
        current.with(|v| {
            let s = &v.subscription;
            let mut text = match target.get() {
                Status::Suspended => t.suspend_warning.to_owned(),
                Status::Cancelled => {
                    let now = v.as_of_unix();
                    let refund = cancellation_refund(s, now);
                    let ordered = shared::calendar::parse_rfc3339(&s.created_at).unwrap_or(now);
                    let money = crate::format::money(lang, refund.unsigned_abs(), &s.currency);
                    (t.cancel_warning)(&money, now - ordered < shared::lifecycle::DAY)
                }
                _ => return None,
            };
            if drops_scheduled_change(s, &SubscriptionChange::Status(target.get()), v.as_of_unix())
            {
                text = format!("{text} {}", t.drops_schedule);
            }
            Some(text)
        })
    };
    let label = move |status: Status| {
        let t = console.t();
        match status {
            Status::Suspended => t.suspend,
            Status::Active => t.activate,
            _ => t.cancel_subscription,
        }
    };
    view! {
        <form class="rc-card rc-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{console.t().change_status}</h2>
            <p class="rc-changing">
                {console.t().changing_prefix} " " <strong>{move || names().0}</strong> " "
                {console.t().changing_for} " " <strong>{move || names().1}</strong> "."
            </p>
            <ConflictNotice change current />
            <div class="rc-field">
                <label for="rc-status">{console.t().new_status}</label>
                <select id="rc-status" name="status" aria-describedby="rc-status-warning"
                    prop:value=move || target.get().as_str()
                    on:change=move |ev| { if let Ok(s) = event_target_value(&ev).parse() { target.set(s); } }>
                    {move || choices().into_iter().map(|s| view! {
                        <option value=s.as_str()>{move || label(s)}</option>
                    }).collect_view()}
                </select>
                <span class="rc-error" aria-live="polite">
                    {move || verdict().err().filter(|_| !change.saved.get()).map(|e| e.message(console.lang.get()))}
                </span>
            </div>
            <div aria-live="polite">
                {move || warning().map(|w| view! { <p id="rc-status-warning" class="rc-callout rc-warn rc-suspend-warning">{w}</p> })}
            </div>
            <FailureNotice failure=change.failure retry=Callback::new(move |_| submit()) />
            <div class="rc-buttons">
                <button type="submit" class="rc-primary" disabled=move || verdict().is_err() || pending.get()>
                    {change.submit_label(|t| t.save)}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{console.t().cancel}</button>
            </div>
        </form>
    }
}
