//! Sign in. Shown in place of any page while no one is signed in, so the URL (and the page
//! the agent was on) stays as it was.

use leptos::prelude::*;

use crate::action::action_then;
use crate::components::notice::ErrorNotice;
use crate::console::{SessionState, use_console};

#[component]
pub fn SignInPage(expired: bool) -> impl IntoView {
    let console = use_console();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sign_in = action_then(
        move |(email, password): &(String, String)| {
            let (email, password) = (email.clone(), password.clone());
            async move { console.api().sign_in(&email, &password).await }
        },
        move |answer: &Result<_, _>| {
            if let Ok(info) = answer {
                console.session.set(SessionState::SignedIn(info.clone()));
            }
        },
    );
    let pending = sign_in.pending();
    // Every refusal in the agent's language: a wrong e-mail or password (one sentence that
    // does not tell which), throttling with when to retry, or the server unreachable.
    let failure = move || {
        sign_in
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    };
    view! {
        <section class="rc-card rc-sign-in">
            <h1>{console.t().sign_in_title}</h1>
            {expired.then(|| view! { <p class="rc-callout rc-info" role="status">{console.t().session_expired}</p> })}
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                sign_in.dispatch((email.get_untracked(), password.get_untracked()));
            }>
                <div class="rc-field">
                    <label for="rc-email">{console.t().email}</label>
                    <input id="rc-email" name="email" type="email" autocomplete="username" required
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </div>
                <div class="rc-field">
                    <label for="rc-password">{console.t().password}</label>
                    <input id="rc-password" name="password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <div aria-live="assertive">{failure}</div>
                <button type="submit" class="rc-primary" disabled=move || pending.get()>
                    {move || if pending.get() { console.t().signing_in } else { console.t().sign_in }}
                </button>
            </form>
        </section>
    }
}
