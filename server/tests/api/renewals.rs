//! The Renewals page's data and calendar file: partner-bought subscriptions whose term ends in
//! the next 7, 30 or 90 days, soonest first; what the end brings; one calendar event each.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorCode;
use shared::api::ItemList;
use shared::model::{Channel, Status};
use shared::renewals::{Renewal, TermEnd};

use crate::support::*;

#[tokio::test]
async fn renewals_in_each_window_soonest_first_with_a_calendar_file() {
    let server = TestServer::start_on(&TestDb::new(), &["--unsafe-test-clock"]).await;
    let admin = server.sign_in(ADMIN).await;
    let window = |days: u32| {
        let admin = &admin;
        async move {
            admin
                .read::<ItemList<Renewal>>(&format!("/api/renewals?days={days}"))
                .await
                .items
        }
    };
    let (week, month, quarter) = (window(7).await, window(30).await, window(90).await);
    assert!(!quarter.is_empty(), "demo data renews within 90 days");
    let ids = |list: &[Renewal]| {
        list.iter()
            .map(|r| r.subscription.id)
            .collect::<HashSet<_>>()
    };
    assert!(ids(&week).is_subset(&ids(&month)) && ids(&month).is_subset(&ids(&quarter)));
    let mut previous = String::new();
    for r in &quarter {
        let s = &r.subscription;
        assert_eq!(s.channel, Channel::Partner);
        assert!(r.days_left <= 90);
        assert!(s.commitment_end >= previous, "soonest first");
        previous = s.commitment_end.clone();
        let expected = match (s.status, s.auto_renew) {
            (Status::Active, true) => TermEnd::Renews,
            (Status::Active, false) => TermEnd::Expires,
            (Status::Suspended, _) => TermEnd::Ends,
            (ended, _) => panic!("only live subscriptions renew or end, not {ended}"),
        };
        assert_eq!(r.term_end, expected);
        assert_eq!(r.monthly_cost_cents % u64::from(s.quantity), 0);
    }
    assert_eq!(
        window(30).await.len(),
        month.len(),
        "default and explicit agree"
    );
    assert_eq!(
        admin
            .read::<ItemList<Renewal>>("/api/renewals")
            .await
            .items
            .len(),
        month.len()
    );

    // The demo's renewal in 3 days has a lower seat count scheduled: listed, and in the file.
    let scheduled = week
        .iter()
        .find(|r| r.subscription.scheduled.is_some())
        .expect("a renewal this week with a change scheduled");
    assert_eq!(scheduled.term_end, TermEnd::Renews);
    let ics = admin
        .get("/api/renewals.ics?days=7")
        .await
        .text()
        .await
        .unwrap();
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains("Scheduled for the renewal: 30 seats\\, annual."),
        "{unfolded}"
    );

    // Turning auto-renew off turns "renews" into "expires".
    if let Some(r) = quarter.iter().find(|r| r.term_end == TermEnd::Renews) {
        let view = admin.subscription(r.subscription.id).await;
        assert_eq!(
            admin
                .patch(&view, json!({"auto_renew": false}))
                .await
                .status(),
            StatusCode::OK
        );
        let again = window(90).await;
        let same = again
            .iter()
            .find(|x| x.subscription.id == r.subscription.id)
            .unwrap();
        assert_eq!(same.term_end, TermEnd::Expires);
    }

    // The calendar: one event per renewal, a reminder 7 days before, CRLF lines of 75 octets.
    let res = admin.get("/api/renewals.ics?days=90").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = res.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), quarter.len());
    assert_eq!(ics.matches("TRIGGER:-P7D").count(), quarter.len());
    assert!(ics.split("\r\n").all(|l| l.len() <= 75));
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "no bare line feeds"
    );

    // A year later, other terms end: the clock decides, not the test's patience.
    let now: serde_json::Value = admin
        .send(reqwest::Method::POST, "/api/test/clock", |r| {
            r.json(&json!({"advance_seconds": 200 * 24 * 3600}))
        })
        .await
        .json()
        .await
        .unwrap();
    assert!(now["now"].as_str().is_some());
    let later = window(90).await;
    assert!(later.iter().all(|r| r.days_left <= 90));
    assert_ne!(ids(&later), ids(&quarter));

    // Another partner's renewals are its own; bad windows are named.
    let fabrikam = server.sign_in(FABRIKAM).await;
    let theirs = fabrikam
        .read::<ItemList<Renewal>>("/api/renewals?days=90")
        .await
        .items;
    assert!(ids(&theirs).is_disjoint(&ids(&quarter)));
    let error = expect_error(
        admin.get("/api/renewals?days=31").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("days"));
    let repeated = expect_error(
        admin.get("/api/renewals?days=7&days=30").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert_eq!(repeated.field.as_deref(), Some("days"));
    expect_error(
        server.anonymous().get("/api/renewals.ics").await,
        401,
        ErrorCode::NotSignedIn,
    )
    .await;
}
