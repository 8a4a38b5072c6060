//! What shows while a page, or a part of one, waits for the server: the same words everywhere,
//! announced to screen readers.

use leptos::prelude::*;

use crate::console::use_console;

#[component]
pub fn Loading() -> impl IntoView {
    let console = use_console();
    view! { <p class="rc-muted" role="status">{console.t().loading}</p> }
}
