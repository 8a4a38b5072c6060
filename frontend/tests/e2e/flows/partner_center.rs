//! A partner connected to Partner Center (Fabrikam, connected by `scripts/test` to the
//! stand-in of the HTTP tests): a seat change that Microsoft does not answer at first shows
//! "Waiting for Microsoft", then, once the worker's retry is answered, the new seats.

use crate::support::*;
use shared::model::{Channel, Status};
use wasm_bindgen_test::wasm_bindgen_test;

const FABRIKAM_ADMIN: &str = "admin@fabrikam.example";

fn standin() -> &'static str {
    match option_env!("RC_E2E_STANDIN") {
        Some(url) => url,
        None => panic!(
            "RC_E2E_STANDIN names the Partner Center stand-in: run these tests with scripts/test"
        ),
    }
}

async fn post(path: &str, body: serde_json::Value) {
    let res = gloo_net::http::Request::post(&format!("{}{path}", standin()))
        .json(&body)
        .unwrap()
        .send()
        .await
        .expect("the stand-in answers");
    assert_eq!(res.status(), 204, "{path}");
}

#[wasm_bindgen_test]
async fn flow_19_a_seat_change_waits_for_microsoft_then_is_done() {
    signed_in_api(FABRIKAM_ADMIN).await;
    // The stand-in starts in step with the console: Fabrikam's customers and subscriptions.
    let mut held = Vec::new();
    let mut chosen = None;
    for c in api().customers("", 1, 100).await.unwrap().items {
        let subs = api().customer_subscriptions(c.id).await.unwrap();
        if chosen.is_none() {
            chosen = subs
                .iter()
                .find(|s| {
                    s.subscription.channel == Channel::Partner
                        && s.subscription.status == Status::Active
                        && s.subscription.quantity < s.subscription.max_quantity
                })
                .map(|s| (c.name.clone(), s.clone()));
        }
        let subs: Vec<_> = subs.into_iter().map(|s| s.subscription).collect();
        held.push(serde_json::json!([c, subs]));
    }
    post("/_standin/mirror", serde_json::Value::Array(held)).await;
    let (customer, sub) = chosen.expect("Fabrikam has an active subscription with room for a seat");
    // Partner Center's first answer is a 500.
    post("/_standin/faults", serde_json::json!(["server_error"])).await;

    let m = subscription_page("/e2e-19", FABRIKAM_ADMIN, &customer, &sub).await;
    let root = &m.root;
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    let (before, new) = (sub.subscription.quantity, sub.subscription.quantity + 1);
    type_into(root, "#rc-seats", &new.to_string());
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-form button[type=submit]")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the change waiting for Microsoft", || {
        exists(root, ".rc-pending") && text(root, ".rc-pending").contains("Waiting for Microsoft")
    })
    .await;
    let waiting = text(root, ".rc-pending");
    assert!(
        waiting.contains(&format!("seats {before} → {new}")),
        "{waiting}"
    );
    assert!(waiting.contains("Attempts so far: 1"), "{waiting}");
    assert!(waiting.contains("HTTP 500"), "{waiting}");
    assert!(text(root, ".rc-callout.rc-ok").contains("Sent to Microsoft"));
    assert!(
        text(root, ".rc-seats-value").starts_with(&before.to_string()),
        "unchanged until Microsoft answers"
    );
    assert!(
        disabled(root, ".rc-edit-quantity"),
        "no other change meanwhile"
    );
    let held = api().subscription(sub.subscription.id).await.unwrap();
    assert!(held.pending_change.is_some());

    // The retry is due after 30 s: the server's clock moves there, the worker sends it, and the
    // page (which reads a waiting subscription again every few seconds) shows the answer.
    move_clock(serde_json::json!({"advance_seconds": 31})).await;
    for _ in 0..3 {
        if !exists(root, ".rc-pending") {
            break;
        }
        sleep(5_000).await;
    }
    until(root, "Microsoft's confirmation", || {
        !exists(root, ".rc-pending") && text(root, ".rc-seats-value").starts_with(&new.to_string())
    })
    .await;
    assert!(text(root, ".rc-callout.rc-ok").contains("Partner Center confirmed"));
    assert!(!disabled(root, ".rc-edit-quantity"));
    let res = gloo_net::http::Request::get(&format!(
        "{}/_standin/subscriptions/{}",
        standin(),
        sub.subscription.id
    ))
    .send()
    .await
    .unwrap();
    let at_microsoft: serde_json::Value = res.json().await.unwrap();
    assert_eq!(at_microsoft["subscription"]["quantity"], new);
    assert_eq!(at_microsoft["applied"], 1, "applied once");
    move_clock(serde_json::json!({"reset": true})).await;
}

#[wasm_bindgen_test]
async fn flow_20_an_order_waits_for_microsoft_then_joins_the_list() {
    signed_in_api(FABRIKAM_ADMIN).await;
    let customers = api().customers("", 1, 100).await.unwrap().items;
    // The stand-in knows Fabrikam's customers (a cart is for a customer Microsoft knows).
    let held: Vec<_> = customers
        .iter()
        .map(|c| serde_json::json!([c, []]))
        .collect();
    post("/_standin/mirror", serde_json::Value::Array(held)).await;
    let customer = customers.last().expect("Fabrikam has customers").clone();
    let before = api()
        .customer_subscriptions(customer.id)
        .await
        .unwrap()
        .len();
    // The cart is made; Microsoft's first checkout answer is a 500 (nothing ordered).
    post(
        "/_standin/faults",
        serde_json::json!(["pass", "server_error"]),
    )
    .await;

    let m = open("/e2e-20", "/", None).await;
    let root = &m.root;
    sign_in(&m, FABRIKAM_ADMIN).await;
    open_customer(root, &customer.name).await;
    click(root, ".rc-pane .rc-primary");
    until(root, "the order form", || exists(root, "#rc-offer")).await;
    choose(root, "#rc-offer", "CFQ7TTC0LH18:0001:CFQ7TTC0K59S");
    type_into(root, "#rc-new-seats", "2");
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-order form button[type=submit]")
    })
    .await;
    click(root, ".rc-order form button[type=submit]");
    until(root, "the confirmation step", || exists(root, ".rc-finish")).await;
    click(root, ".rc-finish");
    until(root, "the order waiting for Microsoft", || {
        exists(root, ".rc-pending-orders")
    })
    .await;
    let waiting = text(root, ".rc-pending-orders");
    assert!(
        waiting.contains("Waiting for Microsoft: 2 × Microsoft 365 Business Basic (new commerce)"),
        "{waiting}"
    );
    assert!(waiting.contains("not ordered yet"), "{waiting}");
    assert!(waiting.contains("HTTP 500"), "{waiting}");
    assert!(text(root, ".rc-order-message").contains("Sent to Microsoft"));
    assert!(
        exists(root, "#rc-offer"),
        "the form is ready for another order"
    );
    assert_eq!(
        api()
            .customer_subscriptions(customer.id)
            .await
            .unwrap()
            .len(),
        before,
        "nothing here until Microsoft has created it"
    );

    // The Activity page lists it under "Waiting for Microsoft".
    let queue = api().microsoft_queue().await.unwrap();
    assert!(
        queue
            .orders
            .iter()
            .any(|o| o.customer_name == customer.name && o.order.quantity == 2),
        "{queue:?}"
    );

    // The retry is due after 30 s: the worker sends it; the page reads the list again.
    move_clock(serde_json::json!({"advance_seconds": 31})).await;
    for _ in 0..3 {
        if !exists(root, ".rc-pending-orders") {
            break;
        }
        sleep(5_000).await;
    }
    until(root, "Microsoft's answer", || {
        !exists(root, ".rc-pending-orders")
    })
    .await;
    assert!(text(root, ".rc-order-message").contains("Partner Center answered"));
    let now = api().customer_subscriptions(customer.id).await.unwrap();
    assert_eq!(now.len(), before + 1);
    let made = now
        .iter()
        .find(|s| s.subscription.offer_id.0 == "CFQ7TTC0LH18:0001:CFQ7TTC0K59S")
        .expect("the ordered subscription");
    assert_eq!(made.subscription.quantity, 2);
    let res = gloo_net::http::Request::get(&format!(
        "{}/_standin/subscriptions/{}",
        standin(),
        made.subscription.id
    ))
    .send()
    .await
    .unwrap();
    let at_microsoft: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        at_microsoft["subscription"]["quantity"], 2,
        "Microsoft's own"
    );
    move_clock(serde_json::json!({"reset": true})).await;
}
