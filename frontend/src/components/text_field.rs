//! A labelled text input with its rule's message (announced politely) and an optional hint:
//! the forms of Add customer, the Team and the account use it. The message's text node is
//! rewritten only when the message changes (the DOM renderer compares), so a screen reader
//! announces it once, not at every keystroke that leaves it the same (`tests/forms.rs`).

use leptos::prelude::*;

use crate::console::use_console;
use crate::i18n::Text;

#[component]
pub fn TextField(
    /// The input's id; the message gets `{id}-message`, the hint `{id}-hint`.
    id: &'static str,
    name: &'static str,
    label: fn(&'static Text) -> &'static str,
    text: RwSignal<String>,
    /// The rule's refusal, if any (shown once the agent has typed or submitted).
    #[prop(into)]
    message: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<fn(&'static Text) -> &'static str>,
) -> impl IntoView {
    let console = use_console();
    let message_id = format!("{id}-message");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {message_id}"),
        None => message_id.clone(),
    };
    view! {
        <div class="rc-field" class:rc-invalid=move || message.get().is_some()>
            <label for=id>{move || label(console.t())}</label>
            <input id=id name=name type=kind autocomplete=autocomplete
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by />
            {hint.map(|h| view! { <span id=hint_id class="rc-muted rc-small">{move || h(console.t())}</span> })}
            <span id=message_id class="rc-error" aria-live="polite">{move || message.get()}</span>
        </div>
    }
}
