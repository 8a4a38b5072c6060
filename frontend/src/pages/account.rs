//! *Your account*: the signed-in agent changes their own password (the current one first);
//! their other sessions end.

use leptos::prelude::*;
use shared::team::check_new_password;

use crate::action::action_then;
use crate::api::ApiError;
use crate::components::notice::{Confirmation, FailureNotice};
use crate::components::text_field::TextField;
use crate::console::{SessionState, use_console};
use crate::i18n::error_message;

#[component]
pub fn AccountPage() -> impl IntoView {
    let console = use_console();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let change = action_then(
        move |(current, new): &(String, String)| {
            let (current, new) = (current.clone(), new.clone());
            async move { console.api().change_password(&current, &new).await }
        },
        move |answer: &Result<(), ApiError>| {
            if answer.is_ok() {
                for field in [current, new, repeat] {
                    field.set(String::new());
                }
                submitted.set(false);
                // A first password of one's own opens the console.
                console.session.update(|s| {
                    if let SessionState::SignedIn(info) = s {
                        info.must_change_password = false;
                    }
                });
            }
        },
    );
    let pending = change.pending();
    let server_says = move |field: &str| match change.value().get() {
        Some(Err(ApiError::Refused(body))) if body.field.as_deref() == Some(field) => {
            Some(error_message(console.lang.get(), &body))
        }
        _ => None,
    };
    let new_message = move || {
        (submitted.get() || !new.get().is_empty())
            .then(|| {
                check_new_password(&new.get())
                    .err()
                    .map(|e| e.message(console.lang.get()))
            })
            .flatten()
            .or_else(|| server_says("new_password"))
    };
    let repeat_message = move || {
        (submitted.get() && repeat.get() != new.get())
            .then(|| console.t().passwords_differ.to_owned())
    };
    let current_message = move || server_says("current_password");
    // Refusals about a field are shown at it; any other, here.
    let failure = Signal::derive(move || match change.value().get() {
        Some(Err(ApiError::Refused(body)))
            if matches!(
                body.field.as_deref(),
                Some("current_password" | "new_password")
            ) =>
        {
            None
        }
        other => other.and_then(Result::err),
    });
    let done = Signal::derive(move || {
        matches!(change.value().get(), Some(Ok(())))
            .then(|| console.t().password_changed.to_owned())
    });
    let first_time = console.agent().is_some_and(|s| s.must_change_password);
    let submit = move || {
        submitted.set(true);
        let (c, n) = (current.get_untracked(), new.get_untracked());
        if pending.get_untracked() || check_new_password(&n).is_err() || n != repeat.get_untracked()
        {
            return;
        }
        change.dispatch((c, n));
    };
    view! {
        <h1>{console.t().account}</h1>
        <div class="rc-card rc-order">
            <h2>{console.t().change_password}</h2>
            {move || console.agent().map(|s| view! { <p class="rc-muted">{s.agent.email} " · " {console.t().role(s.agent.role)}</p> })}
            {first_time.then(|| view! { <p class="rc-callout rc-info rc-first-password">{console.t().choose_own_password}</p> })}
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField id="rc-current-password" name="current_password" kind="password"
                    autocomplete="current-password" label=|t| t.current_password text=current
                    message=Signal::derive(current_message) />
                <TextField id="rc-new-password" name="new_password" kind="password"
                    autocomplete="new-password" label=|t| t.new_password text=new
                    message=Signal::derive(new_message) />
                <TextField id="rc-repeat-password" name="repeat_password" kind="password"
                    autocomplete="new-password" label=|t| t.repeat_password text=repeat
                    message=Signal::derive(repeat_message) />
                <div aria-live="assertive"><FailureNotice failure retry=Callback::new(move |_| submit()) /></div>
                <Confirmation message=done />
                <div class="rc-buttons">
                    <button type="submit" class="rc-primary" disabled=move || pending.get()>
                        {move || if pending.get() { console.t().saving } else { console.t().change_password }}
                    </button>
                </div>
            </form>
        </div>
    }
}
