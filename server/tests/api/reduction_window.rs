//! The 7-day seat-reduction window, on a clock the test moves (never sleeps): seats added by
//! the order and by each increase can be removed for exactly 168 hours, newest first.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::api::SubscriptionView;
use shared::calendar::{parse_rfc3339, rfc3339};

use crate::support::*;

const WEEK: i64 = 7 * 24 * 3600;

async fn seats(agent: &Agent, sub: &SubscriptionView, quantity: u32) -> reqwest::Response {
    let current = agent.subscription(sub.subscription.id).await;
    agent.patch(&current, json!({"quantity": quantity})).await
}

#[tokio::test]
async fn added_seats_can_be_removed_for_168_hours_to_the_second() {
    let server = TestServer::start_on(&TestDb::new(), &["--unsafe-test-clock"]).await;
    let admin = server.sign_in(ADMIN).await;
    let t = parse_rfc3339("2027-03-01T10:00:00Z").unwrap();
    admin.set_clock(t).await;
    let customer = admin.customers("q=contoso").await.items[0].id;
    let res = admin
        .order(
            &customer.to_string(),
            Some("window"),
            json!({"offer_id": "m365-business-basic", "quantity": 10}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let ordered: SubscriptionView = res.json().await.unwrap();
    assert_eq!(ordered.reducible_seats.total_quantity, 10);
    assert_eq!(
        ordered.reducible_seats.details[0].allowed_until,
        rfc3339(t + WEEK)
    );
    assert_eq!(ordered.as_of, "2027-03-01T10:00:00Z");

    // An hour later, five more: their own window, listed first.
    admin.set_clock(t + 3600).await;
    assert_eq!(seats(&admin, &ordered, 15).await.status(), StatusCode::OK);
    let view = admin.subscription(ordered.subscription.id).await;
    let windows: Vec<(u32, String)> = view
        .reducible_seats
        .details
        .iter()
        .map(|d| (d.quantity, d.allowed_until.clone()))
        .collect();
    assert_eq!(
        windows,
        vec![(5, rfc3339(t + 3600 + WEEK)), (10, rfc3339(t + WEEK))]
    );

    // 167:59:59 after the order: all fifteen can still go; remove ten (the five newest first).
    admin.set_clock(t + WEEK - 1).await;
    assert_eq!(seats(&admin, &ordered, 5).await.status(), StatusCode::OK);
    let view = admin.subscription(ordered.subscription.id).await;
    assert_eq!(view.reducible_seats.total_quantity, 5);
    assert_eq!(
        view.reducible_seats.details[0].allowed_until,
        rfc3339(t + WEEK)
    );

    // 168:00:00: the order's window has closed. Nothing can be removed; adding still works.
    admin.set_clock(t + WEEK).await;
    let view = admin.subscription(ordered.subscription.id).await;
    assert_eq!(view.reducible_seats.total_quantity, 0);
    let refused = expect_error(
        seats(&admin, &ordered, 4).await,
        422,
        ErrorCode::SeatReductionWindowClosed,
    )
    .await;
    assert_eq!(refused.field.as_deref(), Some("quantity"));
    assert!(
        refused.message.contains("none can be now"),
        "{}",
        refused.message
    );
    assert_eq!(seats(&admin, &ordered, 8).await.status(), StatusCode::OK);
    // Of the three just added, removing four is one too many; the message says how many and until when.
    let refused = expect_error(
        seats(&admin, &ordered, 4).await,
        422,
        ErrorCode::SeatReductionWindowClosed,
    )
    .await;
    assert!(
        refused.message.contains("at most 3 seats now"),
        "{}",
        refused.message
    );
    assert!(
        refused
            .message
            .contains(&rfc3339(t + 2 * WEEK).replace('T', " ").replace('Z', "")),
        "{}",
        refused.message
    );
    assert_eq!(seats(&admin, &ordered, 5).await.status(), StatusCode::OK);
    let held = admin.subscription(ordered.subscription.id).await;
    assert_eq!(
        (
            held.subscription.quantity,
            held.reducible_seats.total_quantity
        ),
        (5, 0)
    );
    // The audit trail holds every accepted change and nothing of the refused ones.
    let quantities: Vec<u32> = admin
        .events(ordered.subscription.id)
        .await
        .iter()
        .map(|e| e.after.quantity)
        .collect();
    assert_eq!(quantities, vec![10, 15, 5, 8, 5]);
}

#[tokio::test]
async fn without_the_flag_there_is_no_test_clock() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let res = admin
        .send(Method::POST, "/api/test/clock", |r| {
            r.json(&json!({"advance_seconds": 86400}))
        })
        .await;
    expect_error(res, 404, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn the_test_clock_refuses_instants_the_rules_cannot_date_and_changes_nothing() {
    let server = TestServer::start_on(&TestDb::new(), &["--unsafe-test-clock"]).await;
    let admin = server.sign_in(ADMIN).await;
    admin
        .set_clock(parse_rfc3339("2027-03-01T10:00:00Z").unwrap())
        .await;
    for body in [
        json!({"now": "9999-12-31T23:59:59Z"}),
        json!({"advance_seconds": i64::MAX}),
        json!({"advance_seconds": -100_000_000_000_i64}),
        json!({"now": "1999-12-31T23:59:59Z"}),
        // Within the calendar, but more than 2 years ahead in one move: every renewal on the
        // way is applied before the answer, so the jump is made in steps.
        json!({"now": "2029-03-10T10:00:00Z"}),
    ] {
        let res = admin
            .send(Method::POST, "/api/test/clock", |r| r.json(&body))
            .await;
        expect_error(res, 400, ErrorCode::MalformedRequest).await;
    }
    let view = admin
        .subscriptions_of(admin.customers("q=contoso").await.items[0].id)
        .await;
    assert_eq!(
        view[0].as_of, "2027-03-01T10:00:00Z",
        "the clock did not move"
    );
}
