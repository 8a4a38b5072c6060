use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorCode;
use shared::api::{EventAction, SubscriptionView};
use shared::model::{Channel, Status};

use crate::support::*;

async fn contoso(agent: &Agent) -> String {
    agent.customers("q=contoso").await.items[0].id.to_string()
}

#[tokio::test]
async fn an_order_creates_an_active_partner_subscription_with_its_event() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let customer = contoso(&admin).await;
    let before = admin.subscriptions_of(&customer).await.len();
    let res = admin
        .order(
            &customer,
            Some("order-1"),
            json!({"offer_id": "m365-e3", "quantity": 40}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("idempotent-replayed").is_none());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: SubscriptionView = res.json().await.unwrap();
    let s = &created.subscription;
    assert_eq!(location, format!("/api/subscriptions/{}", s.id));
    assert_eq!(
        (s.offer_name.as_str(), s.quantity, s.version),
        ("Microsoft 365 E3", 40, 1)
    );
    assert_eq!(
        (s.status, s.channel, s.auto_renew),
        (Status::Active, Channel::Partner, true)
    );
    assert!(
        *s.commitment_end > s.created_at[..10],
        "an annual term ends after it starts"
    );

    let listed = admin.subscriptions_of(&customer).await;
    assert_eq!(listed.len(), before + 1);
    assert!(
        listed
            .iter()
            .any(|v| v.subscription == created.subscription),
        "the new subscription is listed"
    );
    let events = admin.events(s.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].action,
            events[0].before.clone(),
            events[0].after.quantity
        ),
        (EventAction::Created, None, 40)
    );
}

#[tokio::test]
async fn the_same_key_and_body_returns_the_first_order_and_creates_nothing() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let customer = contoso(&admin).await;
    let body = json!({"offer_id": "teams-essentials", "quantity": 12});
    let first: SubscriptionView = admin
        .order(&customer, Some("retry-me"), body.clone())
        .await
        .json()
        .await
        .unwrap();
    let count = admin.subscriptions_of(&customer).await.len();
    // A retry, with the seats as text this time: the same order.
    let res = admin
        .order(
            &customer,
            Some("retry-me"),
            json!({"offer_id": "teams-essentials", "quantity": "12"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let again: SubscriptionView = res.json().await.unwrap();
    assert_eq!(again.subscription, first.subscription);
    assert_eq!(admin.subscriptions_of(&customer).await.len(), count);
    // The same key for a different order is refused.
    let other = json!({"offer_id": "teams-essentials", "quantity": 13});
    let err = expect_error(
        admin
            .order(&customer, Some("retry-me"), other.clone())
            .await,
        422,
        ErrorCode::IdempotencyKeyReused,
    )
    .await;
    assert_eq!(err.field.as_deref(), Some("Idempotency-Key"));
    // A new key is a new order.
    assert_eq!(
        admin.order(&customer, Some("second"), other).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(admin.subscriptions_of(&customer).await.len(), count + 1);
}

#[tokio::test]
async fn an_order_needs_a_valid_idempotency_key() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let customer = contoso(&admin).await;
    let body = json!({"offer_id": "m365-business-basic", "quantity": 3});
    expect_error(
        admin.order(&customer, None, body.clone()).await,
        428,
        ErrorCode::IdempotencyKeyRequired,
    )
    .await;
    let long = "k".repeat(201);
    for bad in ["", "two words", long.as_str()] {
        let err = expect_error(
            admin.order(&customer, Some(bad), body.clone()).await,
            400,
            ErrorCode::MalformedRequest,
        )
        .await;
        assert_eq!(err.field.as_deref(), Some("Idempotency-Key"));
    }
}

#[tokio::test]
async fn an_order_needs_an_authorised_offer_and_seats_within_that_offers_bounds() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let customer = contoso(&admin).await;
    let count = admin.subscriptions_of(&customer).await.len();
    // Visio is in the catalogue but Northwind may not sell it; "made-up" does not exist.
    for offer in ["visio-plan-2", "made-up"] {
        let err = expect_error(
            admin
                .order(
                    &customer,
                    Some(&format!("k-{offer}")),
                    json!({"offer_id": offer, "quantity": 5}),
                )
                .await,
            422,
            ErrorCode::OfferNotAuthorised,
        )
        .await;
        assert_eq!(err.field.as_deref(), Some("offer_id"));
    }
    // 301 is fine for E3 (up to 10000) but too many for Teams Essentials (up to 300).
    let err = expect_error(
        admin
            .order(
                &customer,
                Some("k-teams"),
                json!({"offer_id": "teams-essentials", "quantity": 301}),
            )
            .await,
        422,
        ErrorCode::InvalidQuantity,
    )
    .await;
    assert!(
        err.message.contains("between 1 and 300 seats"),
        "{}",
        err.message
    );
    for bad in [json!(0), json!(-1), json!(1.5), json!("many")] {
        expect_error(
            admin
                .order(
                    &customer,
                    Some("k-bad"),
                    json!({"offer_id": "m365-e3", "quantity": bad}),
                )
                .await,
            422,
            ErrorCode::InvalidQuantity,
        )
        .await;
    }
    let ok = admin
        .order(
            &customer,
            Some("k-e3"),
            json!({"offer_id": "m365-e3", "quantity": 301}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    assert_eq!(
        admin.subscriptions_of(&customer).await.len(),
        count + 1,
        "only the valid order was placed"
    );
    // A refused order does not burn its key: fixed, it goes through.
    let fixed = admin
        .order(
            &customer,
            Some("k-teams"),
            json!({"offer_id": "teams-essentials", "quantity": 300}),
        )
        .await;
    assert_eq!(fixed.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn ordering_for_an_unknown_customer_is_not_found() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let body = json!({"offer_id": "m365-business-basic", "quantity": 3});
    for id in ["00000000-0000-0000-0000-000000000000", "junk"] {
        expect_error(
            admin.order(id, Some("k"), body.clone()).await,
            404,
            ErrorCode::NotFound,
        )
        .await;
    }
}
