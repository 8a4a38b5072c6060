//! Answers the console's own page asked for before the app had loaded: `index.html` starts
//! the session request, and the first page of customers once signed in, while the browser
//! downloads the app (seconds on a slow phone network), and leaves their promises in
//! `window.rcBoot`. The app takes each once, instead of asking again.

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The early answer named `name` (`"session"`, `"customers"`), if the page asked for it and
/// it has not been taken; `None` (ask now) otherwise, or if it failed.
pub async fn take(name: &str) -> Option<gloo_net::http::Response> {
    let boot = Reflect::get(&web_sys::window()?, &JsValue::from_str("rcBoot")).ok()?;
    let key = JsValue::from_str(name);
    let promise: Promise = Reflect::get(&boot, &key).ok()?.dyn_into().ok()?;
    Reflect::delete_property(boot.unchecked_ref(), &key).ok()?;
    let response: web_sys::Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    Some(response.into())
}
