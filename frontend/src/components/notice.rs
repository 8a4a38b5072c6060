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
            // Focusable from script: a saved form hands the focus to its confirmation.
            {move || message.get().map(|m| view! { <p class="rc-callout rc-ok" tabindex="-1">{m}</p> })}
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
    // A load refused because the session had ended is tried again once the agent has signed
    // in again: they come back to the page as it was, not to an error.
    if let (ApiError::NotSignedIn, Some(retry)) = (&error, retry) {
        Effect::new(move |was_signed_in: Option<bool>| {
            let signed_in = console.signed_in().is_some();
            if was_signed_in == Some(false) && signed_in {
                retry.run(());
            }
            signed_in
        });
    }
    let text = move || match &error {
        ApiError::Refused(body) => error_message(console.lang.get(), body),
        ApiError::Network(_) => console.t().network_error.to_owned(),
        ApiError::NotSignedIn => console.t().session_expired.to_owned(),
    };
    view! {
        <div class="rc-callout rc-danger" role="alert">
            <span>{text}</span>
            {retry.map(|r| view! {
                <button type="button" class="rc-retry" on:click=move |_| r.run(())>{console.t().retry}</button>
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
