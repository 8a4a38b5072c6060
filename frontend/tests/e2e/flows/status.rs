//! Suspending and activating a subscription.

use crate::support::*;
use shared::model::{Channel, Status};
use wasm_bindgen_test::wasm_bindgen_test;

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
