//! Reseller Console in the browser. This first version proves the build pipeline and the
//! shared rules in wasm; the customer list, action pane and forms come next.

use leptos::prelude::*;
use shared::seats::{SeatBounds, SeatInput};
use wasm_bindgen::prelude::*;

/// Mounts the console into `element` (the standalone page and a partner's portal both call
/// this). The console stays mounted for the life of the page.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement) {
    leptos::mount::mount_to(element, App).forget();
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <div class="rc-app">
            <header class="rc-header">
                <h1>"Reseller Console"</h1>
            </header>
            <main class="rc-main">
                <p>
                    "The API is running. The customer list and subscription pages arrive in the next release."
                </p>
                <SeatCheck />
            </main>
        </div>
    }
}

/// The seat rule of `shared`, live in the browser: the same words the server answers with.
#[component]
fn SeatCheck() -> impl IntoView {
    let (text, set_text) = signal(String::from("12"));
    let bounds = SeatBounds::new(1, 300);
    let verdict = move || match SeatInput::Text(text.get()).for_offer(bounds) {
        Ok(seats) => format!("{seats} seats: valid for a 1–300 seat offer."),
        Err(e) => e.to_string(),
    };
    view! {
        <label class="rc-field">
            "Number of seats (Microsoft 365 Business Basic)"
            <input
                type="text"
                inputmode="numeric"
                prop:value=text
                on:input=move |ev| set_text.set(event_target_value(&ev))
            />
        </label>
        <p class="rc-hint" aria-live="polite">{verdict}</p>
    }
}
