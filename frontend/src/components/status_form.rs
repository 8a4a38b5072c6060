//! *Change status*: names the subscription, offers Suspend or Activate, and warns before a
//! suspension what it starts.

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, ErrorCode, SubscriptionView};
use shared::model::Status;
use shared::status::check_status_change;

use crate::api::ApiError;
use crate::app::use_console;
use crate::components::notice::ErrorNotice;
use crate::i18n::{error_message, rule_message};

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
    let conflict = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let verdict = move || check_status_change(&current.get().subscription, target.get());

    let save = Action::new_local(move |(version, status): &(u64, Status)| {
        let (id, version, status) = (current.get_untracked().subscription.id, *version, *status);
        async move {
            console
                .api()
                .change_subscription(id, version, &ChangeSubscriptionRequest::status(status))
                .await
        }
    });
    let pending = save.pending();
    Effect::new(move || {
        let Some(result) = save.value().get() else {
            return;
        };
        match result {
            Ok(saved) => {
                current.set(saved.clone());
                on_saved.run(saved);
            }
            Err(ApiError::Refused(body)) if body.code == ErrorCode::VersionConflict => {
                if let Some(now) = body.current {
                    current.set(*now);
                }
                conflict.set(true);
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    let submit = move || {
        if verdict().is_ok() {
            conflict.set(false);
            failure.set(None);
            save.dispatch((
                current.get_untracked().subscription.version,
                target.get_untracked(),
            ));
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
            {move || conflict.get().then(|| {
                let s = current.get().subscription;
                view! {
                    <div class="rc-callout rc-warn" role="alert">
                        {move || (console.t().conflict)(s.quantity, &console.t().status(s.status).to_lowercase())}
                    </div>
                }
            })}
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
            {move || failure.get().map(|e| match e {
                ApiError::Network(_) => view! { <ErrorNotice error=e retry=Callback::new(move |_| submit()) /> }.into_any(),
                ApiError::Refused(body) => view! {
                    <p class="rc-callout rc-danger" role="alert">{move || error_message(console.lang.get(), body.code, &body.message)}</p>
                }.into_any(),
                e => view! { <ErrorNotice error=e /> }.into_any(),
            })}
            <div class="rc-buttons">
                <button type="submit" class="rc-primary" disabled=move || verdict().is_err() || pending.get()>
                    {move || if pending.get() {
                        console.t().saving
                    } else if conflict.get() {
                        console.t().apply_again
                    } else {
                        console.t().save
                    }}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || console.t().cancel}</button>
            </div>
        </form>
    }
}
