//! What the flows share: the test server, a console mounted and signed in, the demo data's
//! agents and subscriptions, the clock, a host portal's token.

#[path = "../../support/mod.rs"]
mod dom;

pub use dom::*;
use frontend::api::Api;
use shared::api::SubscriptionView;
use shared::ids::CustomerId;
use shared::model::{Channel, Status};
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

pub const ADMIN: &str = "admin@northwind.example";
pub const READ_ONLY: &str = "readonly@northwind.example";
pub const PASSWORD: &str = "demo-password";

pub fn api_base() -> &'static str {
    match option_env!("RC_E2E_API") {
        Some(url) => url,
        None => panic!("RC_E2E_API names the test server: run these tests with scripts/test"),
    }
}

pub fn api() -> Api {
    Api::new(api_base())
}

/// A console mounted for one test, removed again afterwards.
pub struct Mounted {
    pub root: HtmlElement,
    console: frontend::MountedConsole,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.console.unmount();
        self.root.remove();
    }
}

pub fn go_to(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
}

pub fn pathname() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

/// The console's own stylesheet, on the test page as on a host's: layout is part of the flows.
pub fn load_stylesheet() {
    if document().get_element_by_id("rc-test-css").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("rc-test-css");
        style.set_text_content(Some(include_str!("../../../../style/console.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
}

/// Signed out, at `base` + `path`, with a fresh console mounted under `base`.
pub async fn open(base: &str, path: &str, root: Option<HtmlElement>) -> Mounted {
    open_in("en", base, path, root).await
}

/// As `open`, in `language`.
pub async fn open_in(language: &str, base: &str, path: &str, root: Option<HtmlElement>) -> Mounted {
    open_with(&[("language", language)], base, path, root).await
}

/// Signed out, at `base` + `path`, a console mounted with `options` (and the base and API).
pub async fn open_with(
    options: &[(&str, &str)],
    base: &str,
    path: &str,
    root: Option<HtmlElement>,
) -> Mounted {
    let options_given = options;
    load_stylesheet();
    let _ = api().sign_out().await;
    go_to(&format!("{base}{path}"));
    let root = root.unwrap_or_else(new_root);
    let options = js_sys::Object::new();
    for (key, value) in [("basePath", base), ("apiBase", api_base())]
        .into_iter()
        .chain(options_given.iter().copied())
    {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
    }
    let console = frontend::mount(root.clone(), options.into()).unwrap();
    Mounted { root, console }
}

pub async fn sign_in(m: &Mounted, email: &str) {
    let root = &m.root;
    until(root, "the sign-in form", || exists(root, "#rc-email")).await;
    type_into(root, "#rc-email", email);
    type_into(root, "#rc-password", PASSWORD);
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "signed in", || !exists(root, "#rc-email")).await;
}

/// Opens a customer from the list by searching for it and clicking its row.
pub async fn open_customer(root: &HtmlElement, name: &str) {
    until(root, "the customer list", || {
        exists(root, ".rc-table tbody tr")
    })
    .await;
    type_into(root, ".rc-search", name);
    until(root, &format!("the search for {name}"), || {
        let rows = find_all(root, ".rc-table tbody tr");
        rows.len() == 1 && rows[0].inner_text().contains(name)
    })
    .await;
    click(root, ".rc-table tbody tr");
    until(root, &format!("the action pane of {name}"), || {
        exists(root, ".rc-pane-title") && text(root, ".rc-pane-title").contains(name)
    })
    .await;
}

/// Opens a subscription's page from the action pane.
pub async fn open_subscription(root: &HtmlElement, sub: &SubscriptionView) {
    let selector = format!("a.rc-sub[href$=\"/subscriptions/{}\"]", sub.subscription.id);
    until(root, "the subscription in the action pane", || {
        exists(root, &selector)
    })
    .await;
    click(root, &selector);
    until(root, "the Subscriptions page", || {
        exists(root, ".rc-edit-quantity")
            && text(root, ".rc-title").contains(&sub.subscription.offer_name)
    })
    .await;
}

/// A fresh console under `base`, signed in as `email`, on `sub`'s page, reached as an agent
/// would: search the customer, open it, click the subscription in the action pane.
pub async fn subscription_page(
    base: &str,
    email: &str,
    customer: &str,
    sub: &SubscriptionView,
) -> Mounted {
    let m = open(base, "/", None).await;
    sign_in(&m, email).await;
    open_customer(&m.root, customer).await;
    open_subscription(&m.root, sub).await;
    m
}

/// A subscription of the demo data, with its customer's name, chosen over the API.
pub async fn pick(channel: Channel, status: Status, skip: usize) -> (String, SubscriptionView) {
    let customers = api().customers("", 1, 100).await.unwrap().items;
    let mut found = Vec::new();
    for c in customers {
        for s in api().customer_subscriptions(c.id).await.unwrap() {
            if s.subscription.channel == channel && s.subscription.status == status {
                found.push((c.name.clone(), s));
            }
        }
    }
    found
        .into_iter()
        .nth(skip)
        .expect("demo data has enough such subscriptions")
}

pub async fn signed_in_api(email: &str) {
    api().sign_in(email, PASSWORD).await.expect("API sign-in");
}

/// How far an element extends right of its container, in CSS pixels (0 when it fits).
pub fn overflow(root: &HtmlElement) -> i32 {
    let app = find(root, ".rc-app");
    (app.scroll_width() - app.client_width()).max(0)
}

pub fn rect(root: &HtmlElement, selector: &str) -> web_sys::DomRect {
    find(root, selector).get_bounding_client_rect()
}

pub fn overlaps(a: &web_sys::DomRect, b: &web_sys::DomRect) -> bool {
    let visible = |r: &web_sys::DomRect| r.width() > 0.0 && r.height() > 0.0;
    visible(a)
        && visible(b)
        && a.left() < b.right()
        && b.left() < a.right()
        && a.top() < b.bottom()
        && b.top() < a.bottom()
}

/// The first partner-bought subscription shown in the open action pane, as the API has it.
pub async fn api_first_partner_subscription(root: &HtmlElement) -> SubscriptionView {
    let customer: CustomerId = pathname().rsplit('/').next().unwrap().parse().unwrap();
    let held = api().customer_subscriptions(customer).await.unwrap();
    until(root, "the pane's subscriptions", || {
        find_all(root, ".rc-sub").len() == held.len()
    })
    .await;
    held.into_iter()
        .find(|s| s.subscription.channel == Channel::Partner)
        .expect("Wingtip Toys has a partner-bought subscription")
}

/// A unique suffix for what a flow creates, so flows can run again on the same database.
pub fn unique() -> String {
    format!("{}", js_sys::Date::now() as u64)
}

/// A JSON Web Token as a partner portal's back end signs it: HS256 with the partner's key,
/// which `reseller-console partner embed-key` prints: HMAC-SHA256(master secret, partner id).
pub fn host_token(partner: &str, email: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::Mac;
    let Some(secret) = option_env!("RC_E2E_EMBED_SECRET") else {
        panic!(
            "RC_E2E_EMBED_SECRET is the server's embed secret: run these tests with scripts/test"
        )
    };
    let mut derive = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.trim().as_bytes()).unwrap();
    derive.update(partner.as_bytes());
    let key: String = derive
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = serde_json::json!({"aud": partner, "sub": email, "iat": now, "exp": now + 60, "jti": unique() + email});
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{header}.{payload}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{header}.{payload}.{signature}")
}

pub fn focused_id() -> String {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

pub fn focused_class() -> String {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.class_name())
        .unwrap_or_default()
}

/// Moves the server's subscription clock (a server started with `--unsafe-test-clock`).
pub async fn move_clock(body: serde_json::Value) {
    let res = gloo_net::http::Request::post(&format!("{}/api/test/clock", api_base()))
        .json(&body)
        .unwrap()
        .send()
        .await
        .expect("the test clock answers");
    assert_eq!(
        res.status(),
        200,
        "the e2e server runs with --unsafe-test-clock"
    );
}

pub fn window_location() -> String {
    web_sys::window()
        .unwrap()
        .location()
        .href()
        .unwrap_or_default()
}
