use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorCode;
use shared::api::{EventAction, SubscriptionView};
use shared::model::{Channel, Status};
use shared::permissions::SubscriptionAction;

use crate::support::*;

#[tokio::test]
async fn a_subscription_carries_its_etag_details_and_allowed_actions() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let res = admin
        .get(&format!("/api/subscriptions/{}", sub.subscription.id))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["etag"],
        format!("\"{}\"", sub.subscription.version).as_str()
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let json: serde_json::Value = res.json().await.unwrap();
    for field in [
        "id",
        "customer_id",
        "offer_id",
        "offer_name",
        "quantity",
        "status",
        "channel",
        "auto_renew",
        "created_at",
        "commitment_end",
        "version",
        "allowed_actions",
        "min_quantity",
        "max_quantity",
    ] {
        assert!(json.get(field).is_some(), "field {field} in {json}");
    }
    assert_eq!(
        json["allowed_actions"],
        json!([
            "change_quantity",
            "suspend",
            "switch_auto_renew",
            "manage_renewal"
        ])
    );
    let direct = admin.find(Channel::Direct, Status::Active).await;
    assert!(direct.allowed_actions.is_empty());
    assert!(
        direct
            .unavailable_actions
            .iter()
            .all(|u| u.code == ErrorCode::BoughtDirectly)
    );
    let suspended = admin.find(Channel::Partner, Status::Suspended).await;
    assert_eq!(suspended.allowed_actions, [SubscriptionAction::Activate]);
}

#[tokio::test]
async fn changing_seats_writes_a_new_version_and_one_audit_event() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let s = &sub.subscription;
    let new_quantity = if s.quantity < s.max_quantity {
        s.quantity + 1
    } else {
        s.quantity - 1
    };
    let res = admin.patch(&sub, json!({"quantity": new_quantity})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["etag"],
        format!("\"{}\"", s.version + 1).as_str()
    );
    let changed: SubscriptionView = res.json().await.unwrap();
    assert_eq!(
        (changed.subscription.quantity, changed.subscription.version),
        (new_quantity, s.version + 1)
    );
    let reread = admin.subscription(s.id).await;
    assert_eq!(
        reread.subscription, changed.subscription,
        "the change is stored"
    );

    let events = admin.events(s.id).await;
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (e.action, e.agent_email.as_str()),
        (EventAction::QuantityChanged, ADMIN)
    );
    assert_eq!(e.before.as_ref().unwrap().quantity, s.quantity);
    assert_eq!(e.after.quantity, new_quantity);
    assert!(e.at.ends_with('Z'));

    // A string with digits counts as the number (a form's text).
    let res = admin
        .patch(&changed, json!({"quantity": s.quantity.to_string()}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        admin.subscription(s.id).await.subscription.quantity,
        s.quantity
    );
}

#[tokio::test]
async fn invalid_seat_counts_are_refused_naming_the_bounds_and_change_nothing() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let (min, max) = (sub.subscription.min_quantity, sub.subscription.max_quantity);
    let bounds = format!("between {min} and {max} seats");
    for bad in [
        json!(0),
        json!(-3),
        json!(max + 1),
        json!(2.5),
        json!(1e20),
        json!("abc"),
        json!(""),
        json!("1.000"),
        json!(true),
        json!([5]),
        json!({"n": 5}),
        json!(18446744073709551615u64),
        json!("99999999999999999999999999999999999999999999999"),
    ] {
        let body = expect_error(
            admin.patch(&sub, json!({"quantity": bad})).await,
            422,
            ErrorCode::InvalidQuantity,
        )
        .await;
        assert!(body.message.contains(&bounds), "{bad}: {}", body.message);
        assert_eq!(body.field.as_deref(), Some("quantity"));
    }
    let unchanged = expect_error(
        admin
            .patch(&sub, json!({"quantity": sub.subscription.quantity}))
            .await,
        422,
        ErrorCode::QuantityUnchanged,
    )
    .await;
    assert!(
        unchanged
            .message
            .contains(&sub.subscription.quantity.to_string())
    );
    assert_eq!(
        admin.subscription(sub.subscription.id).await.subscription,
        sub.subscription,
        "nothing changed"
    );
    assert!(
        admin.events(sub.subscription.id).await.is_empty(),
        "no event for a refused change"
    );
}

#[tokio::test]
async fn seats_do_not_change_while_suspended_and_direct_subscriptions_are_read_only() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let suspended = admin.find(Channel::Partner, Status::Suspended).await;
    let new = suspended.subscription.quantity + 1;
    let body = expect_error(
        admin.patch(&suspended, json!({"quantity": new})).await,
        422,
        ErrorCode::SubscriptionSuspended,
    )
    .await;
    assert!(body.message.contains("suspended"));

    let direct = admin.find(Channel::Direct, Status::Active).await;
    for change in [json!({"quantity": 7}), json!({"status": "suspended"})] {
        let body = expect_error(
            admin.patch(&direct, change).await,
            403,
            ErrorCode::BoughtDirectly,
        )
        .await;
        assert_eq!(
            body.message,
            "This subscription was bought directly by the customer and can only be changed by them."
        );
    }
    assert_eq!(
        admin
            .subscription(direct.subscription.id)
            .await
            .subscription,
        direct.subscription
    );
    assert!(admin.events(direct.subscription.id).await.is_empty());
}

#[tokio::test]
async fn suspend_turns_auto_renew_off_then_activate() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let res = admin.patch(&sub, json!({"status": "suspended"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let suspended: SubscriptionView = res.json().await.unwrap();
    assert_eq!(suspended.subscription.status, Status::Suspended);
    assert!(!suspended.subscription.auto_renew);
    assert_eq!(suspended.allowed_actions, [SubscriptionAction::Activate]);
    expect_error(
        admin
            .patch(&suspended, json!({"status": "suspended"}))
            .await,
        422,
        ErrorCode::StatusUnchanged,
    )
    .await;

    let res = admin.patch(&suspended, json!({"status": "active"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let active = admin.subscription(sub.subscription.id).await;
    assert_eq!(
        (active.subscription.status, active.subscription.version),
        (Status::Active, sub.subscription.version + 2)
    );

    let events = admin.events(sub.subscription.id).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].action, EventAction::StatusChanged);
    assert_eq!(events[0].before.as_ref().unwrap().status, Status::Active);
    assert_eq!(
        (events[0].after.status, events[0].after.auto_renew),
        (Status::Suspended, false)
    );
    assert_eq!(events[1].after.status, Status::Active);
}

#[tokio::test]
async fn a_change_request_must_change_exactly_one_known_thing() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    expect_error(
        admin.patch(&sub, json!({})).await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    expect_error(
        admin
            .patch(&sub, json!({"quantity": 3, "status": "suspended"}))
            .await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    // Expired is what the end of a term does, not something to ask for.
    let body = expect_error(
        admin.patch(&sub, json!({"status": "expired"})).await,
        422,
        ErrorCode::InvalidStatus,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("status"));
    // The demo's subscriptions were ordered weeks ago: too late to cancel.
    let body = expect_error(
        admin.patch(&sub, json!({"status": "cancelled"})).await,
        422,
        ErrorCode::CancellationWindowClosed,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("status"));
    let body = expect_error(
        admin.patch(&sub, json!({"seats": 3})).await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert!(
        body.message.contains("seats"),
        "names the unknown field: {}",
        body.message
    );
    assert_eq!(
        admin.subscription(sub.subscription.id).await.subscription,
        sub.subscription
    );
}

#[tokio::test]
async fn if_match_is_required_and_a_stale_one_is_a_conflict_with_the_current_state() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let id = sub.subscription.id.to_string();
    let q = sub.subscription.quantity + 1;
    expect_error(
        admin.patch_with(&id, None, json!({"quantity": q})).await,
        428,
        ErrorCode::IfMatchRequired,
    )
    .await;
    let body = expect_error(
        admin
            .patch_with(&id, Some("*"), json!({"quantity": q}))
            .await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("If-Match"));

    // Someone else changes it first…
    assert_eq!(
        admin
            .patch(&sub, json!({"status": "suspended"}))
            .await
            .status(),
        StatusCode::OK
    );
    // …so a change based on the old version is refused, with what is there now.
    let body = expect_error(
        admin.patch(&sub, json!({"quantity": q})).await,
        409,
        ErrorCode::VersionConflict,
    )
    .await;
    let current = body.current.expect("the current subscription");
    assert_eq!(current.subscription.status, Status::Suspended);
    assert_eq!(current.subscription.version, sub.subscription.version + 1);
    assert_eq!(
        admin.subscription(&id).await.subscription.quantity,
        sub.subscription.quantity,
        "seats untouched"
    );
    assert_eq!(
        admin.events(&id).await.len(),
        1,
        "only the successful change is recorded"
    );
    // Re-applied on the current version, the rules speak (suspended: no seat changes).
    expect_error(
        admin.patch(&current, json!({"quantity": q})).await,
        422,
        ErrorCode::SubscriptionSuspended,
    )
    .await;
}

#[tokio::test]
async fn unknown_subscription_ids_are_not_found() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    for id in ["00000000-0000-0000-0000-000000000000", "nope"] {
        expect_error(
            admin.get(&format!("/api/subscriptions/{id}")).await,
            404,
            ErrorCode::NotFound,
        )
        .await;
        expect_error(
            admin.get(&format!("/api/subscriptions/{id}/events")).await,
            404,
            ErrorCode::NotFound,
        )
        .await;
        expect_error(
            admin
                .patch_with(id, Some("\"1\""), json!({"quantity": 2}))
                .await,
            404,
            ErrorCode::NotFound,
        )
        .await;
    }
}

#[tokio::test]
async fn the_audit_trail_downloads_as_csv() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let (id, seats, renew) = (
        sub.subscription.id,
        sub.subscription.quantity,
        sub.subscription.auto_renew,
    );
    let res = admin.patch(&sub, json!({"quantity": seats + 1})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed = admin.subscription(id).await;
    let res = admin.patch(&changed, json!({"status": "suspended"})).await;
    assert_eq!(res.status(), StatusCode::OK);

    let path = format!("/api/subscriptions/{id}/events.csv");
    let res = admin.get(&path).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"subscription-{id}-history.csv\"").as_str()
    );
    let body = res.text().await.unwrap();
    let events = admin.events(id).await;
    let more = seats + 1;
    assert_eq!(
        body,
        format!(
            "at,agent,action,seats_before,seats_after,status_before,status_after,auto_renew_before,auto_renew_after,\
             term_before,term_after,commitment_end_before,commitment_end_after,scheduled_before,scheduled_after\r\n\
             {},{ADMIN},quantity_changed,{seats},{more},active,active,{renew},{renew},{term},{term},{end},{end},{scheduled},\r\n\
             {},{ADMIN},status_changed,{more},{more},active,suspended,{renew},false,{term},{term},{end},{end},,\r\n",
            events[0].at,
            events[1].at,
            term = sub.subscription.term,
            end = sub.subscription.commitment_end,
            // A change of seats drops what was scheduled for the renewal, and the file says so.
            scheduled = sub
                .subscription
                .scheduled
                .as_ref()
                .map(|c| format!("{} seats ({})", c.quantity, c.term))
                .unwrap_or_default(),
        )
    );
    // Another partner gets the same 404 as for an id that never existed.
    let fabrikam = server.sign_in(FABRIKAM).await;
    expect_error(fabrikam.get(&path).await, 404, ErrorCode::NotFound).await;
}
