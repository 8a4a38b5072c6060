//! The console embedded in a host page, and a host portal signing the agent in by token.

use crate::support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

#[wasm_bindgen_test]
async fn flow_8_embedded_in_a_host_page() {
    // The host page: its own header, link and styles.
    let host = new_root();
    host.set_inner_html(
        "<style>.host-title { color: rgb(91, 42, 134); font-family: serif; } header.host a { margin-right: 16px; }</style>\
         <header class=\"host\"><h1 class=\"host-title\">Partner portal</h1><a id=\"host-link\" href=\"/host/elsewhere\">Users</a></header>\
         <div id=\"console-slot\"></div>",
    );
    let style_of = |selector: &str| {
        let e = find(&host, selector);
        let s = web_sys::window()
            .unwrap()
            .get_computed_style(&e)
            .unwrap()
            .unwrap();
        ["color", "font-family", "margin-right", "font-size"]
            .map(|p| s.get_property_value(p).unwrap())
    };
    let (title_before, link_before) = (style_of(".host-title"), style_of("#host-link"));
    let title = document().title();
    let slot: HtmlElement = find(&host, "#console-slot");
    let base = "/portal/subscriptions";
    let m = open(base, "/", Some(slot)).await;
    sign_in(&m, ADMIN).await;
    let root = &m.root;
    open_customer(root, "Contoso Ltd").await;
    assert!(
        pathname().starts_with(&format!("{base}/customers/")),
        "route under the base: {}",
        pathname()
    );
    click(root, "a.rc-sub");
    until(root, "a subscription page under the base", || {
        pathname().starts_with(&format!("{base}/subscriptions/"))
    })
    .await;

    // A click on the host's own link is the host's: the console must not take it over.
    let seen = std::rc::Rc::new(std::cell::Cell::new(None::<bool>));
    let record = {
        let seen = seen.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            move |ev: web_sys::Event| {
                seen.set(Some(ev.default_prevented()));
                ev.prevent_default(); // keep the test page here
            },
        )
    };
    // Runs after the console's own window listener, so it sees the console's decision.
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback("click", record.as_ref().unchecked_ref())
        .unwrap();
    let path_before = pathname();
    find(&host, "#host-link").click();
    web_sys::window()
        .unwrap()
        .remove_event_listener_with_callback("click", record.as_ref().unchecked_ref())
        .unwrap();
    assert_eq!(
        seen.get(),
        Some(false),
        "the console left the host link to the browser"
    );
    assert_eq!(pathname(), path_before);

    assert_eq!(
        style_of(".host-title"),
        title_before,
        "host title styles unchanged"
    );
    assert_eq!(
        style_of("#host-link"),
        link_before,
        "host link styles unchanged"
    );
    assert_eq!(
        document().title(),
        title,
        "the console never sets the document title"
    );
    drop(m);
    host.remove();
}

#[wasm_bindgen_test]
async fn flow_13_the_host_portal_mounts_the_console_signed_in_by_token() {
    let partner = api()
        .sign_in(ADMIN, PASSWORD)
        .await
        .unwrap()
        .partner
        .id
        .to_string();
    let _ = api().sign_out().await;
    let token = host_token(&partner, ADMIN);
    let m = open_with(
        &[("language", "en"), ("signInToken", &token)],
        "/e2e-token-a",
        "/",
        None,
    )
    .await;
    let root = &m.root;
    // Never a sign-in form: from "Loading…" straight to the list, signed in as the admin.
    let mut saw_form = false;
    for _ in 0..200 {
        saw_form |= exists(root, "#rc-email");
        if exists(root, ".rc-table tbody tr") {
            break;
        }
        sleep(25).await;
    }
    assert!(!saw_form, "no sign-in form inside the host portal");
    until(root, "the customer list", || {
        exists(root, ".rc-table tbody tr")
    })
    .await;
    assert!(text(root, ".rc-who").contains(ADMIN));
    drop(m);

    // The same token again (a reload, a copied URL): refused, so the form asks to sign in.
    let _ = api().sign_out().await;
    let m = open_with(
        &[("language", "en"), ("signInToken", &token)],
        "/e2e-token-b",
        "/",
        None,
    )
    .await;
    let root = &m.root;
    until(root, "the sign-in form after a used token", || {
        exists(root, "#rc-email")
    })
    .await;
}
