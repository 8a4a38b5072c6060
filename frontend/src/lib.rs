//! Reseller Console in the browser: a Leptos single-page app that a partner runs standalone
//! or mounts inside its own admin portal with [`mount`].

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod routes;

use wasm_bindgen::prelude::*;

pub use app::{ConsoleApp, Options};

/// A mounted console. `unmount()` removes it (a host page that navigates away calls it);
/// a host that keeps no reference keeps the console for the life of the page.
#[wasm_bindgen]
pub struct MountedConsole {
    handle: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl MountedConsole {
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// Mounts the console into `element`. `options` is a plain object, all fields optional:
/// `{ basePath: "/admin/subscriptions", apiBase: "https://console.example", language: "it" }`.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<MountedConsole, JsValue> {
    // Debug builds say what panicked in the browser console; release builds stay small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let options = Options::from_js(&options)?;
    let handle = leptos::mount::mount_to(
        element,
        move || leptos::prelude::view! { <ConsoleApp options /> },
    );
    Ok(MountedConsole {
        handle: Some(Box::new(handle)),
    })
}
