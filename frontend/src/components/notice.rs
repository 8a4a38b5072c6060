//! Messages that tell the agent what happened: confirmations (announced politely) and
//! failures with a way to try again.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::console::use_console;
use crate::i18n::error_message;

/// A confirmation after a change, announced to screen readers.
#[component]
pub fn Confirmation(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="rc-live" role="status" aria-live="polite">
            {move || message.get().map(|m| view! { <p class="rc-callout rc-ok">{m}</p> })}
        </div>
    }
}

/// An error where it happened, in words; `retry` offers to try again (network failures).
#[component]
pub fn ErrorNotice(
    error: ApiError,
    #[prop(optional)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let console = use_console();
    let text = move || match &error {
        ApiError::Refused(body) => error_message(console.lang.get(), body),
        ApiError::Network(_) => console.t().network_error.to_owned(),
        ApiError::NotSignedIn => console.t().session_expired.to_owned(),
    };
    view! {
        <div class="rc-callout rc-danger" role="alert">
            <span>{text}</span>
            {retry.map(|r| view! {
                <button type="button" class="rc-retry" on:click=move |_| r.run(())>{move || console.t().retry}</button>
            })}
        </div>
    }
}

/// A failed attempt, where it happened: a network failure offers `retry`, a refusal says why.
#[component]
pub fn FailureNotice(
    #[prop(into)] failure: Signal<Option<ApiError>>,
    retry: Callback<()>,
) -> impl IntoView {
    move || {
        failure.get().map(|e| match e {
            ApiError::Network(_) => view! { <ErrorNotice error=e retry /> }.into_any(),
            e => view! { <ErrorNotice error=e /> }.into_any(),
        })
    }
}
