//! Driving the DOM as an agent would, and waiting for the page without fixed sleeps.
#![allow(dead_code)] // each test binary uses part of it

use wasm_bindgen::JsCast;
use web_sys::{
    Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent,
    KeyboardEventInit,
};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element appended to the page, as wide as a desktop screen (the console lays itself
/// out by its own width, whatever the test browser's window is).
pub fn new_root() -> HtmlElement {
    new_root_of_width(1366)
}

/// A fresh element `width` CSS pixels wide, e.g. 390 for a phone.
pub fn new_root_of_width(width: u32) -> HtmlElement {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    root.style()
        .set_property("width", &format!("{width}px"))
        .unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Whether `element` has the keyboard focus.
pub fn has_focus(element: &HtmlElement) -> bool {
    element.is_same_node(document().active_element().as_ref().map(|e| e.as_ref()))
}

pub fn try_find(root: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

pub fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    try_find(root, selector)
        .unwrap_or_else(|| panic!("no {selector}; the page shows:\n{}", shown(root)))
}

pub fn find_all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

/// What the agent reads on the page, for failure messages.
pub fn shown(root: &HtmlElement) -> String {
    root.inner_text()
}

pub fn text(root: &HtmlElement, selector: &str) -> String {
    find(root, selector)
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

pub fn exists(root: &HtmlElement, selector: &str) -> bool {
    try_find(root, selector).is_some()
}

pub fn disabled(root: &HtmlElement, selector: &str) -> bool {
    find(root, selector).has_attribute("disabled")
}

pub fn value(root: &HtmlElement, selector: &str) -> String {
    find(root, selector)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

pub fn fire(element: &HtmlElement, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    element
        .dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

/// Types into a field: the value changes, then an input event, as with a keyboard.
pub fn type_into(root: &HtmlElement, selector: &str, text: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.focus().unwrap();
    input.set_value(text);
    fire(&input, "input");
}

pub fn choose(root: &HtmlElement, selector: &str, value: &str) {
    let select: HtmlSelectElement = find(root, selector).unchecked_into();
    select.set_value(value);
    fire(&select, "change");
}

pub fn click(root: &HtmlElement, selector: &str) {
    find(root, selector).click();
}

/// Presses a key on the focused element (or `target`).
pub fn press(target: &HtmlElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Polls until `condition` holds, up to 10 s; else fails naming the step and what the page showed.
pub async fn until(root: &HtmlElement, step: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        sleep(20).await;
    }
    let at = web_sys::window()
        .unwrap()
        .location()
        .href()
        .unwrap_or_default();
    panic!(
        "step failed: {step}\nat {at}\nthe page shows:\n{}",
        shown(root)
    );
}
