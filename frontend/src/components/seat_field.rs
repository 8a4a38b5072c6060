//! The number-of-seats field: a text input (so "abc" or "2.5" can be typed and explained, not
//! silently dropped as a number input would), its label, and the rule's message announced live.

use leptos::prelude::*;

use crate::console::use_console;
use crate::i18n::Text;

#[component]
pub fn SeatField(
    /// The input's id; the message gets `{id}-message`.
    id: &'static str,
    label: fn(&'static Text) -> &'static str,
    /// What the agent typed.
    text: RwSignal<String>,
    /// Set on the first keystroke, so a message waits until the agent has typed.
    touched: RwSignal<bool>,
    /// The rule's refusal, if any.
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let message_id = format!("{id}-message");
    view! {
        <div class="rc-field" class:rc-invalid=move || message.get().is_some()>
            <label for=id>{move || label(console.t())}</label>
            <input id=id name="quantity" type="text" inputmode="numeric" autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); touched.set(true); }
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=message_id.clone() />
            <span id=message_id class="rc-error" aria-live="polite">{move || message.get()}</span>
        </div>
    }
}
