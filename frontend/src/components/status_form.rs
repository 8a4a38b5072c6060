//! *Change status*: names the subscription, offers Suspend or Activate, and warns before a
//! suspension what it starts.

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, SubscriptionView};
use shared::model::Status;
use shared::status::check_status_change;

use crate::components::change::{Change, ConflictNotice};
use crate::components::notice::FailureNotice;
use crate::console::use_console;
use crate::i18n::rule_message;

#[component]
pub fn StatusForm(
    current: RwSignal<SubscriptionView>,
    on_saved: Callback<SubscriptionView>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    // Start on the only change that makes sense: the other status.
    let start = match current.get_untracked().subscription.status {
        Status::Active => Status::Suspended,
        Status::Suspended => Status::Active,
    };
    let target = RwSignal::new(start);
    let change = Change::new(current, on_saved);
    let pending = change.pending();

    let verdict = move || check_status_change(&current.get().subscription, target.get());
    let submit = move || {
        if verdict().is_ok() {
            change.send(ChangeSubscriptionRequest::status(target.get_untracked()));
        }
    };
    let names = move || {
        let s = current.get().subscription;
        (s.offer_name, s.customer_name)
    };
    view! {
        <form class="rc-card rc-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{move || console.t().change_status}</h2>
            <p class="rc-changing">
                {move || console.t().changing_prefix} " " <strong>{move || names().0}</strong> " "
                {move || console.t().changing_for} " " <strong>{move || names().1}</strong> "."
            </p>
            <ConflictNotice change current />
            <div class="rc-field">
                <label for="rc-status">{move || console.t().new_status}</label>
                <select id="rc-status" name="status"
                    prop:value=move || target.get().as_str()
                    on:change=move |ev| { if let Ok(s) = event_target_value(&ev).parse() { target.set(s); } }>
                    <option value="suspended">{move || console.t().suspend}</option>
                    <option value="active">{move || console.t().activate}</option>
                </select>
                <span class="rc-error" aria-live="polite">
                    {move || verdict().err().map(|e| rule_message(console.lang.get(), &e))}
                </span>
            </div>
            <div aria-live="polite">
                {move || (target.get() == Status::Suspended).then(|| view! {
                    <p class="rc-callout rc-warn rc-suspend-warning">{console.t().suspend_warning}</p>
                })}
            </div>
            <FailureNotice failure=change.failure retry=Callback::new(move |_| submit()) />
            <div class="rc-buttons">
                <button type="submit" class="rc-primary" disabled=move || verdict().is_err() || pending.get()>
                    {change.submit_label(|t| t.save)}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || console.t().cancel}</button>
            </div>
        </form>
    }
}
