//! Renewals across customers, and the calendar file.

use crate::support::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn flow_15_renewals_across_customers_and_a_calendar_file() {
    signed_in_api(ADMIN).await;
    let quarter = api().renewals(90).await.unwrap();
    let week = api().renewals(7).await.unwrap();
    let m = open("/e2e-renewals", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    click(root, ".rc-nav a[href$=\"/renewals\"]");
    until(root, "the Renewals page", || exists(root, ".rc-window")).await;
    click(root, ".rc-window:nth-child(3)"); // next 90 days
    until(root, "90 days of renewals", || {
        find_all(root, ".rc-renewal-table tbody tr").len() == quarter.len()
    })
    .await;
    assert!(
        find(root, ".rc-calendar")
            .get_attribute("href")
            .unwrap()
            .ends_with("/api/renewals.ics?days=90")
    );
    click(root, ".rc-window:nth-child(1)"); // next 7 days
    until(root, "7 days of renewals", || {
        find_all(root, ".rc-renewal-table tbody tr").len() == week.len()
            || (week.is_empty() && exists(root, ".rc-renewals .rc-empty"))
    })
    .await;
    assert_eq!(
        find(root, ".rc-window:nth-child(1)")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    // The count is said in a status region when the window changes.
    let said = match week.len() {
        1 => "1 term ends in the next 7 days.".to_owned(),
        n => format!("{n} terms end in the next 7 days."),
    };
    until(root, "the count of the week", || {
        text(root, ".rc-renewal-count") == said
    })
    .await;
    // Each row leads to its subscription.
    click(root, ".rc-window:nth-child(3)");
    until(root, "90 days again", || {
        exists(root, ".rc-renewal-table tbody tr a")
    })
    .await;
    let first = &quarter[0].subscription;
    click(root, ".rc-renewal-table tbody tr a");
    until(root, "the subscription's page", || {
        exists(root, ".rc-edit-quantity") && text(root, ".rc-title").contains(&first.offer_name)
    })
    .await;
}
