//! Signing in, and an ended session that asks to sign in again and returns to the same place.

use crate::support::*;
use shared::ErrorCode;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn flow_1_sign_in() {
    let m = open("/e2e-1", "/", None).await;
    let root = &m.root;
    until(root, "the sign-in form", || exists(root, "#rc-email")).await;
    // Guessing is throttled per e-mail: after five tries the form says when to try again.
    let guesser = "guesser@northwind.example";
    for _ in 0..5 {
        let refused = api().sign_in(guesser, "guess").await.unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::InvalidCredentials));
    }
    type_into(root, "#rc-email", guesser);
    type_into(root, "#rc-password", "guess");
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "the throttling message", || {
        shown(root).contains("Too many sign-in attempts for this e-mail. Try again in 15 minutes.")
    })
    .await;
    type_into(root, "#rc-email", ADMIN);
    type_into(root, "#rc-password", "not-the-password");
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "the wrong-password message", || {
        shown(root).contains("The e-mail or password is not right.")
    })
    .await;
    assert!(
        api().session().await == Ok(None),
        "refused: no session on the server"
    );
    type_into(root, "#rc-password", PASSWORD);
    click(root, ".rc-sign-in button[type=submit]");
    until(root, "the customer list", || {
        find_all(root, ".rc-table tbody tr").len() == 15
    })
    .await;
    assert!(shown(root).contains("admin@northwind.example"));
    assert_eq!(api().session().await.unwrap().unwrap().agent.email, ADMIN);
}

#[wasm_bindgen_test]
async fn flow_10_an_ended_session_asks_to_sign_in_and_returns_to_the_same_place() {
    let m = open("/e2e-10", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    open_customer(root, "Wingtip Toys").await;
    let here = pathname();
    // The session ends on the server (signed out elsewhere, or expired).
    api().sign_out().await.unwrap();
    // The next answer that says so brings the sign-in form, whichever page asked.
    click(root, ".rc-pane button.rc-primary");
    until(root, "the sign-in form after the session ended", || {
        exists(root, "#rc-email")
    })
    .await;
    sign_in(&m, ADMIN).await;
    until(root, "back on the order form", || {
        exists(root, ".rc-order select")
    })
    .await;
    assert!(pathname().starts_with(&here), "{} after {here}", pathname());
}
