//! What the server acknowledged is on disk: it survives a hard kill and a restart.

use reqwest::StatusCode;
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
