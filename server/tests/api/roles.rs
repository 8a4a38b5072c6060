//! The role table of `shared::roles`, over HTTP: each role may do exactly its row.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::model::{Channel, Status};
use shared::permissions::SubscriptionAction;

use crate::support::*;

#[tokio::test]
async fn each_role_may_do_exactly_its_row_of_the_table() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let active = admin.find(Channel::Partner, Status::Active).await;
    let customer = active.subscription.customer_id.to_string();
    // (agent, may order and add customers, may change subscriptions, may manage the team)
    let table = [
        (ADMIN, true, true, true),
        (SALES, true, false, false),
        (HELPDESK, false, true, false),
        (READ_ONLY, false, false, false),
    ];
    for (n, (email, order, change, team)) in table.into_iter().enumerate() {
        let agent = server.sign_in(email).await;
        // Everyone looks.
        assert_eq!(
            agent.get("/api/customers").await.status(),
            StatusCode::OK,
            "{email}"
        );
        let view = agent.subscription(active.subscription.id).await;
        assert_eq!(
            view.allowed_actions
                .contains(&SubscriptionAction::ChangeQuantity),
            change,
            "{email}: the view's allowed actions follow the table"
        );

        let added = agent
            .send(Method::POST, "/api/customers", |r| {
                r.json(&json!({"name": format!("Role test {n}"), "domain": format!("role-test-{n}.example")}))
            })
            .await;
        let ordered = agent
            .order(
                &customer,
                Some(&format!("role-{n}")),
                json!({"offer_id": active.subscription.offer_id, "quantity": 1}),
            )
            .await;
        for res in [added, ordered] {
            if order {
                assert_eq!(res.status(), StatusCode::CREATED, "{email} orders");
            } else {
                let body = expect_error(res, 403, ErrorCode::RoleNotAllowed).await;
                assert!(
                    body.message
                        .contains("cannot add customers or order subscriptions"),
                    "{}",
                    body.message
                );
            }
        }

        let current = agent.subscription(active.subscription.id).await;
        // An increase: decreases are also bound by the 7-day window (tested on its own).
        let q = current.subscription.quantity + 1;
        let res = agent.patch(&current, json!({"quantity": q})).await;
        if change {
            assert_eq!(res.status(), StatusCode::OK, "{email} changes seats");
        } else {
            let body = expect_error(res, 403, ErrorCode::RoleNotAllowed).await;
            assert!(
                body.message
                    .contains("cannot change existing subscriptions"),
                "{}",
                body.message
            );
        }

        let res = agent.get("/api/team").await;
        if team {
            assert_eq!(res.status(), StatusCode::OK, "{email} sees the team");
        } else {
            let body = expect_error(res, 403, ErrorCode::RoleNotAllowed).await;
            assert!(
                body.message
                    .contains("cannot manage the team: ask an Admin agent")
            );
        }
    }
}
