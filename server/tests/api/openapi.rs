//! The OpenAPI document: served without sign-in, and naming every route, header and error.

use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn the_openapi_document_describes_every_route_header_and_error_code() {
    let server = TestServer::start().await;
    let res = server.anonymous().get("/api/openapi.json").await;
    assert_eq!(res.status(), 200, "served without signing in");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/session", "post"),
        ("/api/session", "get"),
        ("/api/session", "delete"),
        ("/api/customers", "get"),
        ("/api/customers/{id}", "get"),
        ("/api/customers/{id}/subscriptions", "get"),
        ("/api/customers/{id}/subscriptions", "post"),
        ("/api/subscriptions/{id}", "get"),
        ("/api/subscriptions/{id}", "patch"),
        ("/api/subscriptions/{id}/events", "get"),
        ("/api/subscriptions/{id}/events.csv", "get"),
        ("/api/offers", "get"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} documented");
        assert!(
            op["responses"]["503"].is_object(),
            "{method} {path} documents 503"
        );
    }
    // Client generators name a function after each operation id: each is given, and once.
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has an operation id");
            assert!(ids.insert(id.to_owned()), "operation id {id} used twice");
        }
    }
    let patch = &paths["/api/subscriptions/{id}"]["patch"];
    let text = patch.to_string();
    assert!(text.contains("If-Match") && text.contains("ETag") && text.contains("\"409\""));
    let order = paths["/api/customers/{id}/subscriptions"]["post"].to_string();
    assert!(order.contains("Idempotency-Key") && order.contains("Idempotent-Replayed"));
    let codes = doc["components"]["schemas"]["ErrorCode"].to_string();
    for code in [
        "version_conflict",
        "storage_unavailable",
        "server_busy",
        "too_many_attempts",
    ] {
        assert!(codes.contains(code), "{code} in ErrorCode");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["in"], "cookie",
        "the session cookie is the security scheme"
    );
}
