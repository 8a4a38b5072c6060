//! Ordering: new subscriptions, and a new customer with its first subscription.

use crate::support::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn flow_6_add_new_subscriptions() {
    signed_in_api(ADMIN).await;
    let authorised: Vec<String> = api()
        .offers(None)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.offer.id.0)
        .collect();
    let customer = api()
        .customers("Coho Winery", 1, 15)
        .await
        .unwrap()
        .items
        .remove(0);
    let before = api()
        .customer_subscriptions(customer.id)
        .await
        .unwrap()
        .len();
    let m = open("/e2e-6", "/", None).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    open_customer(root, "Coho Winery").await;
    click(root, ".rc-pane .rc-primary");
    until(root, "the order form", || exists(root, "#rc-offer")).await;
    let listed: Vec<String> = find_all(root, "#rc-offer option")
        .iter()
        .map(|o| o.get_attribute("value").unwrap())
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(listed, authorised, "only the offers the partner may sell");

    choose(root, "#rc-offer", "teams-essentials");
    type_into(root, "#rc-new-seats", "301");
    until(root, "the per-offer bound", || {
        text(root, "#rc-new-seats-message").contains("between 1 and 300 seats")
    })
    .await;
    choose(root, "#rc-offer", "m365-e3");
    until(root, "301 valid for E3", || {
        text(root, "#rc-new-seats-message").is_empty()
    })
    .await;
    click(root, ".rc-order form button[type=submit]");
    until(root, "the confirmation step", || exists(root, ".rc-finish")).await;
    assert_eq!(text(root, ".rc-confirm-offer"), "Microsoft 365 E3");
    assert_eq!(text(root, ".rc-confirm-seats"), "301");
    assert!(text(root, ".rc-confirm-cost").starts_with("301 × €33.70"));
    // Finish pressed twice quickly.
    click(root, ".rc-finish");
    click(root, ".rc-finish");
    until(root, "the list with the new subscription", || {
        exists(root, ".rc-sub-new")
    })
    .await;
    assert!(
        find(root, ".rc-sub-new")
            .inner_text()
            .contains("Microsoft 365 E3")
    );
    let after = api().customer_subscriptions(customer.id).await.unwrap();
    assert_eq!(after.len(), before + 1, "ordered exactly once");
    assert!(
        after
            .iter()
            .any(|s| s.subscription.offer_id.0 == "m365-e3" && s.subscription.quantity == 301)
    );
}

#[wasm_bindgen_test]
async fn flow_12_add_customer_then_order_its_first_subscription() {
    let m = open("/e2e-new-customer", "/", None).await;
    let root = &m.root;
    sign_in(&m, "sales@northwind.example").await;
    until(root, "the customer list", || {
        exists(root, ".rc-add-customer")
    })
    .await;
    click(root, ".rc-add-customer");
    until(root, "the Add customer form", || exists(root, "#rc-domain")).await;
    let name = format!("Lamna Gliders {}", unique());
    let domain = format!("lamna{}.onmicrosoft.com", unique());
    type_into(root, "#rc-company", &name);
    type_into(root, "#rc-domain", "lamna gliders");
    until(root, "the domain rule", || {
        text(root, "#rc-domain-message").contains("only letters a–z, digits, hyphens and dots")
    })
    .await;
    // A domain another customer already has: the server says so, at the field.
    let taken = api()
        .customers("", 1, 1)
        .await
        .unwrap()
        .items
        .remove(0)
        .domain;
    type_into(root, "#rc-domain", &taken);
    click(root, ".rc-order form button[type=submit]");
    until(root, "the domain is taken", || {
        text(root, "#rc-domain-message").contains("already has the primary domain")
    })
    .await;
    type_into(root, "#rc-domain", &domain);
    click(root, ".rc-order form button[type=submit]");
    until(root, "the new customer's action pane", || {
        exists(root, ".rc-pane-title") && text(root, ".rc-pane-title").contains(&name)
    })
    .await;
    assert!(text(root, ".rc-pane").contains("No subscriptions yet."));
    assert!(text(root, ".rc-pane-domain").contains(&domain));
    click(root, ".rc-pane .rc-primary");
    until(root, "the order form", || exists(root, "#rc-offer")).await;
    choose(root, "#rc-offer", "m365-business-basic");
    type_into(root, "#rc-new-seats", "12");
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-order form button[type=submit]")
    })
    .await;
    click(root, ".rc-order form button[type=submit]");
    until(root, "the confirmation step", || exists(root, ".rc-finish")).await;
    click(root, ".rc-finish");
    until(root, "the list with the new subscription", || {
        exists(root, ".rc-sub-new")
    })
    .await;
    assert!(text(root, ".rc-sub-new").contains("Microsoft 365 Business Basic"));
    assert!(text(root, ".rc-pane-title").contains(&name));
}
