//! The standalone page: mounts the console into `#reseller-console` through the same entry a
//! host portal uses.

use wasm_bindgen::JsCast;

fn main() {
    let element = leptos::prelude::document()
        .get_element_by_id("reseller-console")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("index.html has an element with id reseller-console");
    frontend::mount(element);
}
