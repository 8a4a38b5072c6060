//! *Edit quantity*: the number of licences, validated as the agent types with the same rule
//! the server applies.

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, ErrorCode, SubscriptionView};
use shared::seats::{SeatInput, check_seat_change};

use crate::api::ApiError;
use crate::app::use_console;
use crate::components::notice::ErrorNotice;
use crate::i18n::{error_message, rule_message};

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
    let conflict = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);

    let verdict =
        move || check_seat_change(&current.get().subscription, &SeatInput::Text(text.get()));
    let save = Action::new_local(move |(version, seats): &(u64, u32)| {
        let (id, version, seats) = (current.get_untracked().subscription.id, *version, *seats);
        async move {
            console
                .api()
                .change_subscription(id, version, &ChangeSubscriptionRequest::quantity(seats))
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
                // Show what is there now; keep what the agent typed, to apply again.
                if let Some(now) = body.current {
                    current.set(*now);
                }
                conflict.set(true);
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    let submit = move || {
        if let Ok(seats) = verdict() {
            conflict.set(false);
            failure.set(None);
            save.dispatch((current.get_untracked().subscription.version, seats.get()));
        }
    };
    let message = move || match verdict() {
        Err(e) if touched.get() || conflict.get() => Some(rule_message(console.lang.get(), &e)),
        _ => None,
    };
    view! {
        <form class="rc-card rc-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{move || console.t().edit_quantity}</h2>
            {move || conflict.get().then(|| {
                let s = current.get().subscription;
                view! {
                    <div class="rc-callout rc-warn" role="alert">
                        {move || (console.t().conflict)(s.quantity, &console.t().status(s.status).to_lowercase())}
                    </div>
                }
            })}
            <div class="rc-field" class:rc-invalid=move || message().is_some()>
                <label for="rc-seats">{move || console.t().number_of_licences}</label>
                <input id="rc-seats" name="quantity" type="text" inputmode="numeric" autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| { text.set(event_target_value(&ev)); touched.set(true); }
                    aria-invalid=move || message().is_some().to_string()
                    aria-describedby="rc-seats-message" />
                <span id="rc-seats-message" class="rc-error" aria-live="polite">{message}</span>
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
                        console.t().submit
                    }}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || console.t().cancel}</button>
            </div>
        </form>
    }
}
