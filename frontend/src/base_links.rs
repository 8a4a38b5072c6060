//! Links on the host's page that only look like the console's. leptos_router takes every click
//! on a same-origin link whose path starts with the base, as text: under the base
//! `/portal/subscriptions` it would also take the host's `/portal/subscriptions-archive` and
//! show "Not found" for it. The router leaves links with a `target` to the browser, so such a
//! link gets `target="_self"` (which is what a link does anyway) just before the router sees
//! the click, and loses it again right after.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::routes::below_base;

/// Leaves to the browser the clicks on links outside `base` that the router would take, until
/// the current owner (the mounted console) is cleaned up.
pub fn leave_outside_links_to_the_browser(base: String) {
    if base.is_empty() {
        return; // every path is the console's
    }
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        let Some(link) = link else { return };
        let path = link.pathname();
        let same_origin = window().location().origin().ok() == Some(link.origin());
        if same_origin
            && !link.has_attribute("target")
            && path.starts_with(&base)
            && below_base(&path, &base).is_none()
        {
            let _ = link.set_attribute("target", "_self");
            set_timeout(
                move || {
                    let _ = link.remove_attribute("target");
                },
                std::time::Duration::ZERO,
            );
        }
    });
    // On the document, in the bubbling phase: after the host's own handlers on the link, and
    // before the router's, which listens on the window.
    let document = document();
    let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let registered = SendWrapper::new((document, on_click));
    on_cleanup(move || {
        let (document, on_click) = &*registered;
        let _ = document
            .remove_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    });
}
