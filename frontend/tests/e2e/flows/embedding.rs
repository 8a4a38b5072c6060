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
    let path_before = pathname();
    assert!(
        !taken_by_a_console(&find(&host, "#host-link")),
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

/// Whether a click on `link` was taken by a console (its router prevents the browser's default);
/// the browser's own navigation is stopped afterwards, so the test page stays.
fn taken_by_a_console(link: &HtmlElement) -> bool {
    let seen = std::rc::Rc::new(std::cell::Cell::new(None::<bool>));
    let record = {
        let seen = seen.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            move |ev: web_sys::Event| {
                seen.set(Some(ev.default_prevented()));
                ev.prevent_default();
            },
        )
    };
    // Registered last on the window: it runs after every console's router.
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("click", record.as_ref().unchecked_ref())
        .unwrap();
    link.click();
    window
        .remove_event_listener_with_callback("click", record.as_ref().unchecked_ref())
        .unwrap();
    seen.get().expect("the click reached the window")
}

#[wasm_bindgen_test]
async fn flow_18_unmounted_and_mounted_again_at_the_same_base() {
    // A host portal page: a link of its own whose path only starts like the console's base,
    // and the slot it mounts the console in whenever its Subscriptions page shows.
    let base = "/e2e-remount";
    let host = new_root();
    host.set_inner_html(
        "<a id=\"host-archive\" href=\"/e2e-remount-archive\">Archive</a><div id=\"slot-1\"></div>",
    );
    // Counts the history entries consoles add (history.length stops growing at 50).
    js_sys::eval(
        "if (!window.__rcPushes) { const push = History.prototype.pushState; window.__rcPushes = 0; \
         History.prototype.pushState = function (...a) { window.__rcPushes++; return push.apply(this, a); }; }",
    )
    .unwrap();
    let history_length = || {
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__rcPushes".into())
            .unwrap()
            .as_f64()
            .unwrap()
    };

    let m = open(base, "/", Some(find(&host, "#slot-1"))).await;
    sign_in(&m, ADMIN).await;
    let root = m.root.clone();
    until(&root, "the customer list", || {
        exists(&root, ".rc-table tbody tr")
    })
    .await;
    click(&root, ".rc-nav a[href$='/renewals']");
    until(&root, "Renewals", || exists(&root, ".rc-window")).await;
    assert_eq!(pathname(), format!("{base}/renewals"));
    assert!(
        !taken_by_a_console(&find(&host, "#host-archive")),
        "/e2e-remount-archive is the host's, not below the base /e2e-remount"
    );
    // The host navigates elsewhere: unmounted, the console leaves nothing on the page.
    drop(m);
    assert!(!exists(&host, ".rc-app"), "the console's elements are gone");

    // Back on its Subscriptions page, the host mounts a console again at the same base.
    let slot = document().create_element("div").unwrap();
    host.append_child(&slot).unwrap();
    let m = open(base, "/", Some(slot.dyn_into().unwrap())).await;
    sign_in(&m, ADMIN).await;
    let root = m.root.clone();
    until(&root, "the customer list again", || {
        exists(&root, ".rc-table tbody tr")
    })
    .await;
    // Each link is handled once, by the live console: a router left behind by the first one
    // would take the click first (and the page would not change) or add a second entry.
    for (link, page, marker) in [
        ("/team", "Team", ".rc-team-table tbody tr"),
        ("/activity", "Activity", ".rc-activity .rc-filters"),
        ("/", "the list", ".rc-table tbody tr"),
    ] {
        let before = history_length();
        click(&root, &format!(".rc-nav a[href='{base}{link}']"));
        until(&root, page, || exists(&root, marker)).await;
        assert_eq!(pathname(), format!("{base}{link}"));
        assert_eq!(
            history_length(),
            before + 1.0,
            "one history entry for the click on {link}"
        );
    }
    assert!(
        !taken_by_a_console(&find(&host, "#host-archive")),
        "the host's link stays the host's after a remount"
    );
    drop(m);
    host.remove();
}
