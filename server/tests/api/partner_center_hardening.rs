//! The connector where operators and networks go wrong: a server that could not open the
//! stored credentials, a timeout longer than the agent's request, a tenant that is not one,
//! a *Send again* while Partner Center throttles, a subscription another partner holds.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::api::{ErrorCode, PendingState};
use tokio::process::Command;

use crate::partner_center::{connected, connected_with};
use crate::partner_center_orders::{BASIC, order, with_catalog_offer, worker_goes_on};
use crate::partner_center_standin::*;
use crate::support::*;
use shared::api::PendingOrder;

const BINARY: &str = env!("CARGO_BIN_EXE_reseller-console");

/// Starts the server on the connected test's database with `args`; answers its exit and
/// stderr (a server that starts is stopped and reported as such).
async fn start_refused(db: &TestDb, args: &[&str]) -> (bool, String) {
    let mut cmd = Command::new(BINARY);
    cmd.args(["--listen", "127.0.0.1:0", "--database-url", &db.url])
        .args(args)
        .current_dir(db.dir.path())
        .kill_on_drop(true);
    let out = tokio::time::timeout(std::time::Duration::from_secs(30), cmd.output())
        .await
        .expect("a refusing server exits at once")
        .expect("binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_server_that_cannot_work_for_its_connected_partners_refuses_to_start() {
    let c = connected().await;
    // No secret key: the stored credentials cannot be opened.
    let (ok, stderr) = start_refused(&c.db, &[]).await;
    assert!(!ok);
    assert!(stderr.contains("cannot be opened"), "{stderr}");
    assert!(stderr.contains("--secret-key-file"), "{stderr}");
    assert!(!stderr.contains(APP_SECRET));
    // Another key than they were sealed with.
    let other = c.db.dir.path().join("other.key");
    std::fs::write(&other, "0".repeat(64)).unwrap();
    let (ok, stderr) =
        start_refused(&c.db, &["--secret-key-file", &other.display().to_string()]).await;
    assert!(!ok);
    assert!(stderr.contains("cannot be opened"), "{stderr}");
    // Microsoft's first attempt would outlast the agent's request.
    let (ok, stderr) = start_refused(
        &c.db,
        &["--secret-key-file", &c.key_file, "--request-timeout", "5s"],
    )
    .await;
    assert!(!ok);
    assert!(
        stderr
            .contains("--partner-center-timeout (10s) must be shorter than --request-timeout (5s)"),
        "{stderr}"
    );
    // A tenant or app id that is not one is refused before Entra ID is asked.
    let secret = c.db.dir.path().join("app.secret");
    let tokens = c.standin.lock().token_requests.len();
    for (flag, value, says) in [
        ("--tenant", "common/../x?y=1", "is not a tenant"),
        ("--app-id", "my-app", "is not an application ID"),
    ] {
        let mut args = vec![
            "partner",
            "connect",
            "--partner",
            &c.partner,
            "--tenant",
            TENANT,
            "--app-id",
            APP_ID,
            "--app-secret-file",
        ];
        let secret = secret.display().to_string();
        args.push(&secret);
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = value;
        let out = c.rc(&args).await;
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(flag) && stderr.contains(says), "{stderr}");
    }
    assert_eq!(c.standin.lock().token_requests.len(), tokens);
}

#[tokio::test]
async fn send_again_while_partner_center_throttles_sends_nothing_and_spends_no_attempt() {
    let c = connected().await;
    let sub = c.active().await;
    c.standin.fail_next(&[Fault::Throttle(600)]);
    assert_eq!(c.add_seats(&sub, 1).await.status(), StatusCode::ACCEPTED);
    let id = sub.subscription.id;
    let waiting = c.admin.subscription(id).await.pending_change.unwrap();
    assert_eq!(
        (waiting.state, waiting.attempts),
        (PendingState::Pending, 1)
    );
    let patches = c.standin.patches(&id.to_string()).len();
    let res = c
        .admin
        .send(
            Method::POST,
            &format!("/api/subscriptions/{id}/pending-change/retry"),
            |r| r,
        )
        .await;
    let body = expect_error(res, 429, ErrorCode::PartnerCenterThrottled).await;
    assert!(
        body.retry_after_seconds.is_some_and(|s| s > 500),
        "{body:?}"
    );
    assert!(
        body.message.contains("nothing was sent"),
        "{}",
        body.message
    );
    assert_eq!(c.standin.patches(&id.to_string()).len(), patches);
    // Another change of the partner while throttled: waits, no call, no attempt spent.
    let other = c
        .admin
        .all_subscriptions()
        .await
        .into_iter()
        .find(|s| {
            s.subscription.id != id
                && s.pending_change.is_none()
                && s.subscription.quantity < s.subscription.max_quantity
                && s.allowed_actions
                    .iter()
                    .any(|a| format!("{a:?}").contains("Quantity"))
        })
        .unwrap();
    assert_eq!(c.add_seats(&other, 1).await.status(), StatusCode::ACCEPTED);
    let held = c
        .admin
        .subscription(other.subscription.id)
        .await
        .pending_change
        .unwrap();
    assert_eq!(held.attempts, 0, "{held:?}");
    assert!(held.last_error.unwrap().contains("slow down"));
    assert!(
        c.standin
            .patches(&other.subscription.id.to_string())
            .is_empty()
    );
    assert_eq!(
        c.admin
            .subscription(id)
            .await
            .pending_change
            .unwrap()
            .attempts,
        1
    );
}

#[tokio::test]
async fn a_sync_leaves_alone_a_subscription_another_partner_holds() {
    let c = connected().await;
    // Partner Center lists, for one of Northwind's customers, a subscription whose id is
    // Fabrikam's here (an id collision, or a copied database).
    let fabrikam = c.server.sign_in(FABRIKAM).await;
    let sold: Vec<shared::model::Offer> = c
        .admin
        .read::<shared::api::ItemList<shared::model::Offer>>("/api/offers")
        .await
        .items;
    let theirs = fabrikam
        .all_subscriptions()
        .await
        .into_iter()
        .find(|s| {
            s.subscription.status.is_live() && sold.iter().any(|o| o.id == s.subscription.offer_id)
        })
        .expect("Fabrikam holds a live subscription of an offer Northwind sells too");
    let customer = c.admin.customers("per_page=1").await.items[0].id;
    let mut line = mirror(&theirs.subscription);
    line["quantity"] = json!(theirs.subscription.quantity + 3);
    c.standin.add_subscription(&customer.to_string(), line);
    let report = c.rc_ok(&["sync", "--partner", &c.partner]).await;
    assert!(
        report.contains(&format!(
            "subscription {}: held by another partner of this console",
            theirs.subscription.id
        )),
        "{report}"
    );
    let after = fabrikam.subscription(theirs.subscription.id).await;
    assert_eq!(after.subscription.quantity, theirs.subscription.quantity);
    assert_eq!(after.subscription.version, theirs.subscription.version);
    let res = c
        .admin
        .get(&format!("/api/subscriptions/{}", theirs.subscription.id))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn past_the_partners_request_budget_a_change_waits_without_a_call() {
    let c = connected_with(&["--partner-center-budget", "4"]).await;
    let subs: Vec<_> = c
        .admin
        .all_subscriptions()
        .await
        .into_iter()
        .filter(|s| {
            s.subscription.quantity < s.subscription.max_quantity
                && s.allowed_actions
                    .iter()
                    .any(|a| format!("{a:?}").contains("Quantity"))
        })
        .take(3)
        .collect();
    assert_eq!(c.add_seats(&subs[0], 1).await.status(), StatusCode::OK);
    assert_eq!(c.add_seats(&subs[1], 1).await.status(), StatusCode::OK);
    // Each change is two calls (the subscription read, then the PATCH): the minute's four are
    // made, the third change waits, nothing sent, no attempt spent.
    assert_eq!(
        c.add_seats(&subs[2], 1).await.status(),
        StatusCode::ACCEPTED
    );
    let id = subs[2].subscription.id;
    let waiting = c.admin.subscription(id).await.pending_change.unwrap();
    assert_eq!(waiting.attempts, 0);
    let why = waiting.last_error.clone().unwrap_or_default();
    assert!(why.contains("request budget"), "{waiting:?}");
    assert!(c.standin.patches(&id.to_string()).is_empty());
}

#[tokio::test]
async fn a_discard_never_gives_up_what_microsoft_placed_or_applied() {
    let (c, customer) = with_catalog_offer().await;
    // A change applied at Microsoft whose answer was lost: a discard records it instead.
    let sub = c.active().await;
    let id = sub.subscription.id;
    c.standin.fail_next(&[Fault::AppliedThenHang]);
    assert_eq!(c.add_seats(&sub, 1).await.status(), StatusCode::ACCEPTED);
    let res = c
        .admin
        .send(
            Method::DELETE,
            &format!("/api/subscriptions/{id}/pending-change"),
            |r| r,
        )
        .await;
    let body = expect_error(res, 409, ErrorCode::VersionConflict).await;
    assert!(
        body.message.contains("applied this change after all"),
        "{}",
        body.message
    );
    let now = body.current.expect("the subscription as it is now");
    assert_eq!(now.subscription.quantity, sub.subscription.quantity + 1);
    assert!(now.pending_change.is_none());
    assert_eq!(c.standin.applied(&id.to_string()), 1);
    let last = c.admin.events(id).await.pop().unwrap();
    assert_eq!(
        (last.agent_email.as_str(), last.after.quantity),
        (ADMIN, sub.subscription.quantity + 1)
    );

    // An order whose checkout Microsoft took but whose answer was lost: not given up.
    c.standin.fail_next(&[Fault::Pass, Fault::AppliedThenHang]);
    let res = order(&c, customer, "pc-discard-placed", 2).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let placed: PendingOrder = res.json().await.unwrap();
    let discard = |id: &str| format!("/api/customers/{customer}/pending-orders/{id}");
    let res = c
        .admin
        .send(Method::DELETE, &discard(&placed.id), |r| r)
        .await;
    let body = expect_error(res, 409, ErrorCode::ChangeWaitingForMicrosoft).await;
    assert!(
        body.message.contains("don't order it again"),
        "{}",
        body.message
    );
    let at = shared::calendar::parse_rfc3339(&placed.next_attempt_at.unwrap()).unwrap();
    assert!(
        worker_goes_on(&c, customer, &placed.id, at + 1)
            .await
            .is_none()
    );
    let res = order(&c, customer, "pc-discard-placed", 2).await;
    assert_eq!(res.status(), StatusCode::CREATED, "brought in, once");
    assert_eq!(c.standin.lock().orders_placed, 1);

    // A checkout that never reached Microsoft (it hung, nothing ordered): given up.
    c.standin.fail_next(&[Fault::Pass, Fault::Hang]);
    let res = order(&c, customer, "pc-discard-unplaced", 2).await;
    let unplaced: PendingOrder = res.json().await.unwrap();
    let res = c
        .admin
        .send(Method::DELETE, &discard(&unplaced.id), |r| r)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(c.standin.lock().orders_placed, 1);
}

#[tokio::test]
async fn an_idempotency_key_keeps_its_answer_across_disconnect_and_reconnect() {
    let (c, customer) = with_catalog_offer().await;
    // Two keys on one request: which was meant cannot be told.
    let res = c
        .admin
        .send(
            Method::POST,
            &format!("/api/customers/{customer}/subscriptions"),
            |r| {
                r.json(&json!({"offer_id": BASIC, "quantity": 1}))
                    .header("idempotency-key", "dup-a")
                    .header("idempotency-key", "dup-b")
            },
        )
        .await;
    let body = expect_error(res, 400, ErrorCode::MalformedRequest).await;
    assert_eq!(body.field.as_deref(), Some("idempotency-key"));
    // An order waiting for Microsoft when the partner is disconnected: given up, and said so.
    c.standin.fail_next(&[Fault::ServerError]);
    assert_eq!(
        order(&c, customer, "pc-key-waiting", 1).await.status(),
        StatusCode::ACCEPTED
    );
    let out = c
        .rc_ok(&["partner", "disconnect", "--partner", &c.partner])
        .await;
    assert!(
        out.contains("given up: 0 change(s) and 1 order(s)"),
        "{out}"
    );
    // Its key stays that order's, unconnected too: no local order made of it.
    let res = order(&c, customer, "pc-key-waiting", 1).await;
    expect_error(res, 422, ErrorCode::IdempotencyKeyReused).await;
    // A key used here, unconnected, is the same order once connected again.
    let res = order(&c, customer, "pc-key-local", 3).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let local: shared::api::SubscriptionView = res.json().await.unwrap();
    let secret = c.db.dir.path().join("app.secret");
    c.rc_ok(&[
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
    let carts = c.standin.calls("POST", "/carts");
    let res = order(&c, customer, "pc-key-local", 3).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let again: shared::api::SubscriptionView = res.json().await.unwrap();
    assert_eq!(again.subscription.id, local.subscription.id);
    assert_eq!(
        c.standin.calls("POST", "/carts"),
        carts,
        "nothing ordered at Microsoft"
    );
}
