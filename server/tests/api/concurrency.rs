//! Races: many requests at once must never lose or duplicate a write.

use std::collections::HashSet;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use shared::api::SubscriptionView;
use shared::model::{Channel, Status};
use tokio::task::JoinSet;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_orders_with_one_key_create_exactly_one_subscription() {
    let server = TestServer::start().await;
    let admin = Arc::new(server.sign_in(ADMIN).await);
    let customer = admin.customers("q=contoso").await.items[0].id.to_string();
    let before = admin.subscriptions_of(&customer).await.len();
    let mut tasks = JoinSet::new();
    for _ in 0..20 {
        let (admin, customer) = (admin.clone(), customer.clone());
        tasks.spawn(async move {
            let res = admin
                .order(
                    &customer,
                    Some("double-click"),
                    json!({"offer_id": "m365-business-standard", "quantity": 9}),
                )
                .await;
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<SubscriptionView>()
                .await
                .unwrap()
                .subscription
                .id
        });
    }
    let ids: HashSet<_> = tasks.join_all().await.into_iter().collect();
    assert_eq!(
        ids.len(),
        1,
        "every request answered with the same subscription"
    );
    let after = admin.subscriptions_of(&customer).await;
    assert_eq!(after.len(), before + 1, "exactly one subscription created");
    let id = *ids.iter().next().unwrap();
    assert_eq!(admin.events(id).await.len(), 1, "and one audit event");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_seat_changes_from_one_version_succeed_exactly_once() {
    let server = TestServer::start().await;
    let admin = Arc::new(server.sign_in(ADMIN).await);
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let start = sub.subscription.quantity;
    // Twenty different new values, all valid and all different from the current one.
    // Increases: a decrease would also meet the 7-day window, tested on its own.
    let values: Vec<u32> = (start + 1..=sub.subscription.max_quantity)
        .take(20)
        .collect();
    let sub = Arc::new(sub);
    let mut tasks = JoinSet::new();
    for q in values {
        let (admin, sub) = (admin.clone(), sub.clone());
        tasks.spawn(async move { (q, admin.patch(&sub, json!({"quantity": q})).await.status()) });
    }
    let results = tasks.join_all().await;
    let winners: Vec<u32> = results
        .iter()
        .filter(|(_, s)| *s == StatusCode::OK)
        .map(|(q, _)| *q)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one succeeds: {results:?}");
    assert!(
        results
            .iter()
            .all(|(_, s)| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{results:?}"
    );
    let now = admin.subscription(sub.subscription.id).await.subscription;
    assert_eq!(
        (now.quantity, now.version),
        (winners[0], sub.subscription.version + 1)
    );
    let events = admin.events(sub.subscription.id).await;
    assert_eq!(events.len(), 1, "one event, for the one change");
    assert_eq!(
        (
            events[0].before.as_ref().unwrap().quantity,
            events[0].after.quantity
        ),
        (start, winners[0])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_audit_trail_matches_the_successful_changes_exactly() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let mut sub = admin.find(Channel::Partner, Status::Active).await;
    let id = sub.subscription.id;
    let mut expected = Vec::new();
    let start = sub.subscription.quantity;
    let v: Vec<u32> = (start + 1..=sub.subscription.max_quantity)
        .take(3)
        .collect();
    // A mix of accepted and refused changes (0 seats, seats while suspended, suspending twice);
    // only the accepted ones may appear.
    let steps = [
        json!({"quantity": v[0]}),
        json!({"quantity": 0}),
        json!({"quantity": v[1]}),
        json!({"status": "suspended"}),
        json!({"quantity": v[2]}),
        json!({"status": "suspended"}),
        json!({"status": "active"}),
        json!({"quantity": v[0]}),
    ];
    for step in steps {
        let res = admin.patch(&sub, step.clone()).await;
        if res.status() == StatusCode::OK {
            let next: SubscriptionView = res.json().await.unwrap();
            expected.push((sub.subscription.snapshot(), next.subscription.snapshot()));
            sub = next;
        }
    }
    let events = admin.events(id).await;
    let recorded: Vec<_> = events
        .iter()
        .map(|e| (e.before.clone().unwrap(), e.after.clone()))
        .collect();
    assert_eq!(recorded, expected);
    assert_eq!(expected.len(), 5, "five accepted changes: {expected:?}");
    assert_eq!(sub.subscription.quantity, v[0]);
    assert!(events.iter().all(|e| e.agent_email == ADMIN));
    assert!(
        events
            .windows(2)
            .all(|w| w[0].id < w[1].id && w[0].at <= w[1].at),
        "in order"
    );
}
