use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::api::SessionInfo;
use shared::model::Role;

use crate::support::*;

#[tokio::test]
async fn sign_in_sets_an_http_only_strict_cookie_and_names_agent_partner_and_role() {
    let server = TestServer::start().await;
    let agent = server.anonymous();
    let res = agent
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": "Admin@Northwind.example", "password": PASSWORD}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("rc_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on loopback: no Secure flag"
    );
    let info: SessionInfo = res.json().await.unwrap();
    assert_eq!(info.agent.email, ADMIN);
    assert_eq!(info.agent.role, Role::Admin);
    assert_eq!(info.partner.name, "Northwind Reseller");

    let me: SessionInfo = agent.read("/api/session").await;
    assert_eq!(me, info);
    let helpdesk: SessionInfo = server.sign_in(HELPDESK).await.read("/api/session").await;
    assert_eq!(helpdesk.agent.role, Role::Helpdesk);
}

#[tokio::test]
async fn the_cookie_is_secure_behind_a_tls_proxy() {
    let server = TestServer::start().await;
    let res = server
        .anonymous()
        .send(Method::POST, "/api/session", |r| {
            r.header("x-forwarded-proto", "https")
                .json(&json!({"email": ADMIN, "password": PASSWORD}))
        })
        .await;
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
}

#[tokio::test]
async fn wrong_password_or_unknown_agent_is_refused_without_a_cookie() {
    let server = TestServer::start().await;
    for (email, password) in [
        (ADMIN, "demo-passwore"),
        ("nobody@northwind.example", PASSWORD),
        (ADMIN, ""),
    ] {
        let agent = server.anonymous();
        let res = agent
            .send(Method::POST, "/api/session", |r| {
                r.json(&json!({"email": email, "password": password}))
            })
            .await;
        assert!(res.headers().get("set-cookie").is_none());
        let body = expect_error(res, 401, ErrorCode::InvalidCredentials).await;
        assert_eq!(
            body.message, "The e-mail or password is not right.",
            "same words for both cases"
        );
        expect_error(
            agent.get("/api/customers").await,
            401,
            ErrorCode::NotSignedIn,
        )
        .await;
    }
}

#[tokio::test]
async fn every_api_route_needs_a_signed_in_agent() {
    let server = TestServer::start().await;
    // Real ids, so a 401 cannot be a 404 in disguise.
    let admin = server.sign_in(ADMIN).await;
    let customer = admin.customers("").await.items[0].id;
    let sub = admin.subscriptions_of(customer).await[0].subscription.id;
    let anonymous = server.anonymous();
    let routes = [
        (Method::GET, "/api/customers".to_owned()),
        (Method::GET, format!("/api/customers/{customer}")),
        (
            Method::GET,
            format!("/api/customers/{customer}/subscriptions"),
        ),
        (
            Method::POST,
            format!("/api/customers/{customer}/subscriptions"),
        ),
        (Method::GET, format!("/api/subscriptions/{sub}")),
        (Method::PATCH, format!("/api/subscriptions/{sub}")),
        (Method::GET, format!("/api/subscriptions/{sub}/events")),
        (Method::GET, format!("/api/subscriptions/{sub}/events.csv")),
        (Method::GET, "/api/offers".to_owned()),
    ];
    for (method, path) in routes {
        let res = anonymous
            .send(method.clone(), &path, |r| {
                r.header("if-match", "\"1\"")
                    .header("idempotency-key", "k1")
                    .json(&json!({"quantity": 5, "offer_id": "m365-business-basic"}))
            })
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        expect_error(res, 401, ErrorCode::NotSignedIn).await;
    }
    // "Who am I?" is answered, without an error: no one.
    let me = anonymous.get("/api/session").await;
    assert_eq!(me.status(), StatusCode::NO_CONTENT);
    assert!(me.text().await.unwrap().is_empty());
    // A made-up cookie is no session either.
    let forged = plain_client()
        .get(format!("{}/api/customers", server.base))
        .header("cookie", format!("rc_session={}", "ab".repeat(32)))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let server = TestServer::start().await;
    let agent = server.sign_in(ADMIN).await;
    // Keep the raw cookie, as an attacker who copied it would.
    let res = agent
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": ADMIN, "password": PASSWORD}))
        })
        .await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let res = agent.send(Method::DELETE, "/api/session", |r| r).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        agent.get("/api/session").await.status(),
        StatusCode::NO_CONTENT
    );
    expect_error(agent.get("/api/offers").await, 401, ErrorCode::NotSignedIn).await;
    let replay = plain_client()
        .get(format!("{}/api/session", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        replay.status(),
        StatusCode::NO_CONTENT,
        "the old cookie no longer names a session"
    );
}

/// A server whose static folder holds an `index.html` and `files`; returns it and the folder.
async fn app_server(files: &[(&str, &[u8])]) -> (TestServer, std::path::PathBuf) {
    let db = TestDb::new();
    let dist = db.dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><p>console app</p>").unwrap();
    for (name, content) in files {
        let path = dist.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let server = TestServer::start_on(&db, &["--static-dir", dist.to_str().unwrap()]).await;
    (server, dist)
}

#[tokio::test]
async fn health_and_static_app_with_deep_link_fallback() {
    let (server, _dist) = app_server(&[
        ("app.js", b"console.log(1)"),
        ("portal/index.html", b"<p>host portal</p>"),
    ])
    .await;
    let anon = server.anonymous();
    assert_eq!(
        anon.read::<serde_json::Value>("/healthz").await["status"],
        "ok"
    );
    assert_eq!(
        anon.get("/app.js").await.text().await.unwrap(),
        "console.log(1)"
    );
    for deep_link in ["/", "/customers", "/subscriptions/123?x=1"] {
        let res = anon.get(deep_link).await;
        assert_eq!(res.status(), StatusCode::OK, "{deep_link}");
        // Never inside another site's frame (clickjacking).
        assert_eq!(
            res.headers()["content-security-policy"],
            "frame-ancestors 'self'"
        );
        assert_eq!(res.headers()["x-frame-options"], "SAMEORIGIN");
        assert!(
            res.text().await.unwrap().contains("console app"),
            "{deep_link} serves the app"
        );
    }
    // A host page under a sub-path gets its own deep links; "../" never escapes the folder.
    for deep_link in [
        "/portal/",
        "/portal/subscriptions/customers/42",
        "/portal/x/../y",
    ] {
        let text = anon.get(deep_link).await.text().await.unwrap();
        assert!(text.contains("host portal"), "{deep_link}: {text}");
    }
    let escape = anon
        .get("/portal/..%2f..%2fserver.log")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !escape.contains("WARN") && !escape.contains("INFO"),
        "{escape}"
    );
    // …but an unknown API path is a JSON 404, never the app.
    let admin = server.sign_in(ADMIN).await;
    expect_error(
        admin.get("/api/no-such-thing").await,
        404,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn app_assets_are_sent_compressed_when_the_browser_accepts_it() {
    // Built assets come with .br and .gz siblings (written by the build); each is sent as is.
    let (server, _) = app_server(&[
        ("app.wasm", b"raw wasm"),
        ("app.wasm.br", b"brotli wasm"),
        ("app.wasm.gz", b"gzip wasm"),
    ])
    .await;
    let anon = server.anonymous();
    let fetch = |encoding: &'static str, path: &'static str| {
        anon.send(Method::GET, path, move |r| {
            r.header("accept-encoding", encoding)
        })
    };
    for (accept, sent, body) in [
        ("gzip, deflate, br", Some("br"), "brotli wasm"),
        ("gzip", Some("gzip"), "gzip wasm"),
        ("identity", None, "raw wasm"),
    ] {
        let res = fetch(accept, "/app.wasm").await;
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert_eq!(
            res.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            sent,
            "{accept}"
        );
        assert_eq!(
            res.headers()["content-type"],
            "application/wasm",
            "{accept}"
        );
        assert_eq!(res.headers()["cache-control"], "no-cache", "{accept}");
        assert_eq!(res.text().await.unwrap(), body, "{accept}");
    }
    // Always revalidated (names carry no hash), and an unchanged file costs a 304.
    let first = fetch("br", "/app.wasm").await;
    let tag = first.headers()["etag"].clone();
    let again = anon
        .send(Method::GET, "/app.wasm", |r| {
            r.header("accept-encoding", "br")
                .header("if-none-match", tag)
        })
        .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // API answers are compressed on the fly (the customer list is several KB of JSON).
    let admin = server.sign_in(ADMIN).await;
    let res = admin
        .send(Method::GET, "/api/customers?per_page=50", |r| {
            r.header("accept-encoding", "gzip")
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let compressed = res.bytes().await.unwrap();
    let plain = admin
        .get("/api/customers?per_page=50")
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        compressed.len() * 2 < plain.len(),
        "{} bytes compressed vs {} plain",
        compressed.len(),
        plain.len()
    );
}

/// One sign-in attempt from a new browser.
async fn try_sign_in(server: &TestServer, email: &str, password: &str) -> reqwest::Response {
    server
        .anonymous()
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": email, "password": password}))
        })
        .await
}

#[tokio::test]
async fn sign_in_is_throttled_per_email_after_five_attempts() {
    let server = TestServer::start().await;
    for _ in 0..5 {
        let res = try_sign_in(&server, ADMIN, "guess").await;
        expect_error(res, 401, ErrorCode::InvalidCredentials).await;
    }
    // The sixth is refused before the password is looked at, even the right one, and in any
    // spelling of the e-mail.
    for (email, password) in [
        (ADMIN, "guess"),
        (ADMIN, PASSWORD),
        (" Admin@Northwind.EXAMPLE", PASSWORD),
    ] {
        let res = try_sign_in(&server, email, password).await;
        let retry_after: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry_after), "{retry_after}");
        let body = expect_error(res, 429, ErrorCode::TooManyAttempts).await;
        assert_eq!(body.retry_after_seconds, Some(retry_after));
        assert!(
            body.message.contains("Try again in 15 minutes"),
            "{}",
            body.message
        );
        assert!(
            !body.message.contains("e-mail or password"),
            "{}",
            body.message
        );
    }
    // Other e-mails are not affected, and an unknown e-mail is throttled the same way.
    server.sign_in(HELPDESK).await;
    for _ in 0..5 {
        let res = try_sign_in(&server, "nobody@northwind.example", "guess").await;
        expect_error(res, 401, ErrorCode::InvalidCredentials).await;
    }
    let res = try_sign_in(&server, "nobody@northwind.example", "guess").await;
    expect_error(res, 429, ErrorCode::TooManyAttempts).await;
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_count() {
    let server = TestServer::start().await;
    for round in 0..3 {
        for _ in 0..4 {
            let res = try_sign_in(&server, ADMIN, "typo").await;
            expect_error(res, 401, ErrorCode::InvalidCredentials).await;
        }
        let res = try_sign_in(&server, ADMIN, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_cannot_slip_past_the_limit() {
    let server = std::sync::Arc::new(TestServer::start().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let server = server.clone();
        tasks.spawn(async move {
            try_sign_in(&server, FABRIKAM, &format!("guess {i}"))
                .await
                .status()
        });
    }
    let statuses = tasks.join_all().await;
    let tried = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((tried, throttled), (5, 15), "{statuses:?}");
}

#[tokio::test]
async fn static_files_are_sent_precompressed_and_revalidated() {
    let (server, _dist) = app_server(&[
        ("app.js", b"console.log(1)"),
        ("app.js.br", b"BROTLI"),
        ("app.js.gz", b"GZIP"),
        ("style.css", b"body{}"),
    ])
    .await;
    let client = plain_client();
    let get = |path: &'static str, encoding: Option<&'static str>, tag: Option<String>| {
        let mut request = client.get(format!("{}{path}", server.base));
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    for (encoding, sent, body) in [
        (Some("gzip, deflate, br"), Some("br"), "BROTLI"),
        (Some("gzip, br;q=0"), Some("gzip"), "GZIP"),
        (None, None, "console.log(1)"),
    ] {
        let res = get("/app.js", encoding, None).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
        assert_eq!(h.get("content-encoding").map(|v| v.to_str().unwrap()), sent);
        assert_eq!(h["vary"], "accept-encoding");
        assert_eq!(h["cache-control"], "no-cache");
        assert_eq!(res.text().await.unwrap(), body, "{encoding:?}");
    }
    // Each encoding has its own tag.
    let mut tags = Vec::new();
    for encoding in [Some("br"), Some("gzip"), None] {
        let res = get("/app.js", encoding, None).await.unwrap();
        tags.push(res.headers()["etag"].to_str().unwrap().to_owned());
    }
    assert!(
        tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2],
        "{tags:?}"
    );
    // Unchanged: a 304 without a body.
    let tag = get("/style.css", None, None).await.unwrap().headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let res = get("/style.css", None, Some(tag.clone())).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), tag);
    assert!(res.text().await.unwrap().is_empty());
    let res = get("/style.css", None, Some("\"other\"".to_owned()))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
}
