//! Reseller Console in the browser: a Leptos single-page app that a partner runs standalone
//! or mounts inside its own admin portal with [`mount`].

pub mod action;
pub mod api;
pub mod app;
pub mod base_links;
pub mod components;
pub mod console;
pub mod format;
pub mod i18n;
pub mod lazy;
pub mod pages;
pub mod routes;

use wasm_bindgen::prelude::*;

pub use app::ConsoleApp;

use crate::i18n::Lang;

/// A mounted console. `unmount()` removes it and everything it put on the host's page: its
/// elements, its listeners (the router's among them), its timers, and the requests still on
/// their way. A host that navigates away calls it, and may mount a console again, under the
/// same base path or another. A host that keeps no reference keeps the console for the life
/// of the page.
#[wasm_bindgen]
pub struct MountedConsole {
    handle: Option<Box<dyn std::any::Any>>,
    root: Option<leptos::prelude::Owner>,
}

// The JS object of a handle the host dropped is freed when collected (wasm-bindgen's
// FinalizationRegistry): that must not unmount the console, only `unmount()` does.
impl Drop for MountedConsole {
    fn drop(&mut self) {
        std::mem::forget(self.handle.take());
        std::mem::forget(self.root.take());
    }
}

#[wasm_bindgen]
impl MountedConsole {
    pub fn unmount(&mut self) {
        // Cleaned up explicitly, not only dropped: something may still hold the root (the
        // router keeps its owner in a global hook), and then dropping it would not run the
        // cleanups that remove the router's window listeners.
        if let Some(root) = self.root.take() {
            root.cleanup();
        }
        self.handle.take();
    }
}

/// Mounts the console into `element`. `options` is a plain object, all fields optional:
/// `{ basePath: "/admin/subscriptions", apiBase: "https://console.example", language: "it",
/// signInToken: "<JWT from the host's back end>" }`. With `signInToken`, the console signs the
/// agent in with it (signed embedding): no sign-in form.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<MountedConsole, JsValue> {
    // Debug builds say what panicked in the browser console; release builds stay small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let options = Options::from_js(&options)?;
    let root = std::rc::Rc::new(std::cell::Cell::new(None));
    let handle = leptos::mount::mount_to(element, {
        let root = root.clone();
        move || {
            root.set(leptos::prelude::Owner::current());
            leptos::prelude::view! { <ConsoleApp options /> }
        }
    });
    Ok(MountedConsole {
        handle: Some(Box::new(handle)),
        root: root.take(),
    })
}

/// How a host mounts the console.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The path the console lives under, e.g. "/admin/subscriptions" ("" at the site root).
    pub base_path: String,
    /// Where the API is, e.g. "https://console.example" ("" for the page's own origin).
    pub api_base: String,
    pub language: Lang,
    /// A host portal's signed token, traded for a session at start (see the README).
    pub sign_in_token: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_path: String::new(),
            api_base: String::new(),
            language: browser_language(),
            sign_in_token: None,
        }
    }
}

impl Options {
    /// Reads `{basePath, apiBase, language}` from a JS object; `undefined` means defaults.
    pub fn from_js(value: &JsValue) -> Result<Options, JsValue> {
        let mut options = Options::default();
        if value.is_undefined() || value.is_null() {
            return Ok(options);
        }
        let text = |key: &str| -> Result<Option<String>, JsValue> {
            let v = js_sys::Reflect::get(value, &JsValue::from_str(key))?;
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            v.as_string().map(Some).ok_or_else(|| {
                JsValue::from_str(&format!("Reseller Console: option {key} must be a string"))
            })
        };
        if let Some(base) = text("basePath")? {
            options.base_path = normalise_base(&base);
        }
        if let Some(api) = text("apiBase")? {
            options.api_base = api.trim_end_matches('/').to_owned();
        }
        if let Some(lang) = text("language")? {
            options.language = Lang::from_tag(&lang);
        }
        options.sign_in_token = text("signInToken")?.filter(|t| !t.trim().is_empty());
        Ok(options)
    }
}

/// "admin/subscriptions/" → "/admin/subscriptions"; "/" → "".
pub fn normalise_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

fn browser_language() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map_or(Lang::En, |l| Lang::from_tag(&l))
}
