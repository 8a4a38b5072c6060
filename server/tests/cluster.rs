//! Two server processes on one PostgreSQL database, as behind a load balancer: sessions are
//! shared, and no write is lost or duplicated when requests race across both.

// Shared with the HTTP suite; this binary uses part of it.
#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;

use std::collections::HashSet;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use shared::api::{EventAction, SessionInfo, SubscriptionView};
use shared::model::{Channel, Status};
use support::*;
use tokio::task::JoinSet;

/// Two processes on one fresh database, and the same signed-in browser pointed at each.
async fn two_processes() -> (TestServer, TestServer, Arc<Agent>, Arc<Agent>) {
    let db = TestDb::postgres();
    let a = TestServer::start_on(&db, &[]).await;
    let b = TestServer::start_on(&db, &[]).await;
    let on_a = a.sign_in(ADMIN).await;
    // The same cookie jar, talking to the other process.
    let on_b = Agent {
        client: on_a.client.clone(),
        base: b.base.clone(),
    };
    (a, b, Arc::new(on_a), Arc::new(on_b))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_signed_in_on_one_process_works_on_the_other() {
    let (_a, b, _on_a, on_b) = two_processes().await;
    let me: SessionInfo = on_b.read("/api/session").await;
    assert_eq!(me.agent.email, ADMIN);
    assert_eq!(on_b.customers("").await.total, 40, "seeded once, not twice");
    // Signing out on B ends the session for A too.
    let _ = on_b
        .send(reqwest::Method::DELETE, "/api/session", |r| r)
        .await;
    let on_a = Agent {
        client: on_b.client.clone(),
        base: _a.base.clone(),
    };
    assert_eq!(
        on_a.get("/api/session").await.status(),
        StatusCode::NO_CONTENT,
        "no one is signed in on A either"
    );
    assert_eq!(
        on_a.get("/api/offers").await.status(),
        StatusCode::UNAUTHORIZED
    );
    drop(b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_seat_changes_across_two_processes_succeed_exactly_once() {
    let (_a, _b, on_a, on_b) = two_processes().await;
    let sub = Arc::new(on_a.find(Channel::Partner, Status::Active).await);
    let start = sub.subscription.quantity;
    // Increases: decreases also meet the 7-day window (tested on its own).
    let values: Vec<u32> = (start + 1..=sub.subscription.max_quantity)
        .take(20)
        .collect();
    let mut tasks = JoinSet::new();
    for (i, q) in values.into_iter().enumerate() {
        let (agent, sub) = (
            if i % 2 == 0 {
                on_a.clone()
            } else {
                on_b.clone()
            },
            sub.clone(),
        );
        tasks.spawn(async move { (q, agent.patch(&sub, json!({"quantity": q})).await.status()) });
    }
    let results = tasks.join_all().await;
    let winners: Vec<u32> = results
        .iter()
        .filter(|(_, s)| *s == StatusCode::OK)
        .map(|(q, _)| *q)
        .collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|(_, s)| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{results:?}"
    );
    for agent in [&on_a, &on_b] {
        let now = agent.subscription(sub.subscription.id).await.subscription;
        assert_eq!(
            (now.quantity, now.version),
            (winners[0], sub.subscription.version + 1)
        );
        let events = agent.events(sub.subscription.id).await;
        assert_eq!(events.len(), 1, "one audit event, seen by both processes");
        assert_eq!(
            (
                events[0].before.as_ref().unwrap().quantity,
                events[0].after.quantity
            ),
            (start, winners[0])
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_orders_with_one_key_across_two_processes_create_one_subscription() {
    let (_a, _b, on_a, on_b) = two_processes().await;
    let customer = on_a.customers("q=contoso").await.items[0].id.to_string();
    let before = on_a.subscriptions_of(&customer).await.len();
    let mut tasks = JoinSet::new();
    for i in 0..20 {
        let (agent, customer) = (
            if i % 2 == 0 {
                on_a.clone()
            } else {
                on_b.clone()
            },
            customer.clone(),
        );
        tasks.spawn(async move {
            let res = agent
                .order(
                    &customer,
                    Some("retry-storm"),
                    json!({"offer_id": "m365-e3", "quantity": 12}),
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
    assert_eq!(ids.len(), 1, "every answer names the same subscription");
    let id = *ids.iter().next().unwrap();
    for agent in [&on_a, &on_b] {
        assert_eq!(
            agent.subscriptions_of(&customer).await.len(),
            before + 1,
            "exactly one created"
        );
        let events = agent.events(id).await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, EventAction::Created);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_racing_the_same_renewals_apply_each_once() {
    let db = TestDb::postgres();
    let a = TestServer::start_on(&db, &["--unsafe-test-clock"]).await;
    let b = TestServer::start_on(&db, &["--unsafe-test-clock"]).await;
    let on_a = a.sign_in(ADMIN).await;
    let on_b = b.sign_in(ADMIN).await;
    let before = on_a.all_subscriptions().await;
    // Both clocks jump 14 months ahead at once: every live term of the partner ends at least
    // once, and both processes try every step.
    let later = shared::calendar::parse_rfc3339(&before[0].as_of).unwrap() + 425 * 86_400;
    let (from_a, from_b) = tokio::join!(on_a.set_clock(later), on_b.set_clock(later));
    let mut steps = 0;
    for sub in &before {
        let events = on_a.events(sub.subscription.id).await;
        let by_renewal: Vec<&str> = events
            .iter()
            .filter(|e| e.agent_email == shared::api::RENEWAL_ACTOR)
            .map(|e| e.at.as_str())
            .collect();
        let unique: HashSet<&str> = by_renewal.iter().copied().collect();
        assert_eq!(
            unique.len(),
            by_renewal.len(),
            "each step once: {by_renewal:?}"
        );
        // One version per step (agents changed nothing here).
        let now = on_a.subscription(sub.subscription.id).await.subscription;
        assert_eq!(
            now.version,
            sub.subscription.version + by_renewal.len() as u64,
            "{by_renewal:?}"
        );
        if sub.subscription.status.is_live() && sub.subscription.channel == Channel::Partner {
            assert!(
                !by_renewal.is_empty(),
                "a 14-month jump ends every live term"
            );
        }
        steps += by_renewal.len();
    }
    // The requests applied steps (the minute's task may have taken some too).
    assert!(
        from_a + from_b > 0 && steps > 0,
        "{from_a} + {from_b}, {steps}"
    );
}
