//! The store itself, without HTTP: each test runs on a SQLite file and on a PostgreSQL database
//! of its own, through the same `Store` traits the use cases call.

use std::sync::Arc;
use std::time::Duration;

use server::store::{
    self, IdempotencyClaim, NewEvent, NewSubscription, OrderOutcome, Seed, Store, UpdateOutcome,
};
use shared::api::EventAction;
use shared::ids::SubscriptionId;
use shared::model::{Channel, Status, Subscription};
use shared::reduction_window::SeatBatch;

const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

/// A database for one test: a SQLite file in a temporary folder, or a new PostgreSQL
/// database, dropped again at the end.
enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl TestDb {
    fn url(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}", dir.path().join("store.db").display()),
            TestDb::Postgres(name) => format!("{POSTGRES}/{name}"),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres(name) = self {
            psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

fn psql(statement: &str) {
    let out = std::process::Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres"])
        .args(["-v", "ON_ERROR_STOP=1", "-c", statement])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "PostgreSQL on 127.0.0.1:5432 must be reachable; {statement:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo data, once per test binary (its passwords are hashed slowly on purpose).
fn demo() -> &'static Seed {
    static SEED: std::sync::OnceLock<Seed> = std::sync::OnceLock::new();
    SEED.get_or_init(server::demo::seed)
}

/// Both databases, each seeded with the demo data.
async fn stores() -> Vec<(TestDb, Arc<dyn Store>)> {
    let name = format!("rc_store_{}", uuid::Uuid::new_v4().simple());
    psql(&format!("CREATE DATABASE {name}"));
    let dbs = [
        TestDb::Sqlite(tempfile::tempdir().expect("temp dir")),
        TestDb::Postgres(name),
    ];
    let mut stores = Vec::new();
    for db in dbs {
        let store = store::connect(&db.url(), Duration::from_secs(10))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.url()));
        assert!(store.is_empty().await.unwrap());
        store.seed(demo()).await.unwrap();
        assert!(!store.is_empty().await.unwrap());
        stores.push((db, store));
    }
    stores
}

/// The first partner-bought active subscription of the first partner of the demo data.
fn a_subscription() -> (shared::ids::PartnerId, &'static NewSubscription) {
    let partner = &demo().partners[0];
    let sub = partner
        .customers
        .iter()
        .flat_map(|c| &c.subscriptions)
        .find(|s| s.channel == Channel::Partner && s.status == Status::Active)
        .expect("the demo has an active partner-bought subscription");
    (partner.id, sub)
}

fn event(sub: &Subscription, quantity: u32) -> NewEvent {
    let mut after = sub.snapshot();
    after.quantity = quantity;
    NewEvent {
        agent_id: None,
        agent_email: "store test".into(),
        at: "2026-12-02T12:00:00Z".into(),
        action: EventAction::QuantityChanged,
        before: Some(sub.snapshot()),
        after,
        source: None,
        refund_cents: None,
    }
}

#[tokio::test]
async fn a_change_at_a_stale_version_is_refused_and_writes_nothing() {
    let (partner, seeded) = a_subscription();
    for (db, store) in stores().await {
        let url = db.url();
        let sub = store
            .subscription(partner, seeded.id)
            .await
            .unwrap()
            .unwrap();
        let events = store
            .subscription_events(partner, sub.id, None)
            .await
            .unwrap()
            .items
            .len();
        let change = event(&sub, sub.quantity + 1);
        let stale = store
            .update_subscription(
                partner,
                sub.id,
                sub.version + 1,
                change.after.clone(),
                sub.seat_batches.clone(),
                change,
            )
            .await
            .unwrap();
        let UpdateOutcome::Conflict(current) = stale else {
            panic!("{url}: a stale version was written");
        };
        assert_eq!(current.version, sub.version, "{url}");
        assert_eq!(current.quantity, sub.quantity, "{url}");

        let change = event(&sub, sub.quantity + 1);
        let mut batches = sub.seat_batches.clone();
        batches.push(SeatBatch {
            quantity: 1,
            added_at: 1_796_212_800,
        });
        let written = store
            .update_subscription(
                partner,
                sub.id,
                sub.version,
                change.after.clone(),
                batches,
                change,
            )
            .await
            .unwrap();
        let UpdateOutcome::Updated(updated) = written else {
            panic!("{url}: the current version was not written");
        };
        assert_eq!(updated.version, sub.version + 1, "{url}");
        assert_eq!(updated.quantity, sub.quantity + 1, "{url}");
        let after = store
            .subscription_events(partner, sub.id, None)
            .await
            .unwrap();
        assert_eq!(
            after.items.len(),
            events + 1,
            "{url}: one event with the change"
        );
    }
}

#[tokio::test]
async fn another_partners_rows_are_not_there() {
    let (northwind, seeded) = a_subscription();
    let other = demo().partners[1].id;
    assert_ne!(other, northwind);
    for (db, store) in stores().await {
        let url = db.url();
        assert!(
            store
                .subscription(other, seeded.id)
                .await
                .unwrap()
                .is_none(),
            "{url}"
        );
        assert!(
            store
                .customer(other, seeded.customer_id)
                .await
                .unwrap()
                .is_none(),
            "{url}"
        );
        assert!(
            store
                .customer(northwind, seeded.customer_id)
                .await
                .unwrap()
                .is_some(),
            "{url}"
        );
        let sub = store
            .subscription(northwind, seeded.id)
            .await
            .unwrap()
            .unwrap();
        let change = event(&sub, sub.quantity + 1);
        let written = store
            .update_subscription(
                other,
                sub.id,
                sub.version,
                change.after.clone(),
                vec![],
                change,
            )
            .await
            .unwrap();
        assert!(matches!(written, UpdateOutcome::NotFound), "{url}");
    }
}

#[tokio::test]
async fn an_order_key_stands_for_one_order() {
    let (partner, seeded) = a_subscription();
    for (db, store) in stores().await {
        let url = db.url();
        let new = |id| NewSubscription {
            id,
            customer_id: seeded.customer_id,
            offer_id: seeded.offer_id.clone(),
            quantity: 3,
            status: Status::Active,
            channel: Channel::Partner,
            auto_renew: true,
            created_at: "2026-12-02T12:00:00Z".into(),
            commitment_end: "2027-12-01".into(),
            seat_batches: vec![SeatBatch {
                quantity: 3,
                added_at: 1_796_212_800,
            }],
            scheduled: None,
            ordered_here: true,
        };
        let claim = |fingerprint: &str| IdempotencyClaim {
            key: "order-1".into(),
            fingerprint: fingerprint.into(),
        };
        let created = |sub: &NewSubscription| NewEvent {
            agent_id: None,
            agent_email: "store test".into(),
            at: sub.created_at.clone(),
            action: EventAction::Created,
            before: None,
            after: shared::model::SubscriptionSnapshot {
                quantity: sub.quantity,
                status: sub.status,
                auto_renew: sub.auto_renew,
                commitment_end: Some(sub.commitment_end.clone()),
                term: None,
                scheduled: None,
            },
            source: None,
            refund_cents: None,
        };
        let first = new(SubscriptionId(uuid::Uuid::new_v4()));
        let event = created(&first);
        let OrderOutcome::Created(made) = store
            .create_subscription(partner, first, claim("3 seats"), event)
            .await
            .unwrap()
        else {
            panic!("{url}: the first order was not created");
        };
        // A retry (a new id, as a new request would make) answers the first subscription.
        let retry = new(SubscriptionId(uuid::Uuid::new_v4()));
        let event = created(&retry);
        let OrderOutcome::Replayed(again) = store
            .create_subscription(partner, retry, claim("3 seats"), event)
            .await
            .unwrap()
        else {
            panic!("{url}: a retry made a second order");
        };
        assert_eq!(again.id, made.id, "{url}");
        let other = new(SubscriptionId(uuid::Uuid::new_v4()));
        let event = created(&other);
        let reused = store
            .create_subscription(partner, other, claim("5 seats"), event)
            .await
            .unwrap();
        assert!(matches!(reused, OrderOutcome::KeyReused), "{url}");
        let theirs = store
            .customer_subscriptions(partner, seeded.customer_id)
            .await
            .unwrap();
        assert_eq!(
            theirs.iter().filter(|s| s.id == made.id).count(),
            1,
            "{url}: one subscription for the key"
        );
    }
}
