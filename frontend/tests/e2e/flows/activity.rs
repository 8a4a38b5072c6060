//! The activity log and the exports.

use crate::support::*;
use shared::api::ChangeSubscriptionRequest;
use shared::model::{Channel, Status};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn flow_17_the_activity_log_and_the_exports() {
    signed_in_api(ADMIN).await;
    // A change to find: one seat more on a partner-bought subscription.
    let (customer, sub) = pick(Channel::Partner, Status::Active, 2).await;
    let s = &sub.subscription;
    let changed = api()
        .change_subscription(
            s.id,
            s.version,
            &ChangeSubscriptionRequest::quantity(s.quantity + 1),
        )
        .await
        .unwrap();
    let m = open("/e2e-activity", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    // The customer list links its exports, with the search typed.
    until(root, "the export links", || exists(root, ".rc-exports a")).await;
    let links: Vec<String> = find_all(root, ".rc-exports a")
        .iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect();
    assert!(links[0].ends_with("/api/customers.csv?q="), "{links:?}");
    assert!(links[1].ends_with("/api/subscriptions.csv"), "{links:?}");

    click(root, ".rc-nav a[href$=\"/activity\"]");
    until(root, "the activity log", || {
        exists(root, ".rc-activity-table tbody tr")
    })
    .await;
    // Newest first: the change just made, with its customer, offer and words.
    let first = find(root, ".rc-activity-table tbody tr");
    let row = first.text_content().unwrap_or_default();
    assert!(row.contains(&customer), "{row}");
    assert!(row.contains(&s.offer_name), "{row}");
    assert!(
        row.contains(&format!(
            "seats {} → {}",
            s.quantity, changed.subscription.quantity
        )),
        "{row}"
    );
    assert!(row.contains(ADMIN), "{row}");
    // One action only: the URL keeps the filter, and the rows are the server's.
    choose(root, ".rc-filters select", "status_changed");
    until(root, "the filter in the URL", || {
        window_location().contains("action=status_changed")
    })
    .await;
    let filtered = api()
        .activity(
            &shared::activity::ActivityQuery {
                action: Some("status_changed".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    until(root, "the status changes only", || {
        let rows = find_all(root, ".rc-activity-table tbody tr").len();
        rows == filtered.items.len()
            || (filtered.items.is_empty() && exists(root, ".rc-activity .rc-empty"))
    })
    .await;
    assert!(
        find(root, ".rc-activity .rc-button[download]")
            .get_attribute("href")
            .unwrap()
            .ends_with("/api/activity.csv?action=status_changed")
    );
    // Back to every action, then one customer's changes from its row.
    choose(root, ".rc-filters select", "");
    until(root, "every action again", || {
        !window_location().contains("action=")
            && exists(root, ".rc-activity-table tbody tr")
            && text(root, ".rc-activity-table tbody tr").contains(&customer)
    })
    .await;
    click(root, ".rc-activity-table tbody tr .rc-link");
    until(root, "one customer's changes", || {
        exists(root, ".rc-chip") && window_location().contains("customer=")
    })
    .await;
    assert!(text(root, ".rc-chip").contains(&customer));
    until(root, "rows of that customer", || {
        let rows = find_all(root, ".rc-activity-table tbody tr .rc-link");
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.text_content().unwrap_or_default() == customer)
    })
    .await;
    // A start after the end is refused as the server would, before asking it.
    type_into(root, ".rc-filters input[type=date]", "2999-01-01");
    // Applied on leaving the field (not at each part typed).
    fire(&find(root, ".rc-filters input[type=date]"), "blur");
    until(root, "the dates refused", || {
        exists(root, ".rc-activity [role=alert]")
            && text(root, ".rc-activity [role=alert]").contains("after")
    })
    .await;
}
