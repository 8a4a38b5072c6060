//! Orders of a connected partner, through the stand-in's cart and checkout: placed once
//! whatever the network does (a lost checkout answer is looked up, an expired cart replaced,
//! provisioning waited for), refusals that buy nothing, and waiting orders retried or
//! discarded. On the run's database, with the server's clock moved, never waited on.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::api::{
    ErrorCode, ItemList, MicrosoftQueue, OrderStage, PendingOrder, PendingState, SubscriptionView,
};
use shared::ids::CustomerId;
use shared::partner_center::MAX_ATTEMPTS;

use crate::partner_center::{Connected, connected};
use crate::partner_center_standin::*;
use crate::support::*;

/// Microsoft 365 Business Basic's catalog item, as Partner Center's price list names it.
pub const BASIC: &str = "CFQ7TTC0LH18:0001:CFQ7TTC0K59S";

/// A connected partner whose catalogue also holds an offer with a catalog item id, and the
/// customer to order for.
pub async fn with_catalog_offer() -> (Connected, CustomerId) {
    let c = connected().await;
    let file = c.db.dir.path().join("catalog.csv");
    std::fs::write(
        &file,
        format!("id,name,min seats,max seats,price per seat per month,currency,term,billing cycle\n{BASIC},Microsoft 365 Business Basic (new commerce),1,300,5.60,EUR,Annual,Monthly\n"),
    )
    .unwrap();
    c.rc_ok(&[
        "offers",
        "import",
        &file.display().to_string(),
        "--authorise",
        &c.partner,
    ])
    .await;
    let customer = c.admin.customers("per_page=1").await.items[0].id;
    (c, customer)
}

pub async fn order(
    c: &Connected,
    customer: CustomerId,
    key: &str,
    seats: u32,
) -> reqwest::Response {
    c.admin
        .order(
            &customer.to_string(),
            Some(key),
            json!({"offer_id": BASIC, "quantity": seats}),
        )
        .await
}

pub async fn waiting(c: &Connected, customer: CustomerId) -> Vec<PendingOrder> {
    c.admin
        .read::<ItemList<PendingOrder>>(&format!("/api/customers/{customer}/pending-orders"))
        .await
        .items
}

/// Moves the clock to `at` and waits (bounded) until the worker has had a go at the
/// customer's order `id`: it is gone from the waiting list, or its attempts grew.
pub async fn worker_goes_on(
    c: &Connected,
    customer: CustomerId,
    id: &str,
    at: i64,
) -> Option<PendingOrder> {
    let before = waiting(c, customer).await.into_iter().find(|o| o.id == id);
    c.admin.set_clock(at).await;
    for _ in 0..100 {
        let now = waiting(c, customer).await.into_iter().find(|o| o.id == id);
        match (&before, &now) {
            (_, None) => return None,
            (Some(b), Some(n)) if n.attempts != b.attempts || n.state != b.state => return now,
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    waiting(c, customer).await.into_iter().find(|o| o.id == id)
}

fn clock_of(view: &SubscriptionView) -> i64 {
    shared::calendar::parse_rfc3339(&view.as_of).unwrap()
}

#[tokio::test]
async fn an_order_is_one_cart_and_one_checkout_and_its_retry_the_same_order() {
    let (c, customer) = with_catalog_offer().await;
    let before = c.admin.subscriptions_of(customer).await.len();
    let res = order(&c, customer, "pc-order-once", 3).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let made: SubscriptionView = res.json().await.unwrap();
    assert_eq!(made.subscription.quantity, 3);
    assert!(made.pending_change.is_none());
    // Microsoft's subscription, under Microsoft's id: the next sync finds it in step.
    let theirs = c.standin.subscription(&made.subscription.id.to_string());
    assert_eq!(theirs["quantity"], 3);
    assert_eq!(
        made.subscription.commitment_end,
        theirs["commitmentEndDate"].as_str().unwrap()[..10]
    );
    assert_eq!(c.standin.lock().orders_placed, 1);
    {
        let inner = c.standin.lock();
        let cart = inner
            .received
            .iter()
            .find(|r| r.method == "POST" && r.path.ends_with("/carts"))
            .expect("a cart was created");
        assert!(cart.bearer.is_some() && cart.request_id.is_some());
        let line = &inner.carts.values().next().unwrap()["lineItems"][0];
        assert_eq!(line["catalogItemId"], BASIC);
        assert_eq!(line["termDuration"], "P1Y");
        assert_eq!(line["billingCycle"], "monthly");
    }
    let events = c.admin.events(made.subscription.id).await;
    assert_eq!(events.len(), 1);
    assert!(
        events[0]
            .source
            .as_deref()
            .unwrap_or_default()
            .starts_with("Partner Center, order "),
        "{:?}",
        events[0].source
    );
    assert_eq!(events[0].agent_email, ADMIN);
    // The same request again (a double click, a timeout): the same subscription, no order.
    let res = order(&c, customer, "pc-order-once", 3).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let again: SubscriptionView = res.json().await.unwrap();
    assert_eq!(again.subscription.id, made.subscription.id);
    assert_eq!(c.standin.lock().orders_placed, 1);
    // The key with another body is refused; nothing reaches Microsoft.
    let res = order(&c, customer, "pc-order-once", 4).await;
    expect_error(res, 422, ErrorCode::IdempotencyKeyReused).await;
    assert_eq!(c.admin.subscriptions_of(customer).await.len(), before + 1);
    let report = c.rc_ok(&["sync", "--partner", &c.partner]).await;
    assert!(report.contains(" 0 updated"), "{report}");
    // An offer without a catalog item id cannot be put in a cart: refused before any call.
    let carts = c.standin.calls("POST", "/carts");
    let demo = c
        .admin
        .subscriptions_of(customer)
        .await
        .into_iter()
        .map(|s| s.subscription.offer_id.0)
        .find(|o| o != BASIC)
        .expect("a demo offer");
    let res = c
        .admin
        .order(
            &customer.to_string(),
            Some("pc-order-demo"),
            json!({"offer_id": demo, "quantity": 1}),
        )
        .await;
    let body = expect_error(res, 422, ErrorCode::OrderNeedsPartnerCenter).await;
    assert_eq!(body.field.as_deref(), Some("offer_id"));
    assert!(body.message.contains("catalog item id"), "{}", body.message);
    assert_eq!(c.standin.calls("POST", "/carts"), carts);
}

#[tokio::test]
async fn a_lost_checkout_answer_is_looked_up_and_never_orders_twice() {
    let (c, customer) = with_catalog_offer().await;
    // The cart is made; the checkout is applied but its answer never comes.
    c.standin.fail_next(&[Fault::Pass, Fault::AppliedThenHang]);
    let res = order(&c, customer, "pc-order-lost", 2).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let pending: PendingOrder = res.json().await.unwrap();
    assert_eq!(pending.state, PendingState::Pending);
    assert_eq!(pending.stage, OrderStage::Checkout);
    assert_eq!(pending.attempts, 1);
    assert_eq!(c.standin.lock().orders_placed, 1);
    assert_eq!(waiting(&c, customer).await, vec![pending.clone()]);
    // A retry of the request while it waits: the same order, still waiting.
    let res = order(&c, customer, "pc-order-lost", 2).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert_eq!(res.json::<PendingOrder>().await.unwrap().id, pending.id);
    // The worker looks the cart up first, then reads the order: one order, one subscription.
    let at = shared::calendar::parse_rfc3339(&pending.next_attempt_at.clone().unwrap()).unwrap();
    assert!(
        worker_goes_on(&c, customer, &pending.id, at + 1)
            .await
            .is_none()
    );
    assert_eq!(c.standin.lock().orders_placed, 1);
    assert_eq!(
        c.standin.calls("GET", &format!("/carts/{}", cart_id(&c))),
        1
    );
    let res = order(&c, customer, "pc-order-lost", 2).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let made: SubscriptionView = res.json().await.unwrap();
    assert_eq!(made.subscription.quantity, 2);
    let theirs = c.standin.subscription(&made.subscription.id.to_string());
    assert_eq!(theirs["quantity"], 2);
    let same_offer = c
        .admin
        .subscriptions_of(customer)
        .await
        .into_iter()
        .filter(|s| s.subscription.offer_id.0 == BASIC)
        .count();
    assert_eq!(same_offer, 1, "ordered once here too");
}

fn cart_id(c: &Connected) -> String {
    c.standin.lock().carts.keys().next().cloned().unwrap()
}

#[tokio::test]
async fn an_expired_cart_is_replaced_and_provisioning_is_waited_for() {
    let (c, customer) = with_catalog_offer().await;
    // The checkout hangs (nothing ordered); the cart then expires.
    c.standin.fail_next(&[Fault::Pass, Fault::Hang]);
    let res = order(&c, customer, "pc-order-expired", 4).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let pending: PendingOrder = res.json().await.unwrap();
    assert_eq!(c.standin.lock().orders_placed, 0);
    c.standin.expire_carts();
    // Microsoft then takes two reads to provision the subscription.
    c.standin.lock().provisioning_reads = 1;
    let mut at =
        shared::calendar::parse_rfc3339(&pending.next_attempt_at.clone().unwrap()).unwrap() + 1;
    let now = worker_goes_on(&c, customer, &pending.id, at).await;
    let now = now.unwrap_or_else(|| panic!("the order is no longer waiting: {}", c.log()));
    assert_eq!(now.stage, OrderStage::Provisioning);
    assert!(
        now.last_error
            .as_deref()
            .unwrap()
            .contains("still creating"),
        "{now:?}"
    );
    assert_eq!(c.standin.lock().carts.len(), 1, "a new cart, ordered");
    assert_eq!(c.standin.lock().orders_placed, 1);
    at = shared::calendar::parse_rfc3339(&now.next_attempt_at.unwrap()).unwrap() + 1;
    assert!(
        worker_goes_on(&c, customer, &pending.id, at)
            .await
            .is_none()
    );
    let res = order(&c, customer, "pc-order-expired", 4).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        res.json::<SubscriptionView>()
            .await
            .unwrap()
            .subscription
            .quantity,
        4
    );
    assert_eq!(c.standin.lock().orders_placed, 1);
}

#[tokio::test]
async fn a_refused_order_buys_nothing_and_a_failed_one_is_retried_or_discarded() {
    let (c, customer) = with_catalog_offer().await;
    let before = c.admin.subscriptions_of(customer).await.len();
    c.standin.lock().max_order_quantity = Some(2);
    let res = order(&c, customer, "pc-order-refused", 3).await;
    let body = expect_error(res, 422, ErrorCode::InvalidQuantity).await;
    let theirs = body.partner_center.expect("Microsoft's words");
    assert_eq!(theirs.code, "800088");
    assert!(
        body.message.contains("Nothing was bought"),
        "{}",
        body.message
    );
    assert_eq!(c.admin.subscriptions_of(customer).await.len(), before);
    assert!(waiting(&c, customer).await.is_empty());
    // Asked again with its key: the same refusal, no second call.
    let checkouts = c.standin.calls("POST", "/checkout");
    let res = order(&c, customer, "pc-order-refused", 3).await;
    expect_error(res, 422, ErrorCode::PartnerCenterRefused).await;
    assert_eq!(c.standin.calls("POST", "/checkout"), checkouts);
    c.standin.lock().max_order_quantity = None;

    // Two orders Microsoft never answers: failed after the attempts run out.
    let mut at = 0;
    let mut ids = Vec::new();
    for key in ["pc-order-a", "pc-order-b"] {
        c.standin
            .fail_next(&vec![Fault::ServerError; MAX_ATTEMPTS as usize]);
        let res = order(&c, customer, key, 1).await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let mut now: PendingOrder = res.json().await.unwrap();
        assert_eq!(now.stage, OrderStage::Cart);
        if at == 0 {
            at = clock_of(&c.admin.subscriptions_of(customer).await[0]);
        }
        for _ in 1..MAX_ATTEMPTS {
            at += 3600;
            now = worker_goes_on(&c, customer, &now.id.clone(), at)
                .await
                .expect("waiting");
        }
        assert_eq!(now.state, PendingState::Failed);
        assert_eq!(now.attempts, MAX_ATTEMPTS);
        assert!(
            now.last_error.as_deref().unwrap().contains("HTTP 500"),
            "{now:?}"
        );
        ids.push(now.id);
    }
    assert_eq!(c.standin.lock().orders_placed, 0);
    assert_eq!(waiting(&c, customer).await.len(), 2);
    // The partner's queue: the refused order (for a week) and the two failed.
    let queue: MicrosoftQueue = c.admin.read("/api/partner-center/queue").await;
    let count = |state| {
        queue
            .orders
            .iter()
            .filter(|o| o.order.state == state)
            .count()
    };
    assert_eq!(queue.orders.len(), 3);
    assert_eq!(
        (count(PendingState::Refused), count(PendingState::Failed)),
        (1, 2)
    );
    let refused = queue
        .orders
        .iter()
        .find(|o| o.order.state == PendingState::Refused)
        .unwrap();
    assert_eq!(
        refused.offer_name,
        "Microsoft 365 Business Basic (new commerce)"
    );
    assert!(
        refused
            .order
            .last_error
            .as_deref()
            .unwrap()
            .contains("800088")
    );
    assert!(queue.changes.is_empty());
    let unconnected: MicrosoftQueue = c
        .server
        .sign_in(FABRIKAM)
        .await
        .read("/api/partner-center/queue")
        .await;
    assert_eq!(unconnected, MicrosoftQueue::default());
    // A read-only agent can neither retry nor discard.
    let reader = c.server.sign_in(READ_ONLY).await;
    let retry = |id: &str| format!("/api/customers/{customer}/pending-orders/{id}/retry");
    let res = reader.send(Method::POST, &retry(&ids[0]), |r| r).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The first is sent again (Microsoft answers now); the second given up.
    let res = c.admin.send(Method::POST, &retry(&ids[0]), |r| r).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let made: SubscriptionView = res.json().await.unwrap();
    assert_eq!(made.subscription.quantity, 1);
    assert_eq!(c.standin.lock().orders_placed, 1);
    let discard = format!("/api/customers/{customer}/pending-orders/{}", ids[1]);
    let res = c.admin.send(Method::DELETE, &discard, |r| r).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(waiting(&c, customer).await.is_empty());
    let res = c.admin.send(Method::DELETE, &discard, |r| r).await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    // The discarded key stays spent; another customer's id finds nothing.
    let res = order(&c, customer, "pc-order-b", 1).await;
    expect_error(res, 422, ErrorCode::IdempotencyKeyReused).await;
    let other = c.admin.customers("per_page=2").await.items[1].id;
    let res = c
        .admin
        .send(
            Method::POST,
            &format!("/api/customers/{other}/pending-orders/{}/retry", ids[0]),
            |r| r,
        )
        .await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    assert_eq!(c.admin.subscriptions_of(customer).await.len(), before + 1);
    assert!(!c.log().contains(APP_SECRET));
}
