//! Seat counts: edit, the 7-day window for removing seats, a decrease scheduled for the renewal.

use crate::support::*;
use shared::model::{Channel, Status};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

#[wasm_bindgen_test]
async fn flow_3_edit_quantity() {
    signed_in_api(ADMIN).await;
    let (customer, sub) = pick(Channel::Partner, Status::Active, 0).await;
    let m = subscription_page("/e2e-3", ADMIN, &customer, &sub).await;
    let root = &m.root;
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    let max = sub.subscription.max_quantity;
    for (typed, message) in [
        ("0".to_owned(), "Too few".to_owned()),
        ((max + 1).to_string(), "Too many".to_owned()),
        ("abc".to_owned(), "Not a number".to_owned()),
    ] {
        type_into(root, "#rc-seats", &typed);
        until(root, &format!("the message for {typed}"), || {
            text(root, "#rc-seats-message").starts_with(&message)
        })
        .await;
        assert!(text(root, "#rc-seats-message").contains(&format!("between 1 and {max} seats")));
        assert!(
            disabled(root, ".rc-form button[type=submit]"),
            "{typed} cannot be submitted"
        );
    }
    let new = sub.subscription.quantity + 1;
    type_into(root, "#rc-seats", &new.to_string());
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-form button[type=submit]")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the confirmation", || {
        exists(root, ".rc-callout.rc-ok")
    })
    .await;
    assert!(text(root, ".rc-seats-value").starts_with(&new.to_string()));
    let before = sub.subscription.quantity;
    until(root, "the history entry", || {
        shown(root).contains(&format!("seats {before} → {new}"))
    })
    .await;
    // The seat history picture: a line, and for screen readers a table ending at the new count.
    assert!(exists(root, ".rc-seat-chart svg path.rc-chart-line"));
    let seat_rows: Vec<String> = find_all(root, ".rc-seat-chart tbody tr td:last-child")
        .iter()
        .map(|c| c.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        seat_rows,
        vec![before.to_string(), new.to_string()],
        "seats over time, from the order to now"
    );
    let held = api()
        .subscription(sub.subscription.id)
        .await
        .unwrap()
        .subscription;
    assert_eq!(
        (held.quantity, held.version),
        (new, sub.subscription.version + 1)
    );
    let events = api().events(sub.subscription.id).await.unwrap();
    let last = events.items.last().expect("an audit event");
    assert_eq!(
        (
            last.before.as_ref().unwrap().quantity,
            last.after.quantity,
            last.agent_email.as_str()
        ),
        (before, new, ADMIN)
    );
    // "Download CSV" links the same trail as a spreadsheet file.
    let link = find(root, "a.rc-download");
    assert!(link.has_attribute("download"));
    let href = link.get_attribute("href").unwrap();
    let csv = gloo_net::http::Request::get(&href)
        .credentials(web_sys::RequestCredentials::Include)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(&format!(
            "{ADMIN},quantity_changed,{before},{new},active,active"
        )),
        "{csv}"
    );
}

#[wasm_bindgen_test]
async fn flow_14_seats_can_be_removed_for_seven_days_then_not() {
    signed_in_api(ADMIN).await;
    let start = (js_sys::Date::now() / 1000.0) as i64;
    move_clock(serde_json::json!({"now": shared::calendar::rfc3339(start)})).await;
    let customer = api()
        .customers("Coho Winery", 1, 5)
        .await
        .unwrap()
        .items
        .remove(0);
    let order = shared::api::NewSubscriptionRequest {
        offer_id: "m365-e3".into(),
        quantity: 10.into(),
    };
    let ordered = api()
        .order(customer.id, &frontend::api::new_idempotency_key(), &order)
        .await
        .unwrap();
    // Northwind is not connected to Partner Center: the order is made at once.
    let frontend::api::OrderOutcome::Created(ordered) = ordered else {
        panic!("an unconnected partner's order waits for nothing")
    };
    let ordered = *ordered;

    let m = subscription_page("/e2e-window", ADMIN, "Coho Winery", &ordered).await;
    let root = &m.root;
    assert!(
        text(root, ".rc-removable").starts_with("10 seats until"),
        "{}",
        text(root, ".rc-removable")
    );
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    type_into(root, "#rc-seats", "4");
    until(root, "Submit to be enabled", || {
        !disabled(root, ".rc-form button[type=submit]")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the confirmation", || {
        exists(root, ".rc-callout.rc-ok")
    })
    .await;
    until(root, "4 seats still removable", || {
        text(root, ".rc-removable").starts_with("4 seats until")
    })
    .await;
    drop(m);

    // A week later (the clock moved, nobody slept): nothing can be removed, and the form says
    // so as the agent types, before any Submit.
    move_clock(serde_json::json!({"advance_seconds": 7 * 24 * 3600})).await;
    let m = subscription_page("/e2e-after-a-week", ADMIN, "Coho Winery", &ordered).await;
    let root = &m.root;
    assert_eq!(
        text(root, ".rc-removable"),
        "None: seats can be removed only within 7 days of being added."
    );
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    type_into(root, "#rc-seats", "3");
    until(root, "the window's refusal", || {
        text(root, "#rc-seats-message").contains("none can be now")
    })
    .await;
    assert!(disabled(root, ".rc-form button[type=submit]"));
    type_into(root, "#rc-seats", "6");
    until(root, "an increase is fine", || {
        text(root, "#rc-seats-message").is_empty()
    })
    .await;
    click(root, ".rc-form button[type=button]"); // Cancel
    // The auto-renew switch: one click, confirmed, recorded.
    assert_eq!(text(root, ".rc-auto-renew"), "Turn auto-renew off");
    click(root, ".rc-auto-renew");
    until(root, "auto-renew off", || {
        text(root, ".rc-auto-renew") == "Turn auto-renew on"
            && shown(root).contains("Saved: auto-renew is off")
    })
    .await;
    until(root, "the history entry", || {
        shown(root).contains("auto-renew off")
    })
    .await;
    move_clock(serde_json::json!({"reset": true})).await;
}

#[wasm_bindgen_test]
async fn flow_16_a_decrease_too_late_is_scheduled_for_the_renewal_which_applies_it() {
    use shared::lifecycle::{first_term_end, term_over_at};
    signed_in_api(ADMIN).await;
    let start = (js_sys::Date::now() / 1000.0) as i64;
    move_clock(serde_json::json!({"now": shared::calendar::rfc3339(start)})).await;
    let customer = api()
        .customers("Fourth Coffee", 1, 5)
        .await
        .unwrap()
        .items
        .remove(0);
    let order = shared::api::NewSubscriptionRequest {
        offer_id: "exchange-online-plan-1".into(),
        quantity: 10.into(),
    };
    let ordered = api()
        .order(customer.id, &frontend::api::new_idempotency_key(), &order)
        .await
        .unwrap();
    // Northwind is not connected to Partner Center: the order is made at once.
    let frontend::api::OrderOutcome::Created(ordered) = ordered else {
        panic!("an unconnected partner's order waits for nothing")
    };
    let ordered = *ordered;
    let save_seats = |root: &HtmlElement, seats: &'static str| {
        let root = root.clone();
        async move {
            click(&root, ".rc-edit-quantity");
            until(&root, "the quantity form", || exists(&root, "#rc-seats")).await;
            type_into(&root, "#rc-seats", seats);
            until(&root, "Submit to be enabled", || {
                !disabled(&root, ".rc-form button[type=submit]")
            })
            .await;
            click(&root, ".rc-form button[type=submit]");
            until(&root, "the new seat count", || {
                text(&root, ".rc-seats-value").starts_with(seats)
            })
            .await;
        }
    };

    // Add seats, then take two back while their window is open.
    let m = subscription_page("/e2e-lifecycle", ADMIN, "Fourth Coffee", &ordered).await;
    let root = &m.root;
    save_seats(root, "14").await;
    save_seats(root, "12").await;
    assert!(
        text(root, ".rc-removable").contains("left"),
        "a live countdown"
    );
    drop(m);

    // A week later every window is closed: the decrease is refused as the agent types.
    move_clock(serde_json::json!({"advance_seconds": 7 * 24 * 3600})).await;
    let m = subscription_page("/e2e-lifecycle-late", ADMIN, "Fourth Coffee", &ordered).await;
    let root = &m.root;
    click(root, ".rc-edit-quantity");
    until(root, "the quantity form", || exists(root, "#rc-seats")).await;
    type_into(root, "#rc-seats", "8");
    until(root, "the window's refusal", || {
        text(root, "#rc-seats-message").contains("schedule a lower count for the renewal")
    })
    .await;
    assert!(disabled(root, ".rc-form button[type=submit]"));
    click(root, ".rc-form button[type=button]"); // Cancel

    // So it is scheduled for the renewal instead, with its cost. The keyboard focus follows:
    // back to Edit quantity when its form closed, into the renewal form when it opens.
    until(root, "the focus back on Edit quantity", || {
        focused_class().contains("rc-edit-quantity")
    })
    .await;
    click(root, ".rc-manage-renewal");
    until(root, "the renewal form, focused", || {
        exists(root, "#rc-renewal-seats") && focused_id() == "rc-renewal-seats"
    })
    .await;
    type_into(root, "#rc-renewal-seats", "8");
    until(root, "the next term's cost", || {
        text(root, ".rc-form .rc-cost-preview").starts_with("8 seats, monthly")
    })
    .await;
    click(root, ".rc-form button[type=submit]");
    until(root, "the scheduled change", || {
        shown(root).contains("Saved: the change is scheduled for the renewal.")
            && text(root, ".rc-scheduled-value").starts_with("8 seats, monthly")
    })
    .await;
    drop(m);

    // The term ends: the renewal applies it, and says so in the history.
    let end = first_term_end(start, shared::model::Term::Monthly);
    move_clock(serde_json::json!({"now": shared::calendar::rfc3339(term_over_at(&end).unwrap())}))
        .await;
    let m = subscription_page("/e2e-lifecycle-renewed", ADMIN, "Fourth Coffee", &ordered).await;
    let root = &m.root;
    until(root, "8 seats after the renewal", || {
        text(root, ".rc-seats-value").starts_with('8')
            && text(root, ".rc-scheduled-value").starts_with("No change scheduled")
            && shown(root).contains("automatic renewal")
    })
    .await;
    let term = text(root, ".rc-term-value");
    assert!(
        term.starts_with("monthly, billed monthly · renews on"),
        "{term}"
    );
    move_clock(serde_json::json!({"reset": true})).await;
}
