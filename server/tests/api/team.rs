//! The Team: admins add agents, change roles, disable and re-enable them; every agent changes
//! their own password. Every change is audited.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::ErrorCode;
use shared::api::{NewAgentResponse, Team, TeamMember};
use shared::model::Role;

use crate::support::*;

async fn add(admin: &Agent, body: Value) -> reqwest::Response {
    admin
        .send(Method::POST, "/api/team", |r| r.json(&body))
        .await
}

async fn change(admin: &Agent, id: impl std::fmt::Display, body: Value) -> reqwest::Response {
    admin
        .send(Method::PATCH, &format!("/api/team/{id}"), |r| r.json(&body))
        .await
}

async fn sign_in_with(
    server: &TestServer,
    email: &str,
    password: &str,
) -> (reqwest::Response, Agent) {
    let agent = server.anonymous();
    let res = agent
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": email, "password": password}))
        })
        .await;
    (res, agent)
}

#[tokio::test]
async fn an_admin_adds_a_helpdesk_agent_who_signs_in_with_the_one_time_password() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let res = add(&admin, json!({"email": " Nina@Northwind.example ", "display_name": "Nina Ferri", "role": "helpdesk"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let added: NewAgentResponse = res.json().await.unwrap();
    assert_eq!(added.agent.email, "nina@northwind.example");
    assert_eq!(added.agent.role, Role::Helpdesk);
    assert!(added.agent.active && added.agent.last_sign_in_at.is_none());
    let password = added
        .one_time_password
        .expect("a one-time password, shown once");
    assert!(password.chars().count() >= 12);

    let (res, nina) = sign_in_with(&server, "nina@northwind.example", &password).await;
    assert_eq!(res.status(), StatusCode::OK);
    let info: shared::api::SessionInfo = res.json().await.unwrap();
    assert!(info.must_change_password);
    // The one-time password opens only the door to choosing one's own.
    expect_error(
        nina.get("/api/customers").await,
        403,
        ErrorCode::PasswordChangeRequired,
    )
    .await;
    let own = json!({"current_password": password, "new_password": "ninas-own-password"});
    let res = nina
        .send(Method::POST, "/api/session/password", |r| r.json(&own))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let info: shared::api::SessionInfo = nina.read("/api/session").await;
    assert!(!info.must_change_password);
    let team: Team = admin.read("/api/team").await;
    let nina_row = team
        .agents
        .iter()
        .find(|a| a.email == "nina@northwind.example")
        .unwrap();
    assert!(
        nina_row.last_sign_in_at.is_some(),
        "last sign-in is recorded"
    );
    let said =
        |e: &shared::api::TeamEvent| (e.actor.clone(), e.agent_email.clone(), e.action.clone());
    let nina_email = "nina@northwind.example".to_owned();
    assert_eq!(
        said(&team.events[0]),
        (
            nina_email.clone(),
            nina_email.clone(),
            "password_set".to_owned()
        )
    );
    let event = &team.events[1];
    assert_eq!(
        said(event),
        (ADMIN.to_owned(), nina_email, "added".to_owned())
    );
    assert_eq!(event.after.role, Role::Helpdesk);
    // The new agent is in the same partner, with its role's rights.
    assert_eq!(nina.get("/api/team").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(nina.get("/api/customers").await.status(), StatusCode::OK);

    // A password chosen by the admin is not echoed back (and is replaced at first sign-in too).
    let res = add(&admin, json!({"email": "leo@northwind.example", "display_name": "Leo", "role": "sales", "password": "chosen-by-the-admin"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let added: NewAgentResponse = res.json().await.unwrap();
    assert!(added.one_time_password.is_none());
    let (res, leo) = sign_in_with(&server, "leo@northwind.example", "chosen-by-the-admin").await;
    assert_eq!(res.status(), StatusCode::OK);
    expect_error(
        leo.get("/api/offers").await,
        403,
        ErrorCode::PasswordChangeRequired,
    )
    .await;
}

#[tokio::test]
async fn bad_new_agents_are_refused_with_the_field_at_fault() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let cases = [
        (
            json!({"email": "not-an-email", "display_name": "X", "role": "sales"}),
            422,
            ErrorCode::InvalidEmail,
            "email",
        ),
        // Look-alikes of an existing agent: full-width letters, an invisible space.
        (
            json!({"email": "ａｄｍｉｎ@northwind.example", "display_name": "X", "role": "sales"}),
            422,
            ErrorCode::InvalidEmail,
            "email",
        ),
        (
            json!({"email": "admin\u{200b}@northwind.example", "display_name": "X", "role": "sales"}),
            422,
            ErrorCode::InvalidEmail,
            "email",
        ),
        (
            json!({"email": "admin@northwind.example.", "display_name": "X", "role": "sales"}),
            409,
            ErrorCode::EmailTaken,
            "email",
        ),
        (
            json!({"email": "x@northwind.example", "display_name": "Evil\u{202e}gpj.exe", "role": "sales"}),
            422,
            ErrorCode::InvalidName,
            "display_name",
        ),
        (
            json!({"email": "x@northwind.example", "display_name": "  ", "role": "sales"}),
            422,
            ErrorCode::InvalidName,
            "display_name",
        ),
        (
            json!({"email": "x@northwind.example", "display_name": "X", "role": "owner"}),
            422,
            ErrorCode::InvalidRole,
            "role",
        ),
        (
            json!({"email": "x@northwind.example", "display_name": "X", "role": "sales", "password": "short"}),
            422,
            ErrorCode::WeakPassword,
            "password",
        ),
        // Another partner's domain: refused as such, whether or not the address exists there.
        (
            json!({"email": "ADMIN@fabrikam.example", "display_name": "X", "role": "sales"}),
            422,
            ErrorCode::EmailDomainNotOwned,
            "email",
        ),
        // Taken in the partner's own domain.
        (
            json!({"email": "HELPDESK@northwind.example", "display_name": "X", "role": "sales"}),
            409,
            ErrorCode::EmailTaken,
            "email",
        ),
    ];
    for (body, status, code, field) in cases {
        let error = expect_error(add(&admin, body.clone()).await, status, code).await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    let res = add(&admin, json!({"email": "x@northwind.example"})).await;
    expect_error(res, 400, ErrorCode::MalformedRequest).await;
    let team: Team = admin.read("/api/team").await;
    assert_eq!(team.agents.len(), 4, "nothing was added");
    assert!(team.events.is_empty());
}

#[tokio::test]
async fn disabling_ends_sessions_at_once_and_the_last_admin_stays() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let helpdesk = server.sign_in(HELPDESK).await;
    let team: Team = admin.read("/api/team").await;
    let id_of = |email: &str| team.agents.iter().find(|a| a.email == email).unwrap().id;

    let res = change(&admin, id_of(HELPDESK), json!({"active": false})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let member: TeamMember = res.json().await.unwrap();
    assert!(!member.active);
    expect_error(
        helpdesk.get("/api/customers").await,
        401,
        ErrorCode::NotSignedIn,
    )
    .await;
    let (res, _) = sign_in_with(&server, HELPDESK, PASSWORD).await;
    expect_error(res, 401, ErrorCode::AgentDisabled).await;
    // A wrong password still says only that: a disabled account is not revealed to guessers.
    let (res, _) = sign_in_with(&server, HELPDESK, "wrong-password").await;
    expect_error(res, 401, ErrorCode::InvalidCredentials).await;

    assert_eq!(
        change(&admin, id_of(HELPDESK), json!({"active": true}))
            .await
            .status(),
        StatusCode::OK
    );
    let (res, _) = sign_in_with(&server, HELPDESK, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);

    // The only admin cannot be demoted or disabled, not even by themself.
    let me = id_of(ADMIN);
    for body in [json!({"role": "sales"}), json!({"active": false})] {
        let error = expect_error(change(&admin, me, body).await, 422, ErrorCode::LastAdmin).await;
        assert!(error.message.contains("last active admin"));
    }
    // With a second admin, the first may step down.
    assert_eq!(
        change(&admin, id_of(SALES), json!({"role": "admin"}))
            .await
            .status(),
        StatusCode::OK
    );
    let res = change(&admin, me, json!({"role": "read_only"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    expect_error(admin.get("/api/team").await, 403, ErrorCode::RoleNotAllowed).await;

    let sales = server.sign_in(SALES).await;
    let team: Team = sales.read("/api/team").await;
    let actions: Vec<(&str, &str)> = team
        .events
        .iter()
        .map(|e| (e.agent_email.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            (ADMIN, "role_changed"),
            (SALES, "role_changed"),
            (HELPDESK, "enabled"),
            (HELPDESK, "disabled")
        ]
    );
    let demoted = &team.events[0];
    assert_eq!(
        (demoted.before.unwrap().role, demoted.after.role),
        (Role::Admin, Role::ReadOnly)
    );
    assert_eq!(demoted.actor, ADMIN);

    // Another partner's agent, an unknown id, a bad body.
    let fabrikam = server.sign_in(FABRIKAM).await;
    let res = change(&fabrikam, id_of(HELPDESK), json!({"active": false})).await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    let res = change(&sales, "not-an-id", json!({"active": false})).await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    expect_error(
        change(&sales, id_of(HELPDESK), json!({})).await,
        422,
        ErrorCode::InvalidChange,
    )
    .await;
    expect_error(
        change(&sales, id_of(HELPDESK), json!({"role": "boss"})).await,
        422,
        ErrorCode::InvalidRole,
    )
    .await;
}

#[tokio::test]
async fn agents_change_their_own_password_and_their_other_sessions_end() {
    let server = TestServer::start().await;
    let here = server.sign_in(HELPDESK).await;
    let elsewhere = server.sign_in(HELPDESK).await;
    let change_password = |current: &str, new: &str| {
        let body = json!({"current_password": current, "new_password": new});
        let here = &here;
        async move {
            here.send(Method::POST, "/api/session/password", |r| r.json(&body))
                .await
        }
    };
    let error = expect_error(
        change_password("wrong-password", "a-new-long-password").await,
        422,
        ErrorCode::WrongPassword,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("current_password"));
    let error = expect_error(
        change_password(PASSWORD, "too-short").await,
        422,
        ErrorCode::WeakPassword,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("new_password"));
    expect_error(
        change_password(PASSWORD, "            ").await,
        422,
        ErrorCode::WeakPassword,
    )
    .await;
    let error = expect_error(
        change_password(PASSWORD, PASSWORD).await,
        422,
        ErrorCode::WeakPassword,
    )
    .await;
    assert!(
        error.message.contains("this one is your current password"),
        "{}",
        error.message
    );
    assert_eq!(
        elsewhere.get("/api/customers").await.status(),
        StatusCode::OK,
        "nothing changed yet"
    );

    assert_eq!(
        change_password(PASSWORD, "a-new-long-password")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        here.get("/api/customers").await.status(),
        StatusCode::OK,
        "this session goes on"
    );
    expect_error(
        elsewhere.get("/api/customers").await,
        401,
        ErrorCode::NotSignedIn,
    )
    .await;
    let (res, _) = sign_in_with(&server, HELPDESK, PASSWORD).await;
    expect_error(res, 401, ErrorCode::InvalidCredentials).await;
    let (res, _) = sign_in_with(&server, HELPDESK, "a-new-long-password").await;
    assert_eq!(res.status(), StatusCode::OK);
    let admin = server.sign_in(ADMIN).await;
    let team: Team = admin.read("/api/team").await;
    assert_eq!(
        (
            team.events[0].action.as_str(),
            team.events[0].actor.as_str()
        ),
        ("password_set", HELPDESK)
    );
    expect_error(
        server
            .anonymous()
            .send(Method::POST, "/api/session/password", |r| {
                r.json(&json!({"current_password": "x", "new_password": "y"}))
            })
            .await,
        401,
        ErrorCode::NotSignedIn,
    )
    .await;
}
