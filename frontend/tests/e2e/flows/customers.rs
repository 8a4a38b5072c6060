//! The customer list: search, pages and the action pane.

use crate::support::*;
use shared::ids::CustomerId;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn flow_2_search_pages_and_action_pane() {
    let m = open("/e2e-2", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    // The demo's 40 customers, and any that flows run before this one added.
    let total = api().customers("", 1, 15).await.unwrap().total;
    assert!(
        total >= 40,
        "the demo partner has 40 customers or more: {total}"
    );
    // The pager comes with the first page (drawn before it, it would jump when it arrives).
    until(root, "the first page", || {
        exists(root, ".rc-pager [role=status]")
            && text(root, ".rc-pager [role=status]").starts_with(&format!("1–15 of {total}"))
    })
    .await;
    click(root, ".rc-pager button:last-child");
    until(root, "the second page", || {
        text(root, ".rc-pager [role=status]").starts_with(&format!("16–30 of {total}"))
    })
    .await;
    let page_two: Vec<String> = find_all(root, ".rc-table tbody tr td:first-child")
        .iter()
        .map(|c| c.inner_text())
        .collect();
    let expected: Vec<String> = api()
        .customers("", 2, 15)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        page_two, expected,
        "the page shows the server's second page"
    );

    type_into(root, ".rc-search", "toys");
    until(root, "the search to narrow the list", || {
        find_all(root, ".rc-table tbody tr").len() == 2
    })
    .await;
    assert_eq!(api().customers("toys", 1, 15).await.unwrap().total, 2);
    assert!(text(root, ".rc-pager [role=status]").contains("matching “toys”"));

    // Keyboard: focus the first row, move down, Enter opens the second customer.
    let first = find(root, ".rc-table tbody tr");
    first.focus().unwrap();
    press(&first, "ArrowDown");
    let second = find_all(root, ".rc-table tbody tr")[1].clone();
    until(root, "the selection to move down", || {
        second.is_same_node(document().active_element().as_ref().map(|e| e.as_ref()))
    })
    .await;
    press(&second, "Enter");
    until(root, "the action pane of Wingtip Toys", || {
        exists(root, ".rc-pane-title") && text(root, ".rc-pane-title").contains("Wingtip Toys")
    })
    .await;
    let customer: CustomerId = pathname().rsplit('/').next().unwrap().parse().unwrap();
    let held = api().customer_subscriptions(customer).await.unwrap();
    until(root, "the pane's subscriptions", || {
        find_all(root, ".rc-sub").len() == held.len()
    })
    .await;
    let shown_offers: Vec<String> = find_all(root, ".rc-sub strong")
        .iter()
        .map(|e| e.inner_text())
        .collect();
    let held_offers: Vec<String> = held
        .iter()
        .map(|s| s.subscription.offer_name.clone())
        .collect();
    assert_eq!(
        shown_offers, held_offers,
        "exactly that customer's subscriptions"
    );
    assert!(
        find(root, ".rc-table tbody tr[aria-selected=true]")
            .inner_text()
            .contains("Wingtip Toys")
    );
    // Focus stayed on the chosen row, so the arrows go on from there.
    until(root, "focus to stay on the opened row", || {
        has_focus(&second)
    })
    .await;
    press(&second, "ArrowUp");
    let first = find(root, ".rc-table tbody tr");
    until(root, "ArrowUp to move from the opened row", || {
        has_focus(&first)
    })
    .await;
    // Escape closes the pane and leaves focus on the list.
    press(&first, "Escape");
    until(root, "Escape to close the pane", || {
        !exists(root, ".rc-pane-title") && !pathname().contains("/customers/")
    })
    .await;
    until(root, "focus back on a row", || {
        find_all(root, ".rc-table tbody tr").iter().any(has_focus)
    })
    .await;
    // A click opens the pane and keeps focus on the clicked row.
    let clicked = find_all(root, ".rc-table tbody tr")[1].clone();
    clicked.click();
    until(root, "the pane after a click", || {
        exists(root, ".rc-pane-title")
    })
    .await;
    until(root, "focus on the clicked row", || has_focus(&clicked)).await;
}
