//! The standalone page: mounts the console into `#reseller-console` through the same `mount`
//! entry a host portal calls. On a host page without that element it does nothing.

use wasm_bindgen::{JsCast, JsValue};

fn main() {
    let element = leptos::prelude::document()
        .get_element_by_id("reseller-console")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        // The standalone page shows the console for its whole life: a dropped handle does not
        // unmount it.
        frontend::mount(element, JsValue::UNDEFINED).expect("default options are valid");
    }
}
