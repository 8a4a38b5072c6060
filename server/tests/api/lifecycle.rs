//! What time does to a subscription, on a clock the test sets (never sleeps): renewal at the
//! first second after the end date, the change scheduled for it, expiry and the steps after,
//! cancelling within 7 days of the order, and catching up after downtime — each step once.

use serde_json::json;
use shared::ErrorCode;
use shared::api::{EventAction, RENEWAL_ACTOR, SubscriptionView};
use shared::calendar::parse_rfc3339;
use shared::model::{ScheduledChange, Status, Term};
use shared::permissions::SubscriptionAction;

use crate::support::*;

const DAY: i64 = 86_400;

fn at(text: &str) -> i64 {
    parse_rfc3339(text).unwrap()
}

/// Signs in, sets the clock to `now` and orders `quantity` seats of a monthly offer for Contoso.
async fn ordered_at(now: &str, quantity: u32) -> (TestServer, Agent, SubscriptionView) {
    let server = TestServer::start_on(&TestDb::new(), &["--unsafe-test-clock"]).await;
    let admin = server.sign_in(ADMIN).await;
    admin.set_clock(at(now)).await;
    let customer = admin.customers("q=contoso").await.items[0].id;
    let res = admin
        .order(
            &customer.to_string(),
            Some(now),
            json!({"offer_id": "exchange-online-plan-1", "quantity": quantity}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let sub: SubscriptionView = res.json().await.unwrap();
    (server, admin, sub)
}

async fn change(
    admin: &Agent,
    id: impl std::fmt::Display,
    body: serde_json::Value,
) -> reqwest::Response {
    let current = admin.subscription(id).await;
    admin.patch(&current, body).await
}

#[tokio::test]
async fn a_term_renews_at_the_first_second_after_its_end_date_on_the_31st() {
    let (_server, admin, sub) = ordered_at("2027-01-31T10:00:00Z", 10).await;
    let id = sub.subscription.id;
    assert_eq!(
        sub.subscription.commitment_end, "2027-02-28",
        "31 January + 1 month"
    );
    assert_eq!(sub.subscription.term, Term::Monthly);
    assert_eq!(
        sub.subscription.billing_cycle,
        shared::model::BillingCycle::Monthly
    );

    admin.set_clock(at("2027-02-28T23:59:59Z")).await;
    let last_second = admin.subscription(id).await;
    assert_eq!(last_second.subscription.commitment_end, "2027-02-28");
    assert_eq!(last_second.subscription.version, sub.subscription.version);

    assert!(admin.set_clock(at("2027-03-01T00:00:00Z")).await >= 1);
    let renewed = admin.subscription(id).await;
    assert_eq!(
        renewed.subscription.commitment_end, "2027-03-31",
        "back to the 31st"
    );
    assert_eq!(renewed.subscription.status, Status::Active);
    assert_eq!(renewed.subscription.quantity, 10);
    assert_eq!(renewed.subscription.version, sub.subscription.version + 1);
    // A new 7-day window for all its seats, from the renewal.
    assert_eq!(renewed.reducible_seats.total_quantity, 10);
    assert_eq!(
        renewed.reducible_seats.details[0].allowed_until,
        "2027-03-08T00:00:00Z"
    );
    let events = admin.events(id).await;
    let last = events.last().unwrap();
    assert_eq!(last.action, EventAction::Renewed);
    assert_eq!(
        (last.agent_id, last.agent_email.as_str()),
        (None, RENEWAL_ACTOR)
    );
    assert_eq!(last.at, "2027-03-01T00:00:00Z");
    assert_eq!(
        (
            last.before.as_ref().unwrap().commitment_end.as_deref(),
            last.after.commitment_end.as_deref()
        ),
        (Some("2027-02-28"), Some("2027-03-31"))
    );

    // Moving the clock again applies nothing twice.
    assert_eq!(admin.set_clock(at("2027-03-01T00:00:01Z")).await, 0);
    assert_eq!(admin.events(id).await.len(), events.len());
}

#[tokio::test]
async fn a_scheduled_change_applies_at_renewal_and_goes_openly_when_seats_change() {
    let (_server, admin, sub) = ordered_at("2027-04-10T09:00:00Z", 10).await;
    let id = sub.subscription.id;
    assert!(
        sub.allowed_actions
            .contains(&SubscriptionAction::ManageRenewal)
    );

    // Lower than today, and annual: fine for the renewal.
    let res = change(
        &admin,
        id,
        json!({"scheduled_change": {"quantity": 4, "term": "annual"}}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let scheduled: SubscriptionView = res.json().await.unwrap();
    let expected = ScheduledChange {
        quantity: 4,
        term: Term::Annual,
    };
    assert_eq!(scheduled.subscription.scheduled, Some(expected.clone()));
    assert_eq!(scheduled.subscription.quantity, 10, "today's seats stay");

    // The same again changes nothing; out of bounds names the bound; null removes it.
    expect_error(
        change(
            &admin,
            id,
            json!({"scheduled_change": {"quantity": 4, "term": "annual"}}),
        )
        .await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    let error = expect_error(
        change(&admin, id, json!({"scheduled_change": {"quantity": 0}})).await,
        422,
        ErrorCode::InvalidQuantity,
    )
    .await;
    assert!(
        error.message.contains("between 1 and 5000"),
        "{}",
        error.message
    );

    // Seats change: the scheduled change goes, and the audit trail says so.
    assert_eq!(
        change(&admin, id, json!({"quantity": 12})).await.status(),
        200
    );
    let after = admin.subscription(id).await;
    assert_eq!(after.subscription.scheduled, None);
    let events = admin.events(id).await;
    let last = events.last().unwrap();
    assert_eq!(last.action, EventAction::QuantityChanged);
    assert_eq!(
        last.before.as_ref().unwrap().scheduled,
        Some(expected.clone())
    );
    assert_eq!(last.after.scheduled, None);

    // Scheduled again, then the term ends: 4 seats, annual, a year from the renewal.
    assert_eq!(
        change(
            &admin,
            id,
            json!({"scheduled_change": {"quantity": 4, "term": "annual"}})
        )
        .await
        .status(),
        200
    );
    admin.set_clock(at("2027-05-11T00:00:00Z")).await;
    let renewed = admin.subscription(id).await.subscription;
    assert_eq!(
        (
            renewed.quantity,
            renewed.term,
            renewed.scheduled,
            renewed.commitment_end.as_str()
        ),
        (4, Term::Annual, None, "2028-05-10")
    );

    // Removing needs something scheduled; scheduling needs auto-renew on.
    expect_error(
        change(&admin, id, json!({"scheduled_change": null})).await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    assert_eq!(
        change(&admin, id, json!({"auto_renew": false}))
            .await
            .status(),
        200
    );
    expect_error(
        change(&admin, id, json!({"scheduled_change": {"quantity": 3}})).await,
        422,
        ErrorCode::AutoRenewOff,
    )
    .await;
}

#[tokio::test]
async fn without_auto_renew_it_expires_then_is_disabled_then_deleted_and_stays_read_only() {
    let (_server, admin, sub) = ordered_at("2027-06-15T12:00:00Z", 6).await;
    let id = sub.subscription.id;
    let customer = sub.subscription.customer_id;
    assert_eq!(
        change(&admin, id, json!({"auto_renew": false}))
            .await
            .status(),
        200
    );

    admin.set_clock(at("2027-07-16T00:00:00Z")).await;
    let expired = admin.subscription(id).await;
    assert_eq!(expired.subscription.status, Status::Expired);
    assert!(expired.allowed_actions.is_empty());
    assert_eq!(expired.reducible_seats.total_quantity, 0);
    for body in [
        json!({"status": "active"}),
        json!({"quantity": 7}),
        json!({"auto_renew": true}),
    ] {
        let error = expect_error(
            admin.patch(&expired, body).await,
            422,
            ErrorCode::SubscriptionEnded,
        )
        .await;
        assert!(error.message.contains("expired"), "{}", error.message);
    }
    expect_error(
        admin.patch(&expired, json!({"status": "expired"})).await,
        422,
        ErrorCode::InvalidStatus,
    )
    .await;

    // 30 days after the expiry: Disabled; 90 days after that: Deleted, gone from the pane.
    admin.set_clock(at("2027-08-15T00:00:00Z") - 1).await;
    assert_eq!(
        admin.subscription(id).await.subscription.status,
        Status::Expired
    );
    admin.set_clock(at("2027-08-15T00:00:00Z")).await;
    assert_eq!(
        admin.subscription(id).await.subscription.status,
        Status::Disabled
    );
    admin.set_clock(at("2027-11-13T00:00:00Z")).await;
    let deleted = admin.subscription(id).await.subscription;
    assert_eq!(deleted.status, Status::Deleted);
    assert!(
        admin
            .subscriptions_of(customer)
            .await
            .iter()
            .all(|s| s.subscription.id != id),
        "hidden from the action pane"
    );
    let steps: Vec<(Status, String, String)> = admin
        .events(id)
        .await
        .into_iter()
        .filter(|e| e.agent_email == RENEWAL_ACTOR)
        .map(|e| (e.after.status, e.at, e.agent_email))
        .collect();
    assert_eq!(
        steps,
        [
            (
                Status::Expired,
                "2027-07-16T00:00:00Z".into(),
                RENEWAL_ACTOR.into()
            ),
            (
                Status::Disabled,
                "2027-08-15T00:00:00Z".into(),
                RENEWAL_ACTOR.into()
            ),
            (
                Status::Deleted,
                "2027-11-13T00:00:00Z".into(),
                RENEWAL_ACTOR.into()
            ),
        ]
    );
}

#[tokio::test]
async fn a_subscription_still_suspended_at_its_end_is_disabled() {
    let (_server, admin, sub) = ordered_at("2027-06-15T12:00:00Z", 6).await;
    let id = sub.subscription.id;
    assert_eq!(
        change(&admin, id, json!({"status": "suspended"}))
            .await
            .status(),
        200
    );
    admin.set_clock(at("2027-07-16T00:00:00Z")).await;
    let disabled = admin.subscription(id).await.subscription;
    assert_eq!(disabled.status, Status::Disabled);
    assert_eq!(
        disabled.status_since.as_deref(),
        Some("2027-07-16T00:00:00Z")
    );
}

#[tokio::test]
async fn cancel_only_within_seven_days_of_the_order() {
    let t = "2027-09-01T08:00:00Z";
    let (_server, admin, sub) = ordered_at(t, 5).await;
    assert!(sub.allowed_actions.contains(&SubscriptionAction::Cancel));
    admin.set_clock(at(t) + 7 * DAY - 1).await;
    let res = change(&admin, sub.subscription.id, json!({"status": "cancelled"})).await;
    assert_eq!(res.status(), 200);
    let cancelled: SubscriptionView = res.json().await.unwrap();
    assert_eq!(cancelled.subscription.status, Status::Cancelled);
    assert!(!cancelled.subscription.auto_renew);
    assert!(cancelled.allowed_actions.is_empty());
    // The refund shown before Cancel is in the audit trail with the cancellation.
    let shown = shared::billing::cancellation_refund(&sub.subscription, at(t) + 7 * DAY - 1);
    assert!(shown > 0);
    let events = admin.events(sub.subscription.id).await;
    assert_eq!(events.last().unwrap().refund_cents, Some(shown));
    expect_error(
        admin.patch(&cancelled, json!({"status": "active"})).await,
        422,
        ErrorCode::SubscriptionEnded,
    )
    .await;

    // A second order, asked a second too late.
    let customer = sub.subscription.customer_id.to_string();
    admin.set_clock(at(t)).await;
    let res = admin
        .order(
            &customer,
            Some("late"),
            json!({"offer_id": "teams-essentials", "quantity": 3}),
        )
        .await;
    let late: SubscriptionView = res.json().await.unwrap();
    admin.set_clock(at(t) + 7 * DAY).await;
    let view = admin.subscription(late.subscription.id).await;
    let reason = view
        .unavailable_actions
        .iter()
        .find(|u| u.action == SubscriptionAction::Cancel)
        .expect("cancel is unavailable, with its reason");
    assert_eq!(reason.code, ErrorCode::CancellationWindowClosed);
    let error = expect_error(
        admin.patch(&view, json!({"status": "cancelled"})).await,
        422,
        ErrorCode::CancellationWindowClosed,
    )
    .await;
    assert!(
        error.message.contains("2027-09-08 08:00:00"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn a_server_catching_up_applies_each_missed_renewal_once_dated_when_due() {
    let (_server, admin, sub) = ordered_at("2027-01-15T10:00:00Z", 3).await;
    let id = sub.subscription.id;
    // Three months and a bit of downtime later.
    admin.set_clock(at("2027-04-20T00:00:00Z")).await;
    let now = admin.subscription(id).await.subscription;
    assert_eq!(now.commitment_end, "2027-05-15");
    let renewals: Vec<String> = admin
        .events(id)
        .await
        .into_iter()
        .filter(|e| e.action == EventAction::Renewed)
        .map(|e| e.at)
        .collect();
    assert_eq!(
        renewals,
        [
            "2027-02-16T00:00:00Z",
            "2027-03-16T00:00:00Z",
            "2027-04-16T00:00:00Z"
        ]
    );
    // The renewal of the 16th opened a window for all seats until the 23rd.
    assert_eq!(
        admin.subscription(id).await.reducible_seats.total_quantity,
        3,
        "the renewal on the 16th opened a window until the 23rd"
    );
    admin.set_clock(at("2027-04-23T00:00:00Z")).await;
    assert_eq!(
        admin.subscription(id).await.reducible_seats.total_quantity,
        0
    );
}

#[tokio::test]
async fn in_a_leap_year_the_31st_of_january_ends_on_the_29th_of_february() {
    let (_server, admin, sub) = ordered_at("2028-01-31T23:00:00Z", 2).await;
    let id = sub.subscription.id;
    assert_eq!(sub.subscription.commitment_end, "2028-02-29");
    admin.set_clock(at("2028-02-29T23:59:59Z")).await;
    assert_eq!(
        admin.subscription(id).await.subscription.commitment_end,
        "2028-02-29"
    );
    admin.set_clock(at("2028-03-01T00:00:00Z")).await;
    assert_eq!(
        admin.subscription(id).await.subscription.commitment_end,
        "2028-03-31"
    );
}
