//! A change met by another agent's: the conflict, then applying it again.

use crate::support::*;
use shared::api::ChangeSubscriptionRequest;
use shared::model::{Channel, Status};
use wasm_bindgen_test::wasm_bindgen_test;

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
