//! Signed embedding: the host portal's back end signs a short-lived token, the console trades
//! it for a session once; every way a token can be wrong has its own 401 code.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::api::SessionInfo;

use crate::support::*;

const SECRET: &str = "the-host-portal-and-the-console-share-this-secret";

/// A server with signed embedding turned on; runs the binary's subcommands on its database.
struct Embedding {
    server: TestServer,
    secret_file: std::path::PathBuf,
    db_url: String,
}

async fn embedding_server() -> Embedding {
    let db = TestDb::new();
    let secret_file = db.dir.path().join("embed-secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let path = secret_file.display().to_string();
    let server = TestServer::start_on(&db, &["--embed-secret-file", &path]).await;
    Embedding {
        server,
        secret_file,
        db_url: db.url.clone(),
    }
}

impl Embedding {
    /// `reseller-console ARGS --embed-secret-file … --database-url …`: its output, or a panic.
    fn run(&self, args: &[&str]) -> String {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reseller-console"))
            .args(args)
            .arg("--embed-secret-file")
            .arg(&self.secret_file)
            .args(["--database-url", &self.db_url])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// The key a partner's portal signs with, as `partner embed-key` prints it.
    async fn partner_key(&self, email: &str) -> (String, String) {
        let info: SessionInfo = self.server.sign_in(email).await.read("/api/session").await;
        let partner = info.partner.id.to_string();
        let key = self.run(&["partner", "embed-key", "--partner", &partner]);
        (partner, key)
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn signed(secret: &str, claims: serde_json::Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn claims(partner: &str, email: &str, iat: i64, exp: i64) -> serde_json::Value {
    json!({"aud": partner, "sub": email, "iat": iat, "exp": exp, "jti": uuid::Uuid::new_v4().to_string()})
}

async fn exchange(agent: &Agent, token: &str) -> reqwest::Response {
    agent
        .send(Method::POST, "/api/session/exchange", |r| {
            r.json(&json!({"token": token}))
        })
        .await
}

#[tokio::test]
async fn a_token_from_the_embed_token_command_signs_in_once() {
    let embedding = embedding_server().await;
    let server = &embedding.server;
    let token = embedding.run(&["embed-token", "--email", "Admin@Northwind.example"]);

    let browser = server.anonymous();
    let res = exchange(&browser, &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let info: SessionInfo = res.json().await.unwrap();
    assert_eq!(info.agent.email, ADMIN);
    let me: SessionInfo = browser.read("/api/session").await;
    assert_eq!(me.agent.email, ADMIN);
    assert_eq!(browser.get("/api/customers").await.status(), StatusCode::OK);

    // The same token again, from anywhere: refused.
    let thief = server.anonymous();
    let res = exchange(&thief, &token).await;
    assert!(res.headers().get("set-cookie").is_none());
    expect_error(res, 401, ErrorCode::TokenReplayed).await;

    // Without a secret, the subcommand says what it needs.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reseller-console"))
        .args(["embed-token", "--email", ADMIN])
        .env_remove("RC_EMBED_SECRET_FILE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--embed-secret-file"));
}

#[tokio::test]
async fn every_bad_token_gets_its_own_code_and_no_session() {
    let embedding = embedding_server().await;
    let server = &embedding.server;
    let (p, key) = embedding.partner_key(ADMIN).await;
    let (fabrikam, fabrikam_key) = embedding.partner_key(FABRIKAM).await;
    let key = key.as_str();
    let p = p.as_str();
    let admin = server.sign_in(ADMIN).await;
    let team: shared::api::Team = admin.read("/api/team").await;
    let helpdesk = team.agents.iter().find(|a| a.email == HELPDESK).unwrap().id;
    let res = admin
        .send(Method::PATCH, &format!("/api/team/{helpdesk}"), |r| {
            r.json(&json!({"active": false}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let t = now();
    let valid = signed(key, claims(p, ADMIN, t, t + 60));
    let (head, body) = {
        let mut parts = valid.split('.');
        (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        )
    };
    let _ = head;
    let alg_none = format!(
        "{}.{body}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#)
    );
    let hs512 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &claims(p, ADMIN, t, t + 60),
        &EncodingKey::from_secret(key.as_bytes()),
    )
    .unwrap();
    let cases = [
        ("not a token".to_owned(), ErrorCode::TokenMalformed),
        (alg_none, ErrorCode::TokenAlgorithmRefused),
        (hs512, ErrorCode::TokenAlgorithmRefused),
        (
            signed(
                "another-secret-of-the-same-length-or-so-x",
                claims(p, ADMIN, t, t + 60),
            ),
            ErrorCode::TokenBadSignature,
        ),
        (
            signed(key, claims(p, ADMIN, t - 400, t - 100)),
            ErrorCode::TokenExpired,
        ),
        (
            signed(key, claims(p, ADMIN, t + 120, t + 180)),
            ErrorCode::TokenNotYetValid,
        ),
        (
            signed(key, claims(p, ADMIN, t, t + 3600)),
            ErrorCode::TokenLifetimeTooLong,
        ),
        (
            signed(
                key,
                json!({"aud": p, "sub": ADMIN, "iat": t, "exp": t + 60}),
            ),
            ErrorCode::TokenMalformed,
        ),
        (
            signed(key, claims(p, "nobody@northwind.example", t, t + 60)),
            ErrorCode::UnknownAgent,
        ),
        // One partner's portal cannot sign in another partner's agents: not with its own key
        // (the agent is not its partner's), nor by naming the other partner (wrong key).
        (
            signed(key, claims(p, FABRIKAM, t, t + 60)),
            ErrorCode::UnknownAgent,
        ),
        (
            signed(key, claims(&fabrikam, FABRIKAM, t, t + 60)),
            ErrorCode::TokenBadSignature,
        ),
        (
            signed(&fabrikam_key, claims(&fabrikam, ADMIN, t, t + 60)),
            ErrorCode::UnknownAgent,
        ),
        (
            signed(SECRET, claims(p, ADMIN, t, t + 60)),
            ErrorCode::TokenBadSignature,
        ),
        (
            signed(
                key,
                json!({"sub": ADMIN, "iat": t, "exp": t + 60, "jti": "no-aud"}),
            ),
            ErrorCode::TokenMalformed,
        ),
        (
            signed(
                key,
                json!({"aud": p, "sub": ADMIN, "iat": t, "exp": t + 60, "jti": "nul\u{0}inside"}),
            ),
            ErrorCode::TokenMalformed,
        ),
        (
            signed(
                key,
                json!({"aud": p, "sub": "admin@northwind.example\u{0}", "iat": t, "exp": t + 60, "jti": "x1"}),
            ),
            ErrorCode::UnknownAgent,
        ),
        (
            {
                let mut header = Header::new(Algorithm::HS256);
                header.crit = Some(vec!["exp-policy".into()]);
                jsonwebtoken::encode(
                    &header,
                    &claims(p, ADMIN, t, t + 60),
                    &EncodingKey::from_secret(key.as_bytes()),
                )
                .unwrap()
            },
            ErrorCode::TokenMalformed,
        ),
        (
            signed(key, claims(p, HELPDESK, t, t + 60)),
            ErrorCode::AgentDisabled,
        ),
    ];
    let mut codes = HashSet::new();
    for (token, code) in cases {
        let browser = server.anonymous();
        let res = exchange(&browser, &token).await;
        assert!(res.headers().get("set-cookie").is_none(), "{code:?}");
        expect_error(res, 401, code).await;
        assert_eq!(
            browser.get("/api/session").await.status(),
            StatusCode::NO_CONTENT,
            "{code:?}: nobody signed in"
        );
        codes.insert(code);
    }
    assert_eq!(
        codes.len(),
        8,
        "eight distinct codes (the ninth, token_replayed, above)"
    );
    expect_error(
        exchange(&server.anonymous(), "").await,
        401,
        ErrorCode::TokenMalformed,
    )
    .await;
    let res = server
        .anonymous()
        .send(Method::POST, "/api/session/exchange", |r| {
            r.json(&json!({"jwt": valid}))
        })
        .await;
    expect_error(res, 400, ErrorCode::MalformedRequest).await;
}

#[tokio::test]
async fn without_a_secret_the_exchange_does_not_exist() {
    let server = TestServer::start().await;
    let res = exchange(&server.anonymous(), "whatever").await;
    expect_error(res, 404, ErrorCode::NotFound).await;
}

/// The hostile run: an `iat` of i64::MIN (whose lifetime wrapped), an `nbf` an hour ahead, and
/// one partner's token id blocking another partner's token with the same id.
#[tokio::test]
async fn time_claims_cannot_wrap_nbf_counts_and_token_ids_are_per_partner() {
    let embedding = embedding_server().await;
    let server = &embedding.server;
    let (northwind, northwind_key) = embedding.partner_key(ADMIN).await;
    let (fabrikam, fabrikam_key) = embedding.partner_key(FABRIKAM).await;
    let t = now();

    let mut wrapped = claims(&northwind, ADMIN, 0, t + 300);
    wrapped["iat"] = json!(i64::MIN);
    let res = exchange(&server.anonymous(), &signed(&northwind_key, wrapped)).await;
    expect_error(res, 401, ErrorCode::TokenLifetimeTooLong).await;

    let mut later = claims(&northwind, ADMIN, t, t + 240);
    later["nbf"] = json!(t + 3600);
    let res = exchange(&server.anonymous(), &signed(&northwind_key, later)).await;
    expect_error(res, 401, ErrorCode::TokenNotYetValid).await;

    // Fabrikam's portal uses the id "shared-id"; Northwind's may use it too, once.
    let mut theirs = claims(&fabrikam, FABRIKAM, t, t + 60);
    theirs["jti"] = json!("shared-id");
    let res = exchange(&server.anonymous(), &signed(&fabrikam_key, theirs.clone())).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut ours = claims(&northwind, ADMIN, t, t + 60);
    ours["jti"] = json!("shared-id");
    let res = exchange(&server.anonymous(), &signed(&northwind_key, ours.clone())).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "another partner's id blocks nobody"
    );
    let res = exchange(&server.anonymous(), &signed(&northwind_key, ours)).await;
    expect_error(res, 401, ErrorCode::TokenReplayed).await;
}
