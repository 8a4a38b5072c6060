//! Pieces used by the pages, one per file.

pub mod action_pane;
pub mod badges;
pub mod change;
pub mod header;
pub mod history;
pub mod loading;
pub mod microsoft_queue;
pub mod notice;
pub mod pending_change;
pub mod pending_orders;
pub mod renewal_form;
pub mod seat_field;
pub mod seat_form;
pub mod seat_history;
pub mod status_form;
pub mod text_field;

use leptos::prelude::{document, request_animation_frame};
use wasm_bindgen::JsCast;

/// Moves the keyboard focus to the first element matching `selector` once the page has drawn
/// it: into a form that opens, back to its button when it closes, onto a confirmation.
pub fn focus_soon(selector: impl Into<String>) {
    let selector = selector.into();
    request_animation_frame(move || {
        let found = document().query_selector(&selector).ok().flatten();
        if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}
