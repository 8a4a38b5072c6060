//! Add customer: a company name and a primary domain, checked by `shared`'s rules, unique
//! within the partner; the new customer can order at once.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::ErrorCode;
use shared::model::Customer;

use crate::support::*;

async fn add(agent: &Agent, body: Value) -> reqwest::Response {
    agent
        .send(Method::POST, "/api/customers", |r| r.json(&body))
        .await
}

#[tokio::test]
async fn a_new_customer_is_listed_found_and_can_order() {
    let server = TestServer::start().await;
    let sales = server.sign_in(SALES).await;
    let res = add(
        &sales,
        json!({"name": "  Lamna Gliders ", "domain": "LamnaGliders.OnMicrosoft.com."}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let added: Customer = res.json().await.unwrap();
    assert_eq!(
        (
            added.name.as_str(),
            added.domain.as_str(),
            added.subscription_count
        ),
        ("Lamna Gliders", "lamnagliders.onmicrosoft.com", 0)
    );
    assert_eq!(location, format!("/api/customers/{}", added.id));
    let found = sales.customers("q=lamnagliders").await;
    assert_eq!(found.items, vec![added.clone()]);

    let res = sales
        .order(
            &added.id.to_string(),
            Some("first"),
            json!({"offer_id": "m365-business-basic", "quantity": 3}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(sales.subscriptions_of(added.id).await.len(), 1);
    // Another partner neither sees it nor is blocked by its domain.
    let fabrikam = server.sign_in(FABRIKAM).await;
    expect_error(fabrikam.get(&location).await, 404, ErrorCode::NotFound).await;
    let res = add(
        &fabrikam,
        json!({"name": "Lamna Gliders", "domain": "lamnagliders.onmicrosoft.com"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bad_or_taken_domains_and_names_are_refused_and_nothing_is_added() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let before = admin.customers("").await.total;
    let taken = admin.customers("").await.items[0].domain.clone();
    let cases = [
        (
            json!({"name": "X", "domain": "contoso"}),
            422,
            ErrorCode::InvalidDomain,
            "domain",
            "needs at least one dot",
        ),
        (
            json!({"name": "X", "domain": "con toso.com"}),
            422,
            ErrorCode::InvalidDomain,
            "domain",
            "only letters",
        ),
        (
            json!({"name": "X", "domain": ""}),
            422,
            ErrorCode::InvalidDomain,
            "domain",
            "Enter the customer's primary domain",
        ),
        (
            json!({"name": "", "domain": "x.example"}),
            422,
            ErrorCode::InvalidName,
            "name",
            "company name",
        ),
        (
            json!({"name": "X", "domain": taken.to_uppercase()}),
            409,
            ErrorCode::DomainTaken,
            "domain",
            "already has the primary domain",
        ),
    ];
    for (body, status, code, field, words) in cases {
        let error = expect_error(add(&admin, body.clone()).await, status, code).await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
        assert!(error.message.contains(words), "{body}: {}", error.message);
    }
    expect_error(
        add(&admin, json!({"name": "X"})).await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    expect_error(
        add(
            &admin,
            json!({"name": "X", "domain": "x.example", "id": "mine"}),
        )
        .await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    let helpdesk = server.sign_in(HELPDESK).await;
    expect_error(
        add(&helpdesk, json!({"name": "X", "domain": "x.example"})).await,
        403,
        ErrorCode::RoleNotAllowed,
    )
    .await;
    assert_eq!(admin.customers("").await.total, before);
}
