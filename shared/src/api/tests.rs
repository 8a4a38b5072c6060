//! The API conventions' tests: paging, changes, events, headers, error bodies.

use super::*;
use crate::fixtures::subscription;
use crate::model::{Role, Status};
use crate::rules::RuleError;

#[test]
fn paging_defaults_bounds_and_messages() {
    assert_eq!(
        PageRequest::parse(None, None),
        Ok(PageRequest {
            page: 1,
            per_page: 25
        })
    );
    assert_eq!(
        PageRequest::parse(Some("3"), Some("100")),
        Ok(PageRequest {
            page: 3,
            per_page: 100
        })
    );
    assert_eq!(
        PageRequest::parse(Some("3"), Some("10")).unwrap().offset(),
        20
    );
    for (page, per_page, field) in [
        ("0", "10", "page"),
        ("-1", "10", "page"),
        ("x", "10", "page"),
        ("1", "101", "per_page"),
        ("1", "0", "per_page"),
        ("1", "2.5", "per_page"),
    ] {
        let e = PageRequest::parse(Some(page), Some(per_page)).unwrap_err();
        assert_eq!(e.field, field);
        assert!(e.message.contains(field));
    }
}

#[test]
fn a_change_request_changes_exactly_one_thing() {
    let parse = |j: &str| serde_json::from_str::<ChangeSubscriptionRequest>(j);
    assert_eq!(
        parse(r#"{"quantity": 5}"#).unwrap().into_change(),
        Ok(SubscriptionChange::Quantity(5.into()))
    );
    assert_eq!(
        parse(r#"{"status": "suspended"}"#).unwrap().into_change(),
        Ok(SubscriptionChange::Status(Status::Suspended))
    );
    assert_eq!(
        parse("{}").unwrap().into_change(),
        Err(RuleError::NothingToChange)
    );
    assert_eq!(
        parse(r#"{"quantity": 5, "status": "active"}"#)
            .unwrap()
            .into_change(),
        Err(RuleError::OneChangeAtATime)
    );
    assert!(matches!(
        parse(r#"{"status": "expired"}"#).unwrap().into_change(),
        Err(RuleError::UnknownStatus { .. })
    ));
    assert_eq!(
        parse(r#"{"scheduled_change": null}"#)
            .unwrap()
            .into_change(),
        Ok(SubscriptionChange::Schedule(None))
    );
    assert!(matches!(
        parse(r#"{"scheduled_change": {"quantity": 4, "term": "monthly"}}"#)
            .unwrap()
            .into_change(),
        Ok(SubscriptionChange::Schedule(Some(_)))
    ));
    assert_eq!(
        parse(r#"{"scheduled_change": null, "auto_renew": true}"#)
            .unwrap()
            .into_change(),
        Err(RuleError::OneChangeAtATime)
    );
    assert!(
        parse(r#"{"seats": 5}"#).is_err(),
        "unknown fields are refused"
    );
}

#[test]
fn event_pages_take_digits_within_bounds() {
    assert_eq!(
        EventsRequest::parse(None, None),
        Ok(EventsRequest {
            before: None,
            limit: 100
        })
    );
    assert_eq!(
        EventsRequest::parse(Some("42"), Some("500")),
        Ok(EventsRequest {
            before: Some(42),
            limit: 500
        })
    );
    assert!(
        EventsRequest::parse(None, Some("501"))
            .unwrap_err()
            .out_of_range
    );
    assert!(
        !EventsRequest::parse(None, Some("+5"))
            .unwrap_err()
            .out_of_range
    );
    assert!(EventsRequest::parse(Some("-1"), None).is_err());
}

#[test]
fn etags_round_trip() {
    assert_eq!(etag_for(7), "\"7\"");
    assert_eq!(parse_if_match(&etag_for(7)), Ok(7));
    assert!(
        parse_if_match("W/\"7\"").is_err(),
        "a weak tag never matches"
    );
    assert_eq!(parse_if_match("7"), Ok(7));
    assert!(parse_if_match("*").is_err());
    assert!(parse_if_match("\"abc\"").is_err());
}

#[test]
fn idempotency_keys() {
    assert!(parse_idempotency_key("0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d").is_ok());
    assert!(parse_idempotency_key("").is_err());
    assert!(parse_idempotency_key("has space").is_err());
    assert!(parse_idempotency_key(&"k".repeat(201)).is_err());
    assert!(parse_idempotency_key(&"k".repeat(200)).is_ok());
}

#[test]
fn a_subscription_view_flattens_the_subscription_and_round_trips() {
    let view = SubscriptionView::new(subscription(), Role::Admin, 0);
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["quantity"], 10);
    assert_eq!(json["status"], "active");
    assert_eq!(json["channel"], "partner");
    assert_eq!(
        json["allowed_actions"],
        serde_json::json!([
            "change_quantity",
            "suspend",
            "switch_auto_renew",
            "cancel",
            "manage_renewal"
        ])
    );
    let back: SubscriptionView = serde_json::from_value(json).unwrap();
    assert_eq!(back, view);
}

#[test]
fn unknown_error_codes_still_parse() {
    let body: ErrorBody =
        serde_json::from_str(r#"{"code":"from_the_future","message":"x"}"#).unwrap();
    assert_eq!(body.code, ErrorCode::Unknown);
}
