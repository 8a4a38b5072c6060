//! What the server acknowledged is on disk: it survives a hard kill and a restart.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::api::{SessionInfo, SubscriptionView};
use shared::model::{Channel, Status};

use crate::support::*;

#[tokio::test]
async fn changes_orders_and_sessions_survive_a_killed_server() {
    let db = TestDb::new();
    let server = TestServer::start_on(&db, &[]).await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let q = sub.subscription.quantity + 1;
    let changed: SubscriptionView = admin
        .patch(&sub, json!({"quantity": q}))
        .await
        .json()
        .await
        .unwrap();
    let customer = sub.subscription.customer_id.to_string();
    let ordered = admin
        .order(
            &customer,
            Some("before-crash"),
            json!({"offer_id": "m365-e3", "quantity": 11}),
        )
        .await;
    assert_eq!(ordered.status(), StatusCode::CREATED);
    let ordered: SubscriptionView = ordered.json().await.unwrap();
    let cookie_jar_agent = admin; // keeps its session cookie across the restart
    server.kill().await;

    // Same file, started again (with --demo, which must not seed twice).
    let server = TestServer::start_on(&db, &[]).await;
    let agent = shared_agent(&server, cookie_jar_agent);
    let me: SessionInfo = agent.read("/api/session").await;
    assert_eq!(me.agent.email, ADMIN, "the session lives in the database");
    // The stored subscriptions (the views around them are made at each request's time).
    assert_eq!(
        agent.subscription(sub.subscription.id).await.subscription,
        changed.subscription
    );
    assert_eq!(
        agent
            .subscription(ordered.subscription.id)
            .await
            .subscription,
        ordered.subscription
    );
    assert_eq!(agent.events(sub.subscription.id).await.len(), 1);
    assert_eq!(
        agent.customers("").await.total,
        40,
        "demo data not added again"
    );
    // The order's key is remembered too: a retry after the crash orders nothing new.
    let retry = agent
        .order(
            &customer,
            Some("before-crash"),
            json!({"offer_id": "m365-e3", "quantity": 11}),
        )
        .await;
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(
        retry.json::<SubscriptionView>().await.unwrap().subscription,
        ordered.subscription
    );
}

/// Points an agent (and its cookies) at a restarted server's new port.
fn shared_agent(server: &TestServer, agent: Agent) -> Agent {
    Agent {
        client: agent.client,
        base: server.base.clone(),
    }
}

#[tokio::test]
async fn the_default_database_is_a_file_under_data_created_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(tmp.path(), &["--listen", "127.0.0.1:0", "--demo"]).await;
    assert!(tmp.path().join("data/reseller-console.db").is_file());
    assert_eq!(server.sign_in(FABRIKAM).await.customers("").await.total, 10);
}

/// A server killed while it applies renewals (kill -9, mid-run) and started again applies each
/// missed step exactly once: every step is one transaction with its audit event, guarded by
/// the subscription's version.
#[tokio::test]
async fn renewals_cut_short_by_a_kill_finish_once_after_a_restart() {
    let db = TestDb::new();
    let server = TestServer::start_on(&db, &["--unsafe-test-clock"]).await;
    let admin = server.sign_in(ADMIN).await;
    let before = admin.all_subscriptions().await;
    let start = shared::calendar::parse_rfc3339(&before[0].as_of).unwrap();
    let target = start + 2 * 365 * 86_400;
    // The run takes subscriptions in end-date order: the first one's events show it has begun,
    // with nearly all of it still to do.
    let monthly = before
        .iter()
        .filter(|s| s.subscription.status.is_live())
        .min_by_key(|s| s.subscription.commitment_end.clone())
        .expect("demo data has live subscriptions")
        .subscription
        .id;
    let first_events = admin.events(monthly).await.len();
    let mover = Agent {
        client: admin.client.clone(),
        base: admin.base.clone(),
    };
    let run = tokio::spawn(async move {
        let _ = mover
            .send(Method::POST, "/api/test/clock", |r| {
                r.json(&json!({"now": shared::calendar::rfc3339(target)}))
            })
            .await;
    });
    // Killed as soon as some steps are in, while the rest are still being applied.
    while admin.events(monthly).await.len() == first_events {
        tokio::task::yield_now().await;
    }
    server.kill().await;
    let _ = run.await;

    let server = TestServer::start_on(&db, &["--unsafe-test-clock"]).await;
    let admin = server.sign_in(ADMIN).await;
    let rest = admin.set_clock(target).await;
    assert!(
        rest > 0,
        "the kill cut the run short: the restarted server finished it"
    );
    assert_eq!(admin.set_clock(target).await, 0, "nothing left to apply");
    for sub in &before {
        let events = admin.events(sub.subscription.id).await;
        // An unbroken chain: each event starts where the one before ended.
        for pair in events.windows(2) {
            assert_eq!(pair[1].before.as_ref(), Some(&pair[0].after), "{pair:?}");
        }
        let by_renewal: Vec<&str> = events
            .iter()
            .filter(|e| e.agent_email == shared::api::RENEWAL_ACTOR)
            .map(|e| e.at.as_str())
            .collect();
        let unique: std::collections::HashSet<&str> = by_renewal.iter().copied().collect();
        assert_eq!(
            unique.len(),
            by_renewal.len(),
            "each step once: {by_renewal:?}"
        );
        let now = admin.subscription(sub.subscription.id).await.subscription;
        assert_eq!(
            now.version,
            sub.subscription.version + by_renewal.len() as u64
        );
        if now.status == Status::Active {
            let target_day = shared::calendar::rfc3339(target)[..10].to_owned();
            assert!(now.commitment_end >= target_day, "caught up: {now:?}");
        }
    }
}
