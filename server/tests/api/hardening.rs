//! What a hostile run found (issue 19), each answered as the README says: sign-ins that filled
//! the disk, e-mail squatting across partners, dates outside the console's years, bodies read
//! as what they are not, weak entity tags, searches for control characters and Greek words,
//! audit trails too long to send at once.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::api::{EventPage, Team};

use crate::support::*;

#[tokio::test]
async fn sign_ins_with_new_e_mails_cannot_grow_the_attempts_table() {
    let db = TestDb::new();
    let server = TestServer::start_on(&db, &["--sign-in-attempts-kept", "10"]).await;
    let anonymous = server.anonymous();
    let sign_in = |email: String| {
        let anonymous = &anonymous;
        async move {
            anonymous
                .send(Method::POST, "/api/session", |r| {
                    r.json(&json!({"email": email, "password": "not the password"}))
                })
                .await
        }
    };
    // 60 KB of e-mail: refused before anything is written.
    let body = expect_error(
        sign_in(format!("{}@example.com", "a".repeat(60_000))).await,
        422,
        ErrorCode::InvalidEmail,
    )
    .await;
    assert!(body.message.contains("254"), "{}", body.message);
    assert_eq!(body.field.as_deref(), Some("email"));
    let rows = "SELECT COUNT(*) FROM sign_in_attempts";
    assert_eq!(query_number(&db, rows).await, 0);

    // New addresses each time: the table keeps the newest 10 attempts, each a fixed-size key.
    for i in 0..25 {
        let res = sign_in(format!("{}{i}@example.com", "b".repeat(240))).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    assert!(query_number(&db, rows).await <= 11);
    let longest = "SELECT CAST(MAX(LENGTH(key_hash)) AS BIGINT) FROM sign_in_attempts";
    assert_eq!(query_number(&db, longest).await, 64);
    // The throttle still counts per address.
    for _ in 0..5 {
        sign_in(ADMIN.to_owned()).await;
    }
    expect_error(
        sign_in(ADMIN.to_owned()).await,
        429,
        ErrorCode::TooManyAttempts,
    )
    .await;
}

#[tokio::test]
async fn a_partner_adds_agents_only_in_its_own_domains_and_learns_nothing_of_others() {
    let server = TestServer::start().await;
    let fabrikam = server.sign_in(FABRIKAM).await;
    let add = |email: &'static str| {
        let fabrikam = &fabrikam;
        async move {
            fabrikam
                .send(Method::POST, "/api/team", |r| {
                    r.json(&json!({"email": email, "display_name": "Someone", "role": "sales"}))
                })
                .await
        }
    };
    // An existing Northwind agent and an address nobody has get the same answer.
    let taken = expect_error(add(SALES).await, 422, ErrorCode::EmailDomainNotOwned).await;
    let free = expect_error(
        add("nobody-here@northwind.example").await,
        422,
        ErrorCode::EmailDomainNotOwned,
    )
    .await;
    assert_eq!(
        taken.message.replace(SALES, ""),
        free.message.replace("nobody-here@northwind.example", "")
    );
    assert!(
        taken.message.contains("northwind.example"),
        "{}",
        taken.message
    );
    // Nothing was taken: Northwind adds that person.
    let northwind = server.sign_in(ADMIN).await;
    let res = northwind
        .send(Method::POST, "/api/team", |r| {
            r.json(&json!({"email": "nobody-here@northwind.example", "display_name": "New", "role": "sales"}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // Its own domain works, and the team lists its domains.
    assert_eq!(
        add("new.agent@fabrikam.example").await.status(),
        StatusCode::CREATED
    );
    let team: Team = fabrikam.read("/api/team").await;
    assert_eq!(team.domains, vec!["fabrikam.example".to_owned()]);
}

#[tokio::test]
async fn activity_dates_stay_within_the_years_the_console_takes() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let body = expect_error(
        admin.get("/api/activity?to=0000-01-01").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert!(body.message.contains("2000-01-01"), "{}", body.message);
    expect_error(
        admin.get("/api/activity.csv?to=0000-01-01").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    // A default start that would fall before 2000 starts on its first day.
    let page: serde_json::Value = admin.read("/api/activity?to=2000-01-05").await;
    assert_eq!(page["from"], "2000-01-01");
    let res = admin.get("/api/activity.csv?to=2000-01-05").await;
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("activity-2000-01-01-to-2000-01-05.csv"),
        "{disposition}"
    );
}

#[tokio::test]
async fn bodies_are_objects_and_if_match_compares_strongly() {
    let server = TestServer::start().await;
    let admin = server.sign_in(HELPDESK).await;
    let sub = admin
        .find(
            shared::model::Channel::Partner,
            shared::model::Status::Active,
        )
        .await;
    let id = sub.subscription.id.to_string();
    let tag = format!("\"{}\"", sub.subscription.version);
    // A weak tag never matches (RFC 9110 §13.1.1).
    let weak = format!("W/{tag}");
    let body = expect_error(
        admin
            .patch_with(
                &id,
                Some(&weak),
                json!({"quantity": sub.subscription.quantity + 1}),
            )
            .await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("If-Match"));
    // Arrays where objects are wanted are unreadable, at the top or inside.
    let nested = expect_error(
        admin
            .patch_with(&id, Some(&tag), json!({"scheduled_change": [5, "annual"]}))
            .await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert!(nested.message.contains("sequence"), "{}", nested.message);
    expect_error(
        admin.patch_with(&id, Some(&tag), json!([])).await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    // Nothing changed.
    assert_eq!(
        admin.subscription(&id).await.subscription.version,
        sub.subscription.version
    );
}

#[tokio::test]
async fn searches_refuse_control_characters_and_fold_greek_final_sigma() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let body = expect_error(
        admin.get("/api/customers?q=%00").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("q"));
    expect_error(
        admin.get("/api/customers.csv?q=%00").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    let res = admin
        .send(Method::POST, "/api/customers", |r| {
            r.json(&json!({"name": "ΠΑΣΑ Πληροφορική", "domain": "pasa.example"}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    for q in ["ΠΑΣ", "πας", "Πασα", "ΠΑ"] {
        let found = admin.customers(&format!("q={q}")).await;
        assert!(
            found.items.iter().any(|c| c.name == "ΠΑΣΑ Πληροφορική"),
            "{q} finds it"
        );
    }
}

#[tokio::test]
async fn an_audit_trail_is_sent_a_page_at_a_time() {
    let server = TestServer::start().await;
    let admin = server.sign_in(HELPDESK).await;
    let mut sub = admin
        .find(
            shared::model::Channel::Partner,
            shared::model::Status::Active,
        )
        .await;
    let id = sub.subscription.id;
    for on in [false, true, false] {
        let res = admin.patch(&sub, json!({"auto_renew": on})).await;
        assert_eq!(res.status(), StatusCode::OK);
        sub = res.json().await.unwrap();
    }
    let all = admin.events(id).await;
    assert!(all.len() >= 3, "{} events", all.len());
    let page: EventPage = admin
        .read(&format!("/api/subscriptions/{id}/events?limit=2"))
        .await;
    assert_eq!(
        page.items,
        all[all.len() - 2..].to_vec(),
        "the latest two, oldest first"
    );
    let earlier = page.earlier.expect("older ones");
    let older: EventPage = admin
        .read(&format!(
            "/api/subscriptions/{id}/events?limit=500&before={earlier}"
        ))
        .await;
    assert_eq!(older.items, all[..all.len() - 2].to_vec());
    assert_eq!(older.earlier, None);
    let res = admin
        .get(&format!("/api/subscriptions/{id}/events?limit=501"))
        .await;
    expect_error(res, 422, ErrorCode::ParameterOutOfRange).await;
    let res = admin
        .get(&format!("/api/subscriptions/{id}/events?before=-1"))
        .await;
    expect_error(res, 400, ErrorCode::MalformedRequest).await;
}
