//! The auto-renew switch: `PATCH {"auto_renew": false}` with If-Match, like the other changes;
//! on active partner-bought subscriptions only; audited; and for the roles that change things.

use serde_json::json;
use shared::ErrorCode;
use shared::api::EventAction;
use shared::model::{Channel, Status};
use shared::permissions::SubscriptionAction;

use crate::support::*;

#[tokio::test]
async fn auto_renew_switches_off_and_on_with_an_event_each() {
    let server = TestServer::start().await;
    let helpdesk = server.sign_in(HELPDESK).await;
    let sub = helpdesk
        .all_subscriptions()
        .await
        .into_iter()
        .find(|s| {
            s.subscription.channel == Channel::Partner
                && s.subscription.status == Status::Active
                && s.subscription.auto_renew
        })
        .expect("demo data has an active subscription that renews");
    assert!(
        sub.allowed_actions
            .contains(&SubscriptionAction::SwitchAutoRenew)
    );
    let res = helpdesk.patch(&sub, json!({"auto_renew": false})).await;
    assert_eq!(res.status(), 200);
    let off: shared::api::SubscriptionView = res.json().await.unwrap();
    assert!(!off.subscription.auto_renew);
    assert_eq!(off.subscription.version, sub.subscription.version + 1);
    assert_eq!(off.subscription.quantity, sub.subscription.quantity);
    let error = expect_error(
        helpdesk.patch(&off, json!({"auto_renew": false})).await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    assert_eq!(error.message, "Auto-renew is already off.");
    assert_eq!(error.field.as_deref(), Some("auto_renew"));
    assert_eq!(
        helpdesk
            .patch(&off, json!({"auto_renew": true}))
            .await
            .status(),
        200
    );
    let events = helpdesk.events(sub.subscription.id).await;
    let seen: Vec<(EventAction, bool, bool)> = events
        .iter()
        .map(|e| {
            (
                e.action,
                e.before.as_ref().unwrap().auto_renew,
                e.after.auto_renew,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (EventAction::AutoRenewChanged, true, false),
            (EventAction::AutoRenewChanged, false, true)
        ]
    );

    // One change at a time; a stale version is a conflict; sales may not.
    let now = helpdesk.subscription(sub.subscription.id).await;
    expect_error(
        helpdesk
            .patch(&now, json!({"auto_renew": false, "quantity": 3}))
            .await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    expect_error(
        helpdesk.patch(&off, json!({"auto_renew": false})).await,
        409,
        ErrorCode::VersionConflict,
    )
    .await;
    let sales = server.sign_in(SALES).await;
    expect_error(
        sales.patch(&now, json!({"auto_renew": false})).await,
        403,
        ErrorCode::RoleNotAllowed,
    )
    .await;
}

#[tokio::test]
async fn suspended_and_direct_subscriptions_keep_their_auto_renew() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let suspended = admin.find(Channel::Partner, Status::Suspended).await;
    let error = expect_error(
        admin.patch(&suspended, json!({"auto_renew": true})).await,
        422,
        ErrorCode::SubscriptionSuspended,
    )
    .await;
    assert!(
        error.message.contains("does not renew"),
        "{}",
        error.message
    );
    let direct = admin.find(Channel::Direct, Status::Active).await;
    expect_error(
        admin.patch(&direct, json!({"auto_renew": true})).await,
        403,
        ErrorCode::BoughtDirectly,
    )
    .await;
    expect_error(
        admin.patch(&direct, json!({"auto_renew": "yes"})).await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert!(admin.events(suspended.subscription.id).await.is_empty());
}
