use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorCode;
use shared::model::{Channel, Status};

use crate::support::*;

#[tokio::test]
async fn another_partner_cannot_see_or_change_anything_of_northwind() {
    let server = TestServer::start().await;
    let northwind = server.sign_in(ADMIN).await;
    let fabrikam = server.sign_in(FABRIKAM).await;
    let sub = northwind.find(Channel::Partner, Status::Active).await;
    let customer = sub.subscription.customer_id;
    let id = sub.subscription.id;
    let subscriptions_before = northwind.subscriptions_of(customer).await.len();

    let list = fabrikam.customers("per_page=100").await;
    assert_eq!(list.total, 10);
    assert!(list.items.iter().all(|c| c.id != customer));
    assert_eq!(
        fabrikam.customers(&format!("q={customer}")).await.total,
        0,
        "not even by id"
    );
    assert_eq!(fabrikam.customers("q=contoso").await.total, 0);

    for path in [
        format!("/api/customers/{customer}"),
        format!("/api/customers/{customer}/subscriptions"),
        format!("/api/subscriptions/{id}"),
        format!("/api/subscriptions/{id}/events"),
    ] {
        let body = expect_error(fabrikam.get(&path).await, 404, ErrorCode::NotFound).await;
        // Same words as for an id that never existed: nothing reveals that it does.
        let unknown = path
            .replace(
                &customer.to_string(),
                "00000000-0000-0000-0000-000000000000",
            )
            .replace(&id.to_string(), "00000000-0000-0000-0000-000000000000");
        let never = expect_error(fabrikam.get(&unknown).await, 404, ErrorCode::NotFound).await;
        assert_eq!(body, never, "{path}");
    }
    let q = sub.subscription.quantity + 1;
    expect_error(
        fabrikam.patch(&sub, json!({"quantity": q})).await,
        404,
        ErrorCode::NotFound,
    )
    .await;
    expect_error(
        fabrikam.patch(&sub, json!({"status": "suspended"})).await,
        404,
        ErrorCode::NotFound,
    )
    .await;
    expect_error(
        fabrikam
            .order(
                &customer.to_string(),
                Some("steal"),
                json!({"offer_id": "m365-business-basic", "quantity": 1}),
            )
            .await,
        404,
        ErrorCode::NotFound,
    )
    .await;
    // Northwind's data is untouched.
    assert_eq!(
        northwind.subscription(id).await.subscription,
        sub.subscription
    );
    assert_eq!(
        northwind.subscriptions_of(customer).await.len(),
        subscriptions_before
    );
    assert!(northwind.events(id).await.is_empty());
}

#[tokio::test]
async fn a_read_only_agent_can_look_but_every_change_is_forbidden() {
    let server = TestServer::start().await;
    let read_only = server.sign_in(READ_ONLY).await;
    let admin = server.sign_in(ADMIN).await;
    let active = read_only.find(Channel::Partner, Status::Active).await;
    let suspended = read_only.find(Channel::Partner, Status::Suspended).await;
    assert!(active.allowed_actions.is_empty(), "the view says so too");
    assert!(
        active
            .unavailable_actions
            .iter()
            .all(|u| u.code == ErrorCode::RoleNotAllowed)
    );
    let subscriptions_before = read_only
        .subscriptions_of(active.subscription.customer_id)
        .await
        .len();
    let q = active.subscription.quantity + 1;
    let attempts = [
        read_only.patch(&active, json!({"quantity": q})).await,
        read_only
            .patch(&active, json!({"status": "suspended"}))
            .await,
        read_only
            .patch(&suspended, json!({"status": "active"}))
            .await,
        // Even without the precondition or with a bad body, the role is what is refused.
        read_only
            .patch_with(&active.subscription.id.to_string(), None, json!({"x": 1}))
            .await,
        read_only
            .order(
                &active.subscription.customer_id.to_string(),
                Some("k"),
                json!({"offer_id": "m365-business-basic", "quantity": 1}),
            )
            .await,
    ];
    for res in attempts {
        let body = expect_error(res, 403, ErrorCode::RoleNotAllowed).await;
        assert!(body.message.contains("Read-only agent"));
    }
    assert_eq!(
        admin
            .subscription(active.subscription.id)
            .await
            .subscription,
        active.subscription
    );
    assert_eq!(
        admin
            .subscription(suspended.subscription.id)
            .await
            .subscription,
        suspended.subscription
    );
    assert_eq!(
        admin
            .subscriptions_of(active.subscription.customer_id)
            .await
            .len(),
        subscriptions_before
    );
    assert!(admin.events(active.subscription.id).await.is_empty());
    assert_eq!(read_only.get("/api/offers").await.status(), StatusCode::OK);
}
