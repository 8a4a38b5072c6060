//! End to end: the real console, mounted through the same `mount` entry partners use, driven
//! through the DOM against a real server; what the agent sees is checked, then what the server
//! holds is read back over the API. `scripts/test` starts the server (fresh SQLite file, demo
//! data, CORS for this test page's origin only) and passes its URL in `RC_E2E_API`.
#![cfg(target_arch = "wasm32")]

mod support;

use frontend::api::Api;
use shared::ErrorCode;
use shared::api::{ChangeSubscriptionRequest, SubscriptionView};
use shared::ids::CustomerId;
use shared::model::{Channel, Status};
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const ADMIN: &str = "admin@northwind.example";
const READ_ONLY: &str = "readonly@northwind.example";
const PASSWORD: &str = "demo-password";

fn api_base() -> &'static str {
    match option_env!("RC_E2E_API") {
        Some(url) => url,
        None => panic!("RC_E2E_API names the test server: run these tests with scripts/test"),
    }
}

fn api() -> Api {
    Api::new(api_base())
}

/// A console mounted for one test, removed again afterwards.
struct Mounted {
    root: HtmlElement,
    console: frontend::MountedConsole,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.console.unmount();
        self.root.remove();
    }
}

fn go_to(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
}

fn pathname() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

/// The console's own stylesheet, on the test page as on a host's: layout is part of the flows.
fn load_stylesheet() {
    if document().get_element_by_id("rc-test-css").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("rc-test-css");
        style.set_text_content(Some(include_str!("../../style/console.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
}

/// Signed out, at `base` + `path`, with a fresh console mounted under `base`.
async fn open(base: &str, path: &str, root: Option<HtmlElement>) -> Mounted {
    open_in("en", base, path, root).await
}

/// As `open`, in `language`.
async fn open_in(language: &str, base: &str, path: &str, root: Option<HtmlElement>) -> Mounted {
    open_with(&[("language", language)], base, path, root).await
}

/// Signed out, at `base` + `path`, a console mounted with `options` (and the base and API).
async fn open_with(
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

async fn sign_in(m: &Mounted, email: &str) {
    let root = &m.root;
    until(root, "the sign-in form", || exists(root, "#rc-email")).await;
    type_into(root, "#rc-email", email);
    type_into(root, "#rc-password", PASSWORD);
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "signed in", || !exists(root, "#rc-email")).await;
}

/// Opens a customer from the list by searching for it and clicking its row.
async fn open_customer(root: &HtmlElement, name: &str) {
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
async fn open_subscription(root: &HtmlElement, sub: &SubscriptionView) {
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
async fn subscription_page(
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
async fn pick(channel: Channel, status: Status, skip: usize) -> (String, SubscriptionView) {
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

async fn signed_in_api(email: &str) {
    api().sign_in(email, PASSWORD).await.expect("API sign-in");
}

#[wasm_bindgen_test]
async fn flow_1_sign_in() {
    let m = open("/e2e-1", "/", None).await;
    let root = &m.root;
    until(root, "the sign-in form", || exists(root, "#rc-email")).await;
    // Guessing is throttled per e-mail: after five tries the form says when to try again.
    let guesser = "guesser@northwind.example";
    for _ in 0..5 {
        let refused = api().sign_in(guesser, "guess").await.unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::InvalidCredentials));
    }
    type_into(root, "#rc-email", guesser);
    type_into(root, "#rc-password", "guess");
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "the throttling message", || {
        shown(root).contains("Too many sign-in attempts for this e-mail. Try again in 15 minutes.")
    })
    .await;
    type_into(root, "#rc-email", ADMIN);
    type_into(root, "#rc-password", "not-the-password");
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "the wrong-password message", || {
        shown(root).contains("The e-mail or password is not right.")
    })
    .await;
    assert!(
        api().session().await == Ok(None),
        "refused: no session on the server"
    );
    type_into(root, "#rc-password", PASSWORD);
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "the customer list", || {
        find_all(root, ".rc-table tbody tr").len() == 15
    })
    .await;
    assert!(shown(root).contains("admin@northwind.example"));
    assert_eq!(api().session().await.unwrap().unwrap().agent.email, ADMIN);
}

#[wasm_bindgen_test]
async fn flow_2_search_pages_and_action_pane() {
    let m = open("/e2e-2", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    // The pager comes with the first page (drawn before it, it would jump when it arrives).
    until(root, "the first page", || {
        exists(root, ".rc-pager [role=status]")
            && text(root, ".rc-pager [role=status]").starts_with("1–15 of 40")
    })
    .await;
    click(root, ".rc-pager button:last-child");
    until(root, "the second page", || {
        text(root, ".rc-pager [role=status]").starts_with("16–30 of 40")
    })
    .await;
    let page_two: Vec<String> = find_all(root, ".rc-table tbody tr td:first-child")
        .iter()
        .map(|c| c.inner_text())
        .collect();
    let expected: Vec<String> = api()
        .customers("", 2, 15)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        page_two, expected,
        "the page shows the server's second page"
    );

    type_into(root, ".rc-search", "toys");
    until(root, "the search to narrow the list", || {
        find_all(root, ".rc-table tbody tr").len() == 2
    })
    .await;
    assert_eq!(api().customers("toys", 1, 15).await.unwrap().total, 2);
    assert!(text(root, ".rc-pager [role=status]").contains("matching “toys”"));

    // Keyboard: focus the first row, move down, Enter opens the second customer.
    let first = find(root, ".rc-table tbody tr");
    first.focus().unwrap();
    press(&first, "ArrowDown");
    let second = find_all(root, ".rc-table tbody tr")[1].clone();
    until(root, "the selection to move down", || {
        second.is_same_node(document().active_element().as_ref().map(|e| e.as_ref()))
    })
    .await;
    press(&second, "Enter");
    until(root, "the action pane of Wingtip Toys", || {
        exists(root, ".rc-pane-title") && text(root, ".rc-pane-title").contains("Wingtip Toys")
    })
    .await;
    let customer: CustomerId = pathname().rsplit('/').next().unwrap().parse().unwrap();
    let held = api().customer_subscriptions(customer).await.unwrap();
    until(root, "the pane's subscriptions", || {
        find_all(root, ".rc-sub").len() == held.len()
    })
    .await;
    let shown_offers: Vec<String> = find_all(root, ".rc-sub strong")
        .iter()
        .map(|e| e.inner_text())
        .collect();
    let held_offers: Vec<String> = held
        .iter()
        .map(|s| s.subscription.offer_name.clone())
        .collect();
    assert_eq!(
        shown_offers, held_offers,
        "exactly that customer's subscriptions"
    );
    assert!(
        find(root, ".rc-table tbody tr[aria-selected=true]")
            .inner_text()
            .contains("Wingtip Toys")
    );
    // Focus stayed on the chosen row, so the arrows go on from there.
    until(root, "focus to stay on the opened row", || {
        has_focus(&second)
    })
    .await;
    press(&second, "ArrowUp");
    let first = find(root, ".rc-table tbody tr");
    until(root, "ArrowUp to move from the opened row", || {
        has_focus(&first)
    })
    .await;
    // Escape closes the pane and leaves focus on the list.
    press(&first, "Escape");
    until(root, "Escape to close the pane", || {
        !exists(root, ".rc-pane-title") && !pathname().contains("/customers/")
    })
    .await;
    until(root, "focus back on a row", || {
        find_all(root, ".rc-table tbody tr").iter().any(has_focus)
    })
    .await;
    // A click opens the pane and keeps focus on the clicked row.
    let clicked = find_all(root, ".rc-table tbody tr")[1].clone();
    clicked.click();
    until(root, "the pane after a click", || {
        exists(root, ".rc-pane-title")
    })
    .await;
    until(root, "focus on the clicked row", || has_focus(&clicked)).await;
}

/// How far an element extends right of its container, in CSS pixels (0 when it fits).
fn overflow(root: &HtmlElement) -> i32 {
    let app = find(root, ".rc-app");
    (app.scroll_width() - app.client_width()).max(0)
}

fn rect(root: &HtmlElement, selector: &str) -> web_sys::DomRect {
    find(root, selector).get_bounding_client_rect()
}

fn overlaps(a: &web_sys::DomRect, b: &web_sys::DomRect) -> bool {
    let visible = |r: &web_sys::DomRect| r.width() > 0.0 && r.height() > 0.0;
    visible(a)
        && visible(b)
        && a.left() < b.right()
        && b.left() < a.right()
        && a.top() < b.bottom()
        && b.top() < a.bottom()
}

#[wasm_bindgen_test]
async fn flow_9_every_width_from_phone_to_desktop() {
    for width in [360, 390, 768, 1366] {
        // A base of its own per mount: an unmounted console's router still listens for link
        // clicks under its base (leptos_router keeps its window listener).
        let base = format!("/e2e-9-{width}");
        let m = open(&base, "/", Some(new_root_of_width(width))).await;
        let root = &m.root;
        sign_in(&m, ADMIN).await;
        until(root, "the customer list", || {
            find_all(root, ".rc-table tbody tr").len() == 15
        })
        .await;
        assert_eq!(
            overflow(root),
            0,
            "{width} px: the list fits, no sideways scrolling"
        );
        open_customer(root, "Wingtip Toys").await;
        assert_eq!(overflow(root), 0, "{width} px: list and pane fit");
        let (list, pane) = (rect(root, ".rc-list"), rect(root, ".rc-pane"));
        assert!(
            !overlaps(&list, &pane),
            "{width} px: the pane is drawn over the list"
        );
        if width < 860 {
            // One column: the pane replaces the list, with a way back.
            assert_eq!(
                list.height(),
                0.0,
                "{width} px: the list makes room for the pane"
            );
            let back = find(root, ".rc-back");
            until(root, "focus to follow into the pane", || has_focus(&back)).await;
            assert!(
                back.get_bounding_client_rect().height() >= 44.0,
                "{width} px: touch target"
            );
            back.click();
            until(root, "back to the list", || {
                rect(root, ".rc-list").height() > 0.0 && !exists(root, ".rc-pane-title")
            })
            .await;
            let row = find(root, ".rc-table tbody tr");
            assert!(
                row.get_bounding_client_rect().height() >= 44.0,
                "{width} px: row height"
            );
            open_customer(root, "Wingtip Toys").await;
        } else {
            assert!(
                list.height() > 0.0 && pane.height() > 0.0,
                "{width} px: side by side"
            );
        }
        let sub = api_first_partner_subscription(root).await;
        open_subscription(root, &sub).await;
        assert_eq!(overflow(root), 0, "{width} px: the subscription page fits");
        for button in find_all(root, ".rc-actions button") {
            if width < 860 {
                assert!(
                    button.get_bounding_client_rect().height() >= 44.0,
                    "{width} px: button"
                );
            }
        }
        // The order form, whose offer names are long.
        click(root, ".rc-breadcrumb a:nth-of-type(2)");
        until(root, "back to the pane", || {
            exists(root, ".rc-pane button.rc-primary")
        })
        .await;
        click(root, ".rc-pane button.rc-primary");
        until(root, "the order form", || exists(root, ".rc-order select")).await;
        assert_eq!(overflow(root), 0, "{width} px: the order form fits");
    }
    // Italian words are longer ("Acquistata direttamente · sola lettura"): the pane still fits.
    let m = open_in("it", "/e2e-9-it", "/", Some(new_root_of_width(360))).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    open_customer(root, "Wingtip Toys").await;
    until(root, "the pane's badges", || {
        exists(root, ".rc-sub .rc-badge")
    })
    .await;
    assert_eq!(overflow(root), 0, "360 px in Italian: the pane fits");
}

/// The first partner-bought subscription shown in the open action pane, as the API has it.
async fn api_first_partner_subscription(root: &HtmlElement) -> SubscriptionView {
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

#[wasm_bindgen_test]
async fn flow_3_edit_quantity() {
    signed_in_api(ADMIN).await;
    let (customer, sub) = pick(Channel::Partner, Status::Active, 0).await;
    let m = subscription_page("/e2e-3", ADMIN, &customer, &sub).await;
    let root = &m.root;
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    let max = sub.subscription.max_quantity;
    for (typed, message) in [
        ("0".to_owned(), "Too few".to_owned()),
        ((max + 1).to_string(), "Too many".to_owned()),
        ("abc".to_owned(), "Not a number".to_owned()),
    ] {
        type_into(root, "#rc-seats", &typed);
        until(root, &format!("the message for {typed}"), || {
            text(root, "#rc-seats-message").starts_with(&message)
        })
        .await;
        assert!(text(root, "#rc-seats-message").contains(&format!("between 1 and {max} seats")));
        assert!(
            disabled(root, ".rc-form button[type=submit]"),
            "{typed} cannot be submitted"
        );
    }
    let new = sub.subscription.quantity + 1;
    type_into(root, "#rc-seats", &new.to_string());
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-form button[type=submit]")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the confirmation", || {
        exists(root, ".rc-callout.rc-ok")
    })
    .await;
    assert!(text(root, ".rc-seats-value").starts_with(&new.to_string()));
    let before = sub.subscription.quantity;
    until(root, "the history entry", || {
        shown(root).contains(&format!("seats {before} → {new}"))
    })
    .await;
    // The seat history picture: a line, and for screen readers a table ending at the new count.
    assert!(exists(root, ".rc-seat-chart svg path.rc-chart-line"));
    let seat_rows: Vec<String> = find_all(root, ".rc-seat-chart tbody tr td:last-child")
        .iter()
        .map(|c| c.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        seat_rows,
        vec![before.to_string(), new.to_string()],
        "seats over time, from the order to now"
    );
    let held = api()
        .subscription(sub.subscription.id)
        .await
        .unwrap()
        .subscription;
    assert_eq!(
        (held.quantity, held.version),
        (new, sub.subscription.version + 1)
    );
    let events = api().events(sub.subscription.id).await.unwrap();
    let last = events.items.last().expect("an audit event");
    assert_eq!(
        (
            last.before.as_ref().unwrap().quantity,
            last.after.quantity,
            last.agent_email.as_str()
        ),
        (before, new, ADMIN)
    );
    // "Download CSV" links the same trail as a spreadsheet file.
    let link = find(root, "a.rc-download");
    assert!(link.has_attribute("download"));
    let href = link.get_attribute("href").unwrap();
    let csv = gloo_net::http::Request::get(&href)
        .credentials(web_sys::RequestCredentials::Include)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(&format!(
            "{ADMIN},quantity_changed,{before},{new},active,active"
        )),
        "{csv}"
    );
}

#[wasm_bindgen_test]
async fn flow_4_suspend_then_activate() {
    signed_in_api(ADMIN).await;
    let (customer, sub) = pick(Channel::Partner, Status::Active, 1).await;
    let m = subscription_page("/e2e-4", ADMIN, &customer, &sub).await;
    let root = &m.root;
    click(root, ".rc-change-status");
    until(root, "the status form", || exists(root, "#rc-status")).await;
    assert!(text(root, ".rc-changing").contains(&sub.subscription.offer_name));
    assert!(text(root, ".rc-changing").contains(&customer));
    // The warning is there before Save.
    assert!(text(root, ".rc-suspend-warning").contains("cancellation process"));
    click(root, ".rc-form button[type=submit]");
    until(root, "suspended", || {
        text(root, ".rc-status-value") == "Suspended"
    })
    .await;
    let held = api()
        .subscription(sub.subscription.id)
        .await
        .unwrap()
        .subscription;
    assert_eq!((held.status, held.auto_renew), (Status::Suspended, false));

    click(root, ".rc-change-status");
    until(root, "the status form again", || exists(root, "#rc-status")).await;
    assert_eq!(value(root, "#rc-status"), "active");
    assert!(!exists(root, ".rc-suspend-warning"));
    click(root, ".rc-form button[type=submit]");
    until(root, "active again", || {
        text(root, ".rc-status-value") == "Active"
    })
    .await;
    assert_eq!(
        api()
            .subscription(sub.subscription.id)
            .await
            .unwrap()
            .subscription
            .status,
        Status::Active
    );
}

#[wasm_bindgen_test]
async fn flow_5_direct_subscriptions_and_read_only_agents() {
    signed_in_api(ADMIN).await;
    let (customer, direct) = pick(Channel::Direct, Status::Active, 0).await;
    let (other_customer, partner) = pick(Channel::Partner, Status::Active, 2).await;
    let m = subscription_page("/e2e-5", ADMIN, &customer, &direct).await;
    let root = &m.root;
    assert!(disabled(root, ".rc-edit-quantity") && disabled(root, ".rc-change-status"));
    assert!(text(root, "#rc-seats-why").contains("bought directly by the customer"));
    let forced = api()
        .change_subscription(
            direct.subscription.id,
            direct.subscription.version,
            &ChangeSubscriptionRequest::quantity(7u32),
        )
        .await;
    assert_eq!(forced.unwrap_err().code(), Some(ErrorCode::BoughtDirectly));
    drop(m);

    let m = open("/e2e-5b", "/", None).await;
    let root = &m.root;
    sign_in(&m, READ_ONLY).await;
    open_customer(root, &other_customer).await;
    assert!(
        disabled(root, ".rc-pane .rc-primary"),
        "no ordering for a read-only agent"
    );
    open_subscription(root, &partner).await;
    assert!(disabled(root, ".rc-edit-quantity") && disabled(root, ".rc-change-status"));
    assert!(text(root, "#rc-status-why").contains("Read-only agent"));
    let forced = api()
        .change_subscription(
            partner.subscription.id,
            partner.subscription.version,
            &ChangeSubscriptionRequest::status(Status::Suspended),
        )
        .await;
    assert_eq!(forced.unwrap_err().code(), Some(ErrorCode::RoleNotAllowed));
    let held = api().subscription(partner.subscription.id).await.unwrap();
    assert_eq!(held.subscription, partner.subscription, "nothing changed");
}

#[wasm_bindgen_test]
async fn flow_6_add_new_subscriptions() {
    signed_in_api(ADMIN).await;
    let authorised: Vec<String> = api()
        .offers()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id.0)
        .collect();
    let customer = api()
        .customers("Coho Winery", 1, 15)
        .await
        .unwrap()
        .items
        .remove(0);
    let before = api()
        .customer_subscriptions(customer.id)
        .await
        .unwrap()
        .len();
    let m = open("/e2e-6", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    open_customer(root, "Coho Winery").await;
    click(root, ".rc-pane .rc-primary");
    until(root, "the order form", || exists(root, "#rc-offer")).await;
    let listed: Vec<String> = find_all(root, "#rc-offer option")
        .iter()
        .map(|o| o.get_attribute("value").unwrap())
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(listed, authorised, "only the offers the partner may sell");

    choose(root, "#rc-offer", "teams-essentials");
    type_into(root, "#rc-new-seats", "301");
    until(root, "the per-offer bound", || {
        text(root, "#rc-new-seats-message").contains("between 1 and 300 seats")
    })
    .await;
    choose(root, "#rc-offer", "m365-e3");
    until(root, "301 valid for E3", || {
        text(root, "#rc-new-seats-message").is_empty()
    })
    .await;
    click(root, ".rc-order form button[type=submit]");
    until(root, "the confirmation step", || exists(root, ".rc-finish")).await;
    assert_eq!(text(root, ".rc-confirm-offer"), "Microsoft 365 E3");
    assert_eq!(text(root, ".rc-confirm-seats"), "301");
    assert!(text(root, ".rc-confirm-cost").starts_with("301 × €33.70"));
    // Finish pressed twice quickly.
    click(root, ".rc-finish");
    click(root, ".rc-finish");
    until(root, "the list with the new subscription", || {
        exists(root, ".rc-sub-new")
    })
    .await;
    assert!(
        find(root, ".rc-sub-new")
            .inner_text()
            .contains("Microsoft 365 E3")
    );
    let after = api().customer_subscriptions(customer.id).await.unwrap();
    assert_eq!(after.len(), before + 1, "ordered exactly once");
    assert!(
        after
            .iter()
            .any(|s| s.subscription.offer_id.0 == "m365-e3" && s.subscription.quantity == 301)
    );
}

#[wasm_bindgen_test]
async fn flow_7_conflict_then_apply_again() {
    signed_in_api(ADMIN).await;
    let (customer, sub) = pick(Channel::Partner, Status::Active, 3).await;
    let m = subscription_page("/e2e-7", ADMIN, &customer, &sub).await;
    let root = &m.root;
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    // Both are increases (a decrease would meet the 7-day window, flow 14); "mine" lowers
    // "theirs" by one seat, which their increase just made removable.
    let (theirs, mine) = (sub.subscription.quantity + 2, sub.subscription.quantity + 1);
    type_into(root, "#rc-seats", &mine.to_string());
    // Someone else changes it behind the page.
    api()
        .change_subscription(
            sub.subscription.id,
            sub.subscription.version,
            &ChangeSubscriptionRequest::quantity(theirs),
        )
        .await
        .unwrap();
    click(root, ".rc-form button[type=submit]");
    until(root, "the conflict", || {
        exists(root, ".rc-form .rc-callout.rc-warn")
    })
    .await;
    assert!(
        text(root, ".rc-form .rc-callout.rc-warn").contains(&format!("it now has {theirs} seats"))
    );
    assert!(
        text(root, ".rc-seats-value").starts_with(&theirs.to_string()),
        "the page shows the current value"
    );
    assert_eq!(
        value(root, "#rc-seats"),
        mine.to_string(),
        "what the agent typed is kept"
    );
    assert_eq!(
        text(root, ".rc-form button[type=submit]"),
        "Apply my change again"
    );
    click(root, ".rc-form button[type=submit]");
    until(root, "the change applied", || {
        exists(root, ".rc-callout.rc-ok")
    })
    .await;
    let held = api()
        .subscription(sub.subscription.id)
        .await
        .unwrap()
        .subscription;
    assert_eq!(
        (held.quantity, held.version),
        (mine, sub.subscription.version + 2)
    );
}

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
async fn flow_10_an_ended_session_asks_to_sign_in_and_returns_to_the_same_place() {
    let m = open("/e2e-10", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    open_customer(root, "Wingtip Toys").await;
    let here = pathname();
    // The session ends on the server (signed out elsewhere, or expired).
    api().sign_out().await.unwrap();
    // The next answer that says so brings the sign-in form, whichever page asked.
    click(root, ".rc-pane button.rc-primary");
    until(root, "the sign-in form after the session ended", || {
        exists(root, "#rc-email")
    })
    .await;
    sign_in(&m, ADMIN).await;
    until(root, "back on the order form", || {
        exists(root, ".rc-order select")
    })
    .await;
    assert!(pathname().starts_with(&here), "{} after {here}", pathname());
}

/// A unique suffix for what a flow creates, so flows can run again on the same database.
fn unique() -> String {
    format!("{}", js_sys::Date::now() as u64)
}

#[wasm_bindgen_test]
async fn flow_11_an_admin_adds_a_helpdesk_agent_who_changes_seats_but_cannot_order() {
    signed_in_api(ADMIN).await;
    let customer = "Contoso Ltd";
    let contoso = api()
        .customers(customer, 1, 5)
        .await
        .unwrap()
        .items
        .remove(0);
    let sub = api()
        .customer_subscriptions(contoso.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| {
            s.subscription.channel == Channel::Partner && s.subscription.status == Status::Active
        })
        .expect("Contoso has an active partner subscription");
    let m = open("/e2e-team", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    click(root, ".rc-nav a[href$=\"/team\"]");
    until(root, "the Team page", || {
        exists(root, "#rc-agent-email") && exists(root, ".rc-team-table tbody tr")
    })
    .await;
    assert!(shown(root).contains("Giulia Rossi"));
    let email = format!("nina-{}@northwind.example", unique());
    type_into(root, "#rc-agent-email", "nina@");
    until(root, "the e-mail rule", || {
        text(root, "#rc-agent-email-message").contains("is not an e-mail address")
    })
    .await;
    type_into(root, "#rc-agent-email", &email);
    type_into(root, "#rc-agent-name", "Nina Ferri");
    choose(root, "#rc-agent-role", "helpdesk");
    click(root, ".rc-add-agent button[type=submit]");
    until(root, "the one-time password", || {
        exists(root, ".rc-one-time-password")
    })
    .await;
    let password = text(root, ".rc-one-time-password");
    assert!(password.chars().count() >= 12, "{password}");
    until(root, "the new agent in the table", || {
        exists(root, &format!(".rc-team-table tr[data-email=\"{email}\"]"))
    })
    .await;
    assert!(
        text(root, ".rc-team-events").contains(&format!("{ADMIN} added {email} as Helpdesk agent"))
    );
    // Choosing a role saves nothing by itself (on a closed select an arrow key chooses): the
    // row's own button does.
    let row = format!(".rc-team-table tr[data-email=\"{email}\"]");
    let events_before = text(root, ".rc-team-events");
    let save = format!("{row} .rc-save-role");
    choose(root, &format!("{row} .rc-role"), "sales");
    until(root, "Save role to be enabled", || !disabled(root, &save)).await;
    choose(root, &format!("{row} .rc-role"), "helpdesk");
    until(root, "Save role disabled again", || disabled(root, &save)).await;
    assert_eq!(
        text(root, ".rc-team-events"),
        events_before,
        "nothing saved"
    );

    // Sign out, and in as Nina with the one-time password.
    click(root, ".rc-header > button");
    until(root, "the sign-in form", || exists(root, "#rc-email")).await;
    type_into(root, "#rc-email", &email);
    type_into(root, "#rc-password", &password);
    click(root, ".rc-sign-in button[type=submit]");
    // A one-time password: first, Nina chooses her own; nothing else is shown until then.
    until(root, "the first-password form", || {
        exists(root, ".rc-first-password")
    })
    .await;
    assert!(
        !exists(root, ".rc-table"),
        "no customers before a password of her own"
    );
    type_into(root, "#rc-current-password", &password);
    type_into(root, "#rc-new-password", "ninas-own-password");
    type_into(root, "#rc-repeat-password", "ninas-own-password");
    click(root, ".rc-order form button[type=submit]");
    until(root, "signed in as Nina", || {
        shown(root).contains("Helpdesk agent") && exists(root, ".rc-table tbody tr")
    })
    .await;
    assert!(
        !exists(root, ".rc-nav a[href$=\"/team\"]"),
        "no Team link for a helpdesk agent"
    );
    assert!(
        !exists(root, ".rc-add-customer"),
        "no Add customer for a helpdesk agent"
    );
    open_customer(root, customer).await;
    assert!(
        disabled(root, ".rc-pane .rc-primary"),
        "a helpdesk agent cannot order"
    );
    assert_eq!(
        text(root, "#rc-add-why"),
        "Your role (Helpdesk agent) cannot add customers or order subscriptions: ask an Admin agent or a Sales agent."
    );
    open_subscription(root, &sub).await;
    assert!(
        !disabled(root, ".rc-edit-quantity"),
        "a helpdesk agent changes seats"
    );
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    let new = sub.subscription.quantity + 1;
    type_into(root, "#rc-seats", &new.to_string());
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-form button[type=submit]")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the confirmation", || {
        exists(root, ".rc-callout.rc-ok")
    })
    .await;
    let events = api().events(sub.subscription.id).await.unwrap();
    assert_eq!(
        events.items.last().unwrap().agent_email,
        email,
        "the change is Nina's"
    );
}

#[wasm_bindgen_test]
async fn flow_12_add_customer_then_order_its_first_subscription() {
    let m = open("/e2e-new-customer", "/", None).await;
    let root = &m.root;
    sign_in(&m, "sales@northwind.example").await;
    until(root, "the customer list", || {
        exists(root, ".rc-add-customer")
    })
    .await;
    click(root, ".rc-add-customer");
    until(root, "the Add customer form", || exists(root, "#rc-domain")).await;
    let name = format!("Lamna Gliders {}", unique());
    let domain = format!("lamna{}.onmicrosoft.com", unique());
    type_into(root, "#rc-company", &name);
    type_into(root, "#rc-domain", "lamna gliders");
    until(root, "the domain rule", || {
        text(root, "#rc-domain-message").contains("only letters a–z, digits, hyphens and dots")
    })
    .await;
    // A domain another customer already has: the server says so, at the field.
    let taken = api()
        .customers("", 1, 1)
        .await
        .unwrap()
        .items
        .remove(0)
        .domain;
    type_into(root, "#rc-domain", &taken);
    click(root, ".rc-order form button[type=submit]");
    until(root, "the domain is taken", || {
        text(root, "#rc-domain-message").contains("already has the primary domain")
    })
    .await;
    type_into(root, "#rc-domain", &domain);
    click(root, ".rc-order form button[type=submit]");
    until(root, "the new customer's action pane", || {
        exists(root, ".rc-pane-title") && text(root, ".rc-pane-title").contains(&name)
    })
    .await;
    assert!(text(root, ".rc-pane").contains("No subscriptions yet."));
    assert!(text(root, ".rc-pane-domain").contains(&domain));
    click(root, ".rc-pane .rc-primary");
    until(root, "the order form", || exists(root, "#rc-offer")).await;
    choose(root, "#rc-offer", "m365-business-basic");
    type_into(root, "#rc-new-seats", "12");
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-order form button[type=submit]")
    })
    .await;
    click(root, ".rc-order form button[type=submit]");
    until(root, "the confirmation step", || exists(root, ".rc-finish")).await;
    click(root, ".rc-finish");
    until(root, "the list with the new subscription", || {
        exists(root, ".rc-sub-new")
    })
    .await;
    assert!(text(root, ".rc-sub-new").contains("Microsoft 365 Business Basic"));
    assert!(text(root, ".rc-pane-title").contains(&name));
}

/// A JSON Web Token as a partner portal's back end signs it: HS256 with the partner's key,
/// which `reseller-console partner embed-key` prints: HMAC-SHA256(master secret, partner id).
fn host_token(partner: &str, email: &str) -> String {
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

fn focused_id() -> String {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn focused_class() -> String {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.class_name())
        .unwrap_or_default()
}

/// Moves the server's subscription clock (a server started with `--unsafe-test-clock`).
async fn move_clock(body: serde_json::Value) {
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

#[wasm_bindgen_test]
async fn flow_14_seats_can_be_removed_for_seven_days_then_not() {
    signed_in_api(ADMIN).await;
    let start = (js_sys::Date::now() / 1000.0) as i64;
    move_clock(serde_json::json!({"now": shared::calendar::rfc3339(start)})).await;
    let customer = api()
        .customers("Coho Winery", 1, 5)
        .await
        .unwrap()
        .items
        .remove(0);
    let order = shared::api::NewSubscriptionRequest {
        offer_id: "m365-e3".into(),
        quantity: 10.into(),
    };
    let ordered = api()
        .order(customer.id, &frontend::api::new_idempotency_key(), &order)
        .await
        .unwrap();

    let m = subscription_page("/e2e-window", ADMIN, "Coho Winery", &ordered).await;
    let root = &m.root;
    assert!(
        text(root, ".rc-removable").starts_with("10 seats until"),
        "{}",
        text(root, ".rc-removable")
    );
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    type_into(root, "#rc-seats", "4");
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-form button[type=submit]")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the confirmation", || {
        exists(root, ".rc-callout.rc-ok")
    })
    .await;
    until(root, "4 seats still removable", || {
        text(root, ".rc-removable").starts_with("4 seats until")
    })
    .await;
    drop(m);

    // A week later (the clock moved, nobody slept): nothing can be removed, and the form says
    // so as the agent types, before any Submit.
    move_clock(serde_json::json!({"advance_seconds": 7 * 24 * 3600})).await;
    let m = subscription_page("/e2e-after-a-week", ADMIN, "Coho Winery", &ordered).await;
    let root = &m.root;
    assert_eq!(
        text(root, ".rc-removable"),
        "None: seats can be removed only within 7 days of being added."
    );
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    type_into(root, "#rc-seats", "3");
    until(root, "the window's refusal", || {
        text(root, "#rc-seats-message").contains("none can be now")
    })
    .await;
    assert!(disabled(root, ".rc-form button[type=submit]"));
    type_into(root, "#rc-seats", "6");
    until(root, "an increase is fine", || {
        text(root, "#rc-seats-message").is_empty()
    })
    .await;
    click(root, ".rc-form button[type=button]"); // Cancel
    // The auto-renew switch: one click, confirmed, recorded.
    assert_eq!(text(root, ".rc-auto-renew"), "Turn auto-renew off");
    click(root, ".rc-auto-renew");
    until(root, "auto-renew off", || {
        text(root, ".rc-auto-renew") == "Turn auto-renew on"
            && shown(root).contains("Saved: auto-renew is off")
    })
    .await;
    until(root, "the history entry", || {
        shown(root).contains("auto-renew off")
    })
    .await;
    move_clock(serde_json::json!({"reset": true})).await;
}

#[wasm_bindgen_test]
async fn flow_15_renewals_across_customers_and_a_calendar_file() {
    signed_in_api(ADMIN).await;
    let quarter = api().renewals(90).await.unwrap();
    let week = api().renewals(7).await.unwrap();
    let m = open("/e2e-renewals", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    click(root, ".rc-nav a[href$=\"/renewals\"]");
    until(root, "the Renewals page", || exists(root, ".rc-window")).await;
    click(root, ".rc-window:nth-child(3)"); // next 90 days
    until(root, "90 days of renewals", || {
        find_all(root, ".rc-renewal-table tbody tr").len() == quarter.len()
    })
    .await;
    assert!(
        find(root, ".rc-calendar")
            .get_attribute("href")
            .unwrap()
            .ends_with("/api/renewals.ics?days=90")
    );
    click(root, ".rc-window:nth-child(1)"); // next 7 days
    until(root, "7 days of renewals", || {
        find_all(root, ".rc-renewal-table tbody tr").len() == week.len()
            || (week.is_empty() && exists(root, ".rc-renewals .rc-empty"))
    })
    .await;
    assert_eq!(
        find(root, ".rc-window:nth-child(1)")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    // The count is said in a status region when the window changes.
    let said = match week.len() {
        1 => "1 term ends in the next 7 days.".to_owned(),
        n => format!("{n} terms end in the next 7 days."),
    };
    until(root, "the count of the week", || {
        text(root, ".rc-renewal-count") == said
    })
    .await;
    // Each row leads to its subscription.
    click(root, ".rc-window:nth-child(3)");
    until(root, "90 days again", || {
        exists(root, ".rc-renewal-table tbody tr a")
    })
    .await;
    let first = &quarter[0].subscription;
    click(root, ".rc-renewal-table tbody tr a");
    until(root, "the subscription's page", || {
        exists(root, ".rc-edit-quantity") && text(root, ".rc-title").contains(&first.offer_name)
    })
    .await;
}

#[wasm_bindgen_test]
async fn flow_16_a_decrease_too_late_is_scheduled_for_the_renewal_which_applies_it() {
    use shared::lifecycle::{first_term_end, term_over_at};
    signed_in_api(ADMIN).await;
    let start = (js_sys::Date::now() / 1000.0) as i64;
    move_clock(serde_json::json!({"now": shared::calendar::rfc3339(start)})).await;
    let customer = api()
        .customers("Fourth Coffee", 1, 5)
        .await
        .unwrap()
        .items
        .remove(0);
    let order = shared::api::NewSubscriptionRequest {
        offer_id: "exchange-online-plan-1".into(),
        quantity: 10.into(),
    };
    let ordered = api()
        .order(customer.id, &frontend::api::new_idempotency_key(), &order)
        .await
        .unwrap();
    let save_seats = |root: &HtmlElement, seats: &'static str| {
        let root = root.clone();
        async move {
            click(&root, ".rc-edit-quantity");
            until(&root, "the quantity form", || exists(&root, "#rc-seats")).await;
            type_into(&root, "#rc-seats", seats);
            until(&root, "Submit to be enabled", || {
                !disabled(&root, ".rc-form button[type=submit]")
            })
            .await;
            click(&root, ".rc-form button[type=submit]");
            until(&root, "the new seat count", || {
                text(&root, ".rc-seats-value").starts_with(seats)
            })
            .await;
        }
    };

    // Add seats, then take two back while their window is open.
    let m = subscription_page("/e2e-lifecycle", ADMIN, "Fourth Coffee", &ordered).await;
    let root = &m.root;
    save_seats(root, "14").await;
    save_seats(root, "12").await;
    assert!(
        text(root, ".rc-removable").contains("left"),
        "a live countdown"
    );
    drop(m);

    // A week later every window is closed: the decrease is refused as the agent types.
    move_clock(serde_json::json!({"advance_seconds": 7 * 24 * 3600})).await;
    let m = subscription_page("/e2e-lifecycle-late", ADMIN, "Fourth Coffee", &ordered).await;
    let root = &m.root;
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    type_into(root, "#rc-seats", "8");
    until(root, "the window's refusal", || {
        text(root, "#rc-seats-message").contains("schedule a lower count for the renewal")
    })
    .await;
    assert!(disabled(root, ".rc-form button[type=submit]"));
    click(root, ".rc-form button[type=button]"); // Cancel

    // So it is scheduled for the renewal instead, with its cost. The keyboard focus follows:
    // back to Edit quantity when its form closed, into the renewal form when it opens.
    until(root, "the focus back on Edit quantity", || {
        focused_class().contains("rc-edit-quantity")
    })
    .await;
    click(root, ".rc-manage-renewal");
    until(root, "the renewal form, focused", || {
        exists(root, "#rc-renewal-seats") && focused_id() == "rc-renewal-seats"
    })
    .await;
    type_into(root, "#rc-renewal-seats", "8");
    until(root, "the next term's cost", || {
        text(root, ".rc-form .rc-cost-preview").starts_with("8 seats, monthly")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the scheduled change", || {
        shown(root).contains("Saved: the change is scheduled for the renewal.")
            && text(root, ".rc-scheduled-value").starts_with("8 seats, monthly")
    })
    .await;
    drop(m);

    // The term ends: the renewal applies it, and says so in the history.
    let end = first_term_end(start, shared::model::Term::Monthly);
    move_clock(serde_json::json!({"now": shared::calendar::rfc3339(term_over_at(&end).unwrap())}))
        .await;
    let m = subscription_page("/e2e-lifecycle-renewed", ADMIN, "Fourth Coffee", &ordered).await;
    let root = &m.root;
    until(root, "8 seats after the renewal", || {
        text(root, ".rc-seats-value").starts_with('8')
            && text(root, ".rc-scheduled-value").starts_with("No change scheduled")
            && shown(root).contains("automatic renewal")
    })
    .await;
    let term = text(root, ".rc-term-value");
    assert!(
        term.starts_with("monthly, billed monthly · renews on"),
        "{term}"
    );
    move_clock(serde_json::json!({"reset": true})).await;
}

#[wasm_bindgen_test]
async fn flow_17_the_activity_log_and_the_exports() {
    signed_in_api(ADMIN).await;
    // A change to find: one seat more on a partner-bought subscription.
    let (customer, sub) = pick(Channel::Partner, Status::Active, 2).await;
    let s = &sub.subscription;
    let changed = api()
        .change_subscription(
            s.id,
            s.version,
            &ChangeSubscriptionRequest::quantity(s.quantity + 1),
        )
        .await
        .unwrap();
    let m = open("/e2e-activity", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    // The customer list links its exports, with the search typed.
    until(root, "the export links", || exists(root, ".rc-exports a")).await;
    let links: Vec<String> = find_all(root, ".rc-exports a")
        .iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect();
    assert!(links[0].ends_with("/api/customers.csv?q="), "{links:?}");
    assert!(links[1].ends_with("/api/subscriptions.csv"), "{links:?}");

    click(root, ".rc-nav a[href$=\"/activity\"]");
    until(root, "the activity log", || {
        exists(root, ".rc-activity-table tbody tr")
    })
    .await;
    // Newest first: the change just made, with its customer, offer and words.
    let first = find(root, ".rc-activity-table tbody tr");
    let row = first.text_content().unwrap_or_default();
    assert!(row.contains(&customer), "{row}");
    assert!(row.contains(&s.offer_name), "{row}");
    assert!(
        row.contains(&format!(
            "seats {} → {}",
            s.quantity, changed.subscription.quantity
        )),
        "{row}"
    );
    assert!(row.contains(ADMIN), "{row}");
    // One action only: the URL keeps the filter, and the rows are the server's.
    choose(root, ".rc-filters select", "status_changed");
    until(root, "the filter in the URL", || {
        window_location().contains("action=status_changed")
    })
    .await;
    let filtered = api()
        .activity(
            &shared::activity::ActivityQuery {
                action: Some("status_changed".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    until(root, "the status changes only", || {
        let rows = find_all(root, ".rc-activity-table tbody tr").len();
        rows == filtered.items.len()
            || (filtered.items.is_empty() && exists(root, ".rc-activity .rc-empty"))
    })
    .await;
    assert!(
        find(root, ".rc-activity .rc-button[download]")
            .get_attribute("href")
            .unwrap()
            .ends_with("/api/activity.csv?action=status_changed")
    );
    // Back to every action, then one customer's changes from its row.
    choose(root, ".rc-filters select", "");
    until(root, "every action again", || {
        !window_location().contains("action=")
            && exists(root, ".rc-activity-table tbody tr")
            && text(root, ".rc-activity-table tbody tr").contains(&customer)
    })
    .await;
    click(root, ".rc-activity-table tbody tr .rc-link");
    until(root, "one customer's changes", || {
        exists(root, ".rc-chip") && window_location().contains("customer=")
    })
    .await;
    assert!(text(root, ".rc-chip").contains(&customer));
    until(root, "rows of that customer", || {
        let rows = find_all(root, ".rc-activity-table tbody tr .rc-link");
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.text_content().unwrap_or_default() == customer)
    })
    .await;
    // A start after the end is refused as the server would, before asking it.
    type_into(root, ".rc-filters input[type=date]", "2999-01-01");
    // Applied on leaving the field (not at each part typed).
    fire(&find(root, ".rc-filters input[type=date]"), "blur");
    until(root, "the dates refused", || {
        exists(root, ".rc-activity [role=alert]")
            && text(root, ".rc-activity [role=alert]").contains("after")
    })
    .await;
}

fn window_location() -> String {
    web_sys::window()
        .unwrap()
        .location()
        .href()
        .unwrap_or_default()
}
