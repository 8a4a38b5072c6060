//! The Partner Center connector against the stand-in (`partner_center_standin`): connecting,
//! changes made at Microsoft first and exactly once whatever the network does, refusals that
//! change nothing, retries and discards, and syncs that bring Partner Center's own changes in.
//! Each on the run's database (SQLite, or PostgreSQL with RC_TEST_DATABASE=postgres), with a
//! server process of its own (its log is read for secrets) and its clock moved, never waited on.

use std::process::Output;

use std::sync::Arc;
use std::time::Duration;
use tokio::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::api::{ErrorCode, PendingState, SessionInfo, SubscriptionView};
use shared::model::{Channel, Status};
use shared::partner_center::MAX_ATTEMPTS;

use crate::partner_center_standin::*;
use crate::support::*;

const BINARY: &str = env!("CARGO_BIN_EXE_reseller-console");

pub struct Connected {
    pub standin: StandIn,
    pub db: Arc<TestDb>,
    pub server: TestServer,
    pub admin: Agent,
    pub partner: String,
    pub key_file: String,
}

impl Connected {
    /// `reseller-console ARGS` on the test's database, with the connector's flags.
    /// (Async: the stand-in answers on this test's runtime meanwhile.)
    pub async fn rc(&self, args: &[&str]) -> Output {
        let mut all = vec![
            "--secret-key-file",
            &self.key_file,
            "--partner-center-api",
            &self.standin.base,
            "--partner-center-login",
            &self.standin.base,
        ];
        all.extend_from_slice(args);
        Command::new(BINARY)
            .args(&all)
            .env("RC_DATABASE_URL", &self.db.url)
            .env("RUST_LOG", "info")
            .current_dir(self.db.dir.path())
            .output()
            .await
            .expect("binary runs")
    }

    pub async fn rc_ok(&self, args: &[&str]) -> String {
        let out = self.rc(args).await;
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
        assert!(!stdout.contains(APP_SECRET) && !stderr.contains(APP_SECRET));
        stdout
    }

    /// A live, partner-bought subscription with at least `seats` seats and a window open for
    /// `seats` of them (so the console's own rules allow the change asked of it).
    pub async fn active(&self) -> SubscriptionView {
        self.admin
            .all_subscriptions()
            .await
            .into_iter()
            .find(|s| {
                s.subscription.channel == Channel::Partner
                    && s.subscription.status == Status::Active
                    && s.allowed_actions
                        .iter()
                        .any(|a| format!("{a:?}").contains("Quantity"))
                    && s.subscription.quantity + 2 <= s.subscription.max_quantity
            })
            .expect("demo data has an active subscription whose seats can be added")
    }

    pub async fn add_seats(&self, sub: &SubscriptionView, more: u32) -> reqwest::Response {
        self.admin
            .patch(sub, json!({"quantity": sub.subscription.quantity + more}))
            .await
    }

    /// Moves the server's clock `seconds` past `from` and waits (polling, bounded) for the
    /// worker to take the subscription's pending change out of "pending".
    async fn worker_settles(&self, id: impl std::fmt::Display + Copy, at: i64) -> SubscriptionView {
        self.admin.set_clock(at).await;
        for _ in 0..100 {
            let now = self.admin.subscription(id).await;
            match &now.pending_change {
                Some(p) if p.state == PendingState::Pending && p.attempts == 0 => {}
                Some(p)
                    if p.state == PendingState::Pending && crate::partner_center::due(p, at) => {}
                _ => return now,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.admin.subscription(id).await
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.db.dir.path().join("server.log")).unwrap_or_default()
    }
}

/// Whether a pending change was due at `at` (the worker has yet to pick it up).
pub fn due(p: &shared::api::PendingChange, at: i64) -> bool {
    p.next_attempt_at
        .as_deref()
        .and_then(shared::calendar::parse_rfc3339)
        .is_some_and(|next| next <= at)
}

/// A server whose partner Northwind is connected to the stand-in, which holds the same
/// customers and partner-bought live subscriptions as the console.
pub async fn connected() -> Connected {
    connected_with(&[]).await
}

/// [`connected`], the server started with `extra` flags too.
pub async fn connected_with(extra: &[&str]) -> Connected {
    let standin = StandIn::start().await;
    let db = TestDb::new();
    let key_file = db.dir.path().join("secret.key");
    std::fs::write(
        &key_file,
        "6f1c0e5b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a09",
    )
    .unwrap();
    let key_file = key_file.display().to_string();
    let server = TestServer::start_on(
        &db,
        &[
            "--unsafe-test-clock",
            "--secret-key-file",
            &key_file,
            "--partner-center-api",
            &standin.base,
            "--partner-center-login",
            &standin.base,
            "--partner-center-timeout",
            "1s",
        ]
        .into_iter()
        .chain(extra.iter().copied())
        .collect::<Vec<_>>(),
    )
    .await;
    let admin = server.sign_in(ADMIN).await;
    let session: SessionInfo = admin.read("/api/session").await;
    let mut held = Vec::new();
    for customer in admin.customers("per_page=100").await.items {
        let subs = admin.subscriptions_of(customer.id).await;
        held.push((customer, subs.into_iter().map(|s| s.subscription).collect()));
    }
    mirror_all(&standin, &held);
    let c = Connected {
        standin,
        partner: session.partner.id.to_string(),
        db,
        server,
        admin,
        key_file,
    };
    let secret = c.db.dir.path().join("app.secret");
    std::fs::write(&secret, format!("{APP_SECRET}\n")).unwrap();
    let out = c
        .rc_ok(&[
            "partner",
            "connect",
            "--partner",
            &c.partner,
            "--tenant",
            TENANT,
            "--app-id",
            APP_ID,
            "--app-secret-file",
            &secret.display().to_string(),
        ])
        .await;
    assert!(
        out.contains("connected to Partner Center (app-only tokens)"),
        "{out}"
    );
    c
}

#[tokio::test]
async fn connecting_checks_the_credentials_with_microsoft_and_stores_them_sealed() {
    let c = connected().await;
    let wrong = c.db.dir.path().join("wrong.secret");
    std::fs::write(&wrong, "not-the-secret").unwrap();
    let wrong = wrong.display().to_string();
    let out = c
        .rc(&[
            "partner",
            "connect",
            "--partner",
            &c.partner,
            "--tenant",
            TENANT,
            "--app-id",
            APP_ID,
            "--app-secret-file",
            &wrong,
        ])
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("AADSTS7000215: Invalid client secret provided"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("not-the-secret"),
        "the secret is never printed: {stderr}"
    );
    let out = c
        .rc(&[
            "partner",
            "connect",
            "--partner",
            &c.partner,
            "--tenant",
            "contoso-unknown.example",
            "--app-id",
            APP_ID,
            "--app-secret-file",
            &wrong,
        ])
        .await;
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("AADSTS90002: Tenant 'contoso-unknown.example' not found")
    );
    // The failed attempts left the first connection as it was: sealed, not in clear.
    let sealed = query_number(
        &c.db,
        "SELECT COUNT(*) FROM partner_center_connections WHERE app_secret LIKE 'v1.%'",
    )
    .await;
    assert_eq!(sealed, 1);
    let clear = query_number(
        &c.db,
        &format!(
            "SELECT COUNT(*) FROM partner_center_connections WHERE app_secret LIKE '%{APP_SECRET}%'"
        ),
    )
    .await;
    assert_eq!(clear, 0);
    // Without the key file, nothing opens it.
    let out = Command::new(BINARY)
        .args(["sync", "--partner", &c.partner])
        .env("RC_DATABASE_URL", &c.db.url)
        .current_dir(c.db.dir.path())
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--secret-key-file"));
    // A change waiting for Microsoft when the partner is disconnected is given up with it.
    let waiting = c.active().await;
    c.standin.fail_next(&[Fault::ServerError]);
    assert_eq!(
        c.add_seats(&waiting, 1).await.status(),
        StatusCode::ACCEPTED
    );
    // Disconnected, the console is the partner's own record again: a change stays here.
    assert!(
        c.rc_ok(&["partner", "disconnect", "--partner", &c.partner])
            .await
            .contains("disconnected")
    );
    // Its waiting change went with the connection: the subscription takes a change here, and
    // Microsoft hears nothing more (the one attempt before the disconnect only).
    let id = waiting.subscription.id;
    let sub = c.admin.subscription(id).await;
    assert!(sub.pending_change.is_none(), "closed with the connection");
    let res = c.add_seats(&sub, 2).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = c
        .admin
        .send(
            Method::POST,
            &format!("/api/subscriptions/{id}/pending-change/retry"),
            |r| r,
        )
        .await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    // Nothing is left for the worker to send.
    let open = query_number(
        &c.db,
        "SELECT COUNT(*) FROM partner_center_outbox WHERE state IN ('pending', 'failed')",
    )
    .await;
    assert_eq!(open, 0);
    assert_eq!(c.standin.patches(&id.to_string()).len(), 1);
    assert_eq!(
        c.admin.subscription(id).await.subscription.quantity,
        waiting.subscription.quantity + 2
    );
    assert!(!c.log().contains(APP_SECRET));
}

#[tokio::test]
async fn a_change_is_made_at_partner_center_once_with_a_bearer_token_and_a_request_id() {
    let c = connected().await;
    let sub = c.active().await;
    let id = sub.subscription.id.to_string();
    let res = c.add_seats(&sub, 2).await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed: SubscriptionView = res.json().await.unwrap();
    assert_eq!(changed.subscription.quantity, sub.subscription.quantity + 2);
    assert!(changed.pending_change.is_none());
    assert_eq!(c.standin.applied(&id), 1);
    assert_eq!(
        c.standin.subscription(&id)["quantity"],
        sub.subscription.quantity + 2
    );
    let patches = c.standin.patches(&id);
    assert_eq!(patches.len(), 1);
    assert!(
        patches[0]
            .bearer
            .as_deref()
            .is_some_and(|b| b.starts_with("pc-access-"))
    );
    assert!(
        patches[0]
            .request_id
            .as_deref()
            .is_some_and(|r| r.parse::<uuid::Uuid>().is_ok())
    );
    // The audit trail names the agent, and the request Partner Center applied.
    let events = c.admin.events(&id).await;
    let last = events.last().unwrap();
    assert_eq!(last.agent_email, ADMIN);
    assert_eq!(
        last.source.as_deref(),
        Some(
            format!(
                "Partner Center, request {}",
                patches[0].request_id.as_deref().unwrap()
            )
            .as_str()
        )
    );

    // Suspending, then reactivating: both reach it, as Partner Center spells them.
    let res = c
        .admin
        .patch(&changed, json!({"status": "suspended"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(c.standin.subscription(&id)["status"], "suspended");
    let suspended: SubscriptionView = res.json().await.unwrap();
    let res = c.admin.patch(&suspended, json!({"status": "active"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(c.standin.subscription(&id)["status"], "active");
    assert_eq!(c.standin.applied(&id), 3);
    assert!(!c.log().contains(APP_SECRET));
}

#[tokio::test]
async fn a_refusal_of_microsoft_changes_nothing_and_says_why() {
    let c = connected().await;
    let sub = c.active().await;
    let id = sub.subscription.id.to_string();
    // Microsoft allows no seat to be removed (its window is closed), though the console's
    // record still has some: Microsoft's word wins.
    c.standin.lock().reducible.insert(id.clone(), 0);
    let added = c.add_seats(&sub, 1).await;
    assert_eq!(added.status(), StatusCode::OK);
    let added: SubscriptionView = added.json().await.unwrap();
    let res = c
        .admin
        .patch(&added, json!({"quantity": added.subscription.quantity - 1}))
        .await;
    let body = expect_error(res, 422, ErrorCode::SeatReductionWindowClosed).await;
    let pc = body.partner_center.expect("Microsoft's own code and words");
    assert_eq!(pc.code, "800090");
    assert!(
        body.message
            .contains("Subscription quantity cannot be decreased"),
        "{}",
        body.message
    );
    let now = c.admin.subscription(&id).await;
    assert_eq!(now.subscription.quantity, added.subscription.quantity);
    assert_eq!(now.subscription.version, added.subscription.version);
    assert!(now.pending_change.is_none(), "a refused change is closed");
    assert_eq!(
        c.standin.subscription(&id)["quantity"],
        added.subscription.quantity
    );
}

#[tokio::test]
async fn a_500_a_429_a_hang_and_a_lost_answer_each_end_applied_exactly_once() {
    let c = connected().await;
    let mut at = shared::calendar::parse_rfc3339(&c.active().await.as_of).unwrap();
    // The clock stands still from here: each wait is counted from the attempt it follows.
    c.admin.set_clock(at).await;
    let cases = [
        (Fault::ServerError, 30),
        (Fault::Throttle(120), 120),
        (Fault::Hang, 30),
        (Fault::AppliedThenHang, 30),
    ];
    let mut done = std::collections::HashSet::new();
    for (fault, wait) in cases {
        let sub = c
            .admin
            .all_subscriptions()
            .await
            .into_iter()
            .find(|s| {
                s.subscription.channel == Channel::Partner
                    && s.subscription.status == Status::Active
                    && s.subscription.quantity + 2 <= s.subscription.max_quantity
                    && !done.contains(&s.subscription.id)
            })
            .unwrap();
        done.insert(sub.subscription.id);
        let id = sub.subscription.id.to_string();
        c.standin.fail_next(std::slice::from_ref(&fault));
        let res = c.add_seats(&sub, 1).await;
        assert_eq!(
            res.status(),
            StatusCode::ACCEPTED,
            "{fault:?}: waiting for Microsoft"
        );
        let waiting: SubscriptionView = res.json().await.unwrap();
        assert_eq!(
            waiting.subscription.quantity, sub.subscription.quantity,
            "{fault:?}: unchanged until Microsoft answers"
        );
        let pending = waiting
            .pending_change
            .clone()
            .expect("the change is shown waiting");
        assert_eq!(
            (pending.state, pending.attempts, pending.quantity),
            (PendingState::Pending, 1, sub.subscription.quantity + 1)
        );
        assert!(
            waiting.allowed_actions.is_empty(),
            "nothing else until it is answered"
        );
        // Another change meanwhile waits its turn.
        let res = c.add_seats(&waiting, 1).await;
        expect_error(res, 409, ErrorCode::ChangeWaitingForMicrosoft).await;
        // Not yet due: still pending.
        if wait > 30 {
            let early = c.worker_settles(&id, at + 60).await;
            assert!(
                early.pending_change.is_some(),
                "{fault:?}: Retry-After is honoured"
            );
        }
        at += i64::from(wait) + 1;
        let settled = c.worker_settles(&id, at).await;
        assert!(
            settled.pending_change.is_none(),
            "{fault:?}: {:?}",
            settled.pending_change
        );
        assert_eq!(
            settled.subscription.quantity,
            sub.subscription.quantity + 1,
            "{fault:?}"
        );
        assert_eq!(c.standin.applied(&id), 1, "{fault:?}: applied once");
        assert_eq!(
            c.standin.subscription(&id)["quantity"],
            sub.subscription.quantity + 1
        );
        let ids: std::collections::HashSet<_> = c
            .standin
            .patches(&id)
            .into_iter()
            .map(|p| p.request_id)
            .collect();
        assert_eq!(
            ids.len(),
            1,
            "{fault:?}: every attempt with one MS-RequestId"
        );
    }
}

#[tokio::test]
async fn a_change_microsoft_never_answers_fails_and_is_retried_or_discarded() {
    let c = connected().await;
    let mut at = shared::calendar::parse_rfc3339(&c.active().await.as_of).unwrap();
    let subs: Vec<SubscriptionView> = c
        .admin
        .all_subscriptions()
        .await
        .into_iter()
        .filter(|s| {
            s.subscription.channel == Channel::Partner
                && s.subscription.status == Status::Active
                && s.subscription.quantity + 2 <= s.subscription.max_quantity
        })
        .take(2)
        .collect();
    for sub in &subs {
        let id = sub.subscription.id.to_string();
        c.standin
            .fail_next(&vec![Fault::ServerError; MAX_ATTEMPTS as usize]);
        assert_eq!(c.add_seats(sub, 1).await.status(), StatusCode::ACCEPTED);
        let mut now = c.admin.subscription(&id).await;
        for _ in 1..MAX_ATTEMPTS {
            at += 3600;
            now = c.worker_settles(&id, at).await;
        }
        let failed = now.pending_change.clone().expect("still shown");
        assert_eq!(failed.state, PendingState::Failed);
        assert_eq!(failed.attempts, MAX_ATTEMPTS);
        assert!(
            failed.last_error.as_deref().unwrap().contains("HTTP 500"),
            "{failed:?}"
        );
        assert_eq!(
            now.subscription.quantity, sub.subscription.quantity,
            "nothing half-applied"
        );
        assert_eq!(c.standin.applied(&id), 0);
    }
    let queue: shared::api::MicrosoftQueue = c.admin.read("/api/partner-center/queue").await;
    assert_eq!(queue.changes.len(), 2);
    assert!(queue.changes.iter().all(
        |q| q.change.state == PendingState::Failed && q.from_quantity + 1 == q.change.quantity
    ));
    // The first is retried by the agent (Microsoft answers now); the second discarded.
    let (retried, discarded) = (&subs[0], &subs[1]);
    let res = c
        .admin
        .send(
            Method::POST,
            &format!(
                "/api/subscriptions/{}/pending-change/retry",
                retried.subscription.id
            ),
            |r| r,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let view: SubscriptionView = res.json().await.unwrap();
    assert_eq!(
        view.subscription.quantity,
        retried.subscription.quantity + 1
    );
    assert_eq!(c.standin.applied(&retried.subscription.id.to_string()), 1);
    let res = c
        .admin
        .send(
            Method::DELETE,
            &format!(
                "/api/subscriptions/{}/pending-change",
                discarded.subscription.id
            ),
            |r| r,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let view: SubscriptionView = res.json().await.unwrap();
    assert!(view.pending_change.is_none());
    assert_eq!(view.subscription.quantity, discarded.subscription.quantity);
    assert!(!view.allowed_actions.is_empty(), "changeable again");
    let res = c
        .admin
        .send(
            Method::DELETE,
            &format!(
                "/api/subscriptions/{}/pending-change",
                discarded.subscription.id
            ),
            |r| r,
        )
        .await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    // Ordering is not through Partner Center yet: refused in words, nothing created here.
    let customer = retried.subscription.customer_id;
    let before = c.admin.subscriptions_of(customer).await.len();
    let res = c
        .admin
        .order(
            &customer.to_string(),
            Some("pc-order-1"),
            json!({"offer_id": retried.subscription.offer_id.0, "quantity": 1}),
        )
        .await;
    let body = expect_error(res, 422, ErrorCode::OrderNeedsPartnerCenter).await;
    assert!(
        body.message.contains("order in Partner Center"),
        "{}",
        body.message
    );
    assert_eq!(c.admin.subscriptions_of(customer).await.len(), before);
    // A read-only agent can do neither.
    let reader = c.server.sign_in(READ_ONLY).await;
    let res = reader
        .send(
            Method::POST,
            &format!(
                "/api/subscriptions/{}/pending-change/retry",
                discarded.subscription.id
            ),
            |r| r,
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_without_the_agent_noticing() {
    let c = connected().await;
    let sub = c.active().await;
    assert_eq!(c.add_seats(&sub, 1).await.status(), StatusCode::OK);
    let before = c.standin.lock().token_requests.len();
    let calls_before = c.standin.lock().received.len();
    c.standin.expire_tokens();
    let sub = c.admin.subscription(sub.subscription.id).await;
    let res = c.add_seats(&sub, 1).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(
        c.standin.lock().token_requests.len(),
        before + 1,
        "one new token"
    );
    let id = sub.subscription.id.to_string();
    // The change's first call (the read of the subscription) met a 401; the same calls then
    // went again with the new token, the PATCH once.
    let calls: Vec<Received> = c.standin.lock().received[calls_before..]
        .iter()
        .filter(|r| r.path.ends_with(&id))
        .cloned()
        .collect();
    let methods: Vec<&str> = calls.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "GET", "PATCH"], "{calls:?}");
    assert_ne!(calls[0].bearer, calls[2].bearer);
    assert_eq!(calls[1].bearer, calls[2].bearer);
    assert_eq!(c.standin.applied(&id), 2);
}

#[tokio::test]
async fn a_sync_brings_partner_center_changes_in_as_its_own_events() {
    let c = connected().await;
    // Nothing differs yet: every customer and subscription is found as it is.
    let first = c.rc_ok(&["sync", "--partner", &c.partner]).await;
    let customers = c.admin.customers("per_page=100").await.total;
    assert!(
        first.contains(&format!(
            "customers: {customers} in Partner Center, 0 created"
        )),
        "{first}"
    );
    assert!(first.contains(" 0 updated"), "{first}");
    assert!(first.contains(" 0 not in Partner Center"), "{first}");

    // In Partner Center itself: seats changed on one, auto-renew off on another, one gone, a
    // new customer with a subscription.
    let subs: Vec<SubscriptionView> = c
        .admin
        .all_subscriptions()
        .await
        .into_iter()
        .filter(|s| {
            s.subscription.channel == Channel::Partner
                && s.subscription.status == Status::Active
                && s.subscription.auto_renew
                && s.subscription.quantity + 3 <= s.subscription.max_quantity
        })
        .take(4)
        .collect();
    let (seats, renew, gone, termed) = (
        &subs[0].subscription,
        &subs[1].subscription,
        &subs[2].subscription,
        &subs[3].subscription,
    );
    let other_term = match termed.term {
        shared::model::Term::Annual => shared::model::Term::Monthly,
        shared::model::Term::Monthly => shared::model::Term::Annual,
    };
    c.standin.edit(
        &termed.id.to_string(),
        "termDuration",
        json!(shared::partner_center::term_to_partner_center(other_term)),
    );
    c.standin
        .edit(&seats.id.to_string(), "quantity", json!(seats.quantity + 3));
    c.standin
        .edit(&renew.id.to_string(), "autoRenewEnabled", json!(false));
    c.standin.remove(&gone.id.to_string());
    let new_customer = uuid::Uuid::new_v4().to_string();
    c.standin.add_customer(
        &new_customer,
        "Wide World Importers PC",
        "wideworldimporters-pc.onmicrosoft.com",
    );
    let mut new_sub = mirror(seats);
    new_sub["id"] = json!(uuid::Uuid::new_v4().to_string());
    new_sub["quantity"] = json!(seats.min_quantity.max(1));
    c.standin.add_subscription(&new_customer, new_sub.clone());

    let out = c.rc_ok(&["sync", "--partner", &c.partner]).await;
    assert!(
        out.contains(&format!(
            "customers: {} in Partner Center, 1 created",
            customers + 1
        )),
        "{out}"
    );
    assert!(out.contains("1 created, 3 updated"), "{out}");
    // Its term changed in Partner Center (the next term's length): the console takes it.
    assert_eq!(
        c.admin.subscription(termed.id).await.subscription.term,
        other_term
    );
    let event = c.admin.events(termed.id).await.pop().unwrap();
    assert_eq!(event.after.term, Some(other_term));
    assert_eq!(event.before.unwrap().term, Some(termed.term));
    assert!(out.contains(" 1 not in Partner Center (flagged)"), "{out}");
    let now = c.admin.subscription(seats.id).await;
    assert_eq!(now.subscription.quantity, seats.quantity + 3);
    let event = c.admin.events(seats.id).await.pop().unwrap();
    assert_eq!(event.action, shared::api::EventAction::PartnerCenterChanged);
    assert_eq!(event.agent_email, "Partner Center");
    assert_eq!(event.agent_id, None);
    assert_eq!(event.before.unwrap().quantity, seats.quantity);
    assert!(!c.admin.subscription(renew.id).await.subscription.auto_renew);
    let flagged = c.admin.subscription(gone.id).await;
    assert!(
        flagged.subscription.missing_at_partner_center.is_some(),
        "flagged, not deleted"
    );
    assert_eq!(flagged.subscription.status, gone.status);
    let tailspin = c.admin.subscriptions_of(&new_customer).await;
    assert_eq!(tailspin.len(), 1);
    assert_eq!(
        tailspin[0].subscription.id.to_string(),
        new_sub["id"].as_str().unwrap()
    );
    // Again: nothing new.
    let again = c.rc_ok(&["sync", "--partner", &c.partner]).await;
    assert!(again.contains("0 created, 0 updated"), "{again}");
    // The activity log lists Partner Center's changes.
    let activity: Value = c.admin.read("/api/activity?per_page=100").await;
    assert!(
        activity.to_string().contains("partner_center_changed"),
        "{activity}"
    );
}
