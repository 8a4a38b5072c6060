//! Bad input of every kind gets a clear JSON error, never a crash or a 500.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::model::{Channel, Status};

use crate::support::*;

#[tokio::test]
async fn malformed_json_wrong_content_type_and_oversized_bodies() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let path = format!("/api/subscriptions/{}", sub.subscription.id);
    let etag = format!("\"{}\"", sub.subscription.version);
    let send = |body: Vec<u8>, content_type: &'static str| {
        let (admin, path, etag) = (&admin, path.clone(), etag.clone());
        async move {
            admin
                .send(Method::PATCH, &path, move |r| {
                    r.header("content-type", content_type)
                        .header("if-match", etag)
                        .body(body)
                })
                .await
        }
    };
    let body = expect_error(
        send(b"{\"quantity\": ".to_vec(), "application/json").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert!(body.message.contains("not valid JSON"), "{}", body.message);
    expect_error(
        send(b"[1,2,3]".to_vec(), "application/json").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    expect_error(
        send(vec![0xff, 0xfe, 0x00], "application/json").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    expect_error(
        send(b"{\"quantity\": 5}".to_vec(), "text/plain").await,
        415,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    let huge = format!("{{\"quantity\": \"{}\"}}", "9".repeat(70 * 1024)).into_bytes();
    let body = expect_error(
        send(huge, "application/json").await,
        413,
        ErrorCode::BodyTooLarge,
    )
    .await;
    assert!(body.message.contains("64 KiB"));
    // Sign-in too.
    let anon = server.anonymous();
    let res = anon
        .send(Method::POST, "/api/session", |r| {
            r.header("content-type", "application/json").body("{")
        })
        .await;
    expect_error(res, 400, ErrorCode::MalformedRequest).await;
    let res = anon
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": ADMIN}))
        })
        .await;
    let body = expect_error(res, 400, ErrorCode::MalformedRequest).await;
    assert!(
        body.message.contains("password"),
        "names the missing field: {}",
        body.message
    );
    // None of it changed anything.
    assert_eq!(
        admin.subscription(sub.subscription.id).await.subscription,
        sub.subscription
    );
}

/// Headers and path ids are read before the body: a change without If-Match, or to an id that
/// cannot exist, is answered for that before anything looks at what was sent.
#[tokio::test]
async fn headers_and_ids_are_judged_before_the_body() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let path = format!("/api/subscriptions/{}", sub.subscription.id);
    let no_if_match = admin
        .send(Method::PATCH, &path, |r| {
            r.header("content-type", "text/plain").body("not json")
        })
        .await;
    expect_error(no_if_match, 428, ErrorCode::IfMatchRequired).await;
    let bad_id = admin
        .send(Method::PATCH, "/api/subscriptions/not-an-id", |r| {
            r.header("content-type", "text/plain")
                .header("if-match", "\"1\"")
                .body("not json")
        })
        .await;
    expect_error(bad_id, 404, ErrorCode::NotFound).await;
    // With both right, the body is judged.
    let etag = format!("\"{}\"", sub.subscription.version);
    let bad_body = admin
        .send(Method::PATCH, &path, |r| {
            r.header("content-type", "text/plain")
                .header("if-match", etag)
                .body("not json")
        })
        .await;
    expect_error(bad_body, 415, ErrorCode::UnsupportedMediaType).await;
}

#[tokio::test]
async fn unknown_endpoints_and_methods_answer_in_json() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    expect_error(admin.get("/api/customerz").await, 404, ErrorCode::NotFound).await;
    let res = admin.send(Method::PUT, "/api/offers", |r| r).await;
    expect_error(res, 405, ErrorCode::MethodNotAllowed).await;
    let res = admin.send(Method::DELETE, "/api/customers", |r| r).await;
    expect_error(res, 405, ErrorCode::MethodNotAllowed).await;
}

#[tokio::test]
async fn a_barrage_of_odd_requests_never_gets_a_server_error() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let sub = admin.find(Channel::Partner, Status::Active).await;
    let customer = sub.subscription.customer_id.to_string();
    let bodies = [
        "",
        "null",
        "0",
        "\"x\"",
        "{}",
        "{\"quantity\":null}",
        "{\"quantity\":1e999}",
        "{\"quantity\":-0}",
        "{\"quantity\":\"\\u0000\"}",
        "{\"status\":5}",
        "{\"status\":null}",
        "{\"offer_id\":5,\"quantity\":1}",
        "{\"offer_id\":\"m365-e3\"}",
        "{\"offer_id\":\"m365-e3\",\"quantity\":1,\"extra\":1}",
        "{\"quantity\":340282366920938463463374607431768211456}",
        "{\"a\":{\"b\":{\"c\":[[[[[]]]]]}}}",
    ];
    let if_matches = [
        "\"1\"",
        "W/\"1\"",
        "\"-1\"",
        "\"99999999999999999999999\"",
        "garbage",
    ];
    for (i, body) in bodies.iter().enumerate() {
        let patch = admin
            .send(
                Method::PATCH,
                &format!("/api/subscriptions/{}", sub.subscription.id),
                |r| {
                    r.header("content-type", "application/json")
                        .header("if-match", if_matches[i % if_matches.len()])
                        .body(*body)
                },
            )
            .await;
        assert!(
            patch.status().is_client_error() || patch.status() == StatusCode::OK,
            "PATCH {body}: {}",
            patch.status()
        );
        let order = admin
            .send(
                Method::POST,
                &format!("/api/customers/{customer}/subscriptions"),
                |r| {
                    r.header("content-type", "application/json")
                        .header("idempotency-key", format!("odd-{i}"))
                        .body(*body)
                },
            )
            .await;
        assert!(
            order.status().is_client_error() || order.status() == StatusCode::CREATED,
            "POST {body}: {}",
            order.status()
        );
    }
    for query in [
        "page=%FF",
        "q=%00",
        "per_page=1e3",
        "q=' OR 1=1 --",
        "page=99999999999",
    ] {
        let res = admin.get(&format!("/api/customers?{query}")).await;
        assert!(
            res.status().is_success()
                || res.status() == StatusCode::BAD_REQUEST
                || res.status() == StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            res.status()
        );
    }
    assert_eq!(
        admin.read::<serde_json::Value>("/healthz").await["status"],
        "ok"
    );
}
