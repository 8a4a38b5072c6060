//! Statements: a customer's month right to the cent for a history with an order, an increase,
//! a decrease within the window, a cancellation and a renewal at a new price; the same
//! figures when the month is produced again; as JSON, CSV and from the command line.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorCode;
use shared::api::SubscriptionView;
use shared::statements::{LineKind, Statement};

use crate::cli::{fails, ok, partner_with_catalogue};
use crate::prices::{BASIC, STANDARD, catalogue_offers, new_customer};
use crate::support::*;

fn set_fixed(db: &TestDb, partner: &str, customer: &str, offer: &str, price: &str, from: &str) {
    let args = [
        "prices",
        "set",
        "--partner",
        partner,
        "--customer",
        customer,
        "--offer",
        offer,
        "--fixed",
        price,
        "--from",
        from,
    ];
    ok(db, &args, "");
}

/// (kind, seats, amount) of each line of the subscription `id` in `statement`.
fn lines_of(statement: &Statement, id: &SubscriptionView) -> Vec<(LineKind, i64, i64)> {
    statement
        .subscriptions
        .iter()
        .find(|s| s.subscription_id == id.subscription.id)
        .map(|s| {
            s.lines
                .iter()
                .map(|l| (l.kind, l.seats, l.amount_cents))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_customers_month_is_right_to_the_cent_and_the_same_when_produced_again() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    catalogue_offers(&db, &partner);
    let db = Arc::new(db);
    let (server, boss) = crate::cli::console_with(
        &db,
        &["--unsafe-test-clock"],
        "boss@contoso.example",
        "admin-password-1",
    )
    .await;
    boss.set_clock(at_ten(11, 2)).await;
    let alpine = new_customer(&boss, "Alpine Ski House", "alpineskihouse.onmicrosoft.com").await;
    let other = new_customer(&boss, "Coho Vineyard", "cohovineyard.onmicrosoft.com").await;
    let alpine_id = alpine.id.to_string();
    // Alpine's prices: Business Basic 6.00; Business Standard 18.00, and 20.00 for terms
    // that start from December.
    set_fixed(&db, &partner, &alpine_id, BASIC, "6.00", "2026-01-01");
    set_fixed(&db, &partner, &alpine_id, STANDARD, "18.00", "2026-01-01");
    set_fixed(&db, &partner, &alpine_id, STANDARD, "20.00", "2026-12-01");

    let order = |offer: &'static str, seats: u32, key: &'static str| {
        let (boss, id) = (&boss, alpine_id.clone());
        async move { boss.ordered(&id, offer, seats, key).await }
    };
    let change = |sub: SubscriptionView, body: serde_json::Value| {
        let boss = &boss;
        async move { boss.changed(&sub, body).await }
    };
    // 3 November: 10 seats of Basic (annual term, billed monthly), 5 of Standard (monthly
    // term: it renews on 4 December).
    boss.set_clock(at_ten(11, 3)).await;
    let basic = order(BASIC, 10, "basic").await;
    let standard = order(STANDARD, 5, "standard").await;
    let basic_id = basic.subscription.id;
    assert_eq!(standard.subscription.commitment_end, "2026-12-03");
    // 11 November: 5 more; 13 November: 2 of them removed, within their 7 days.
    boss.set_clock(at_ten(11, 11)).await;
    let basic = change(basic, json!({"quantity": 15})).await;
    boss.set_clock(at_ten(11, 13)).await;
    let basic = change(basic, json!({"quantity": 13})).await;
    // 20 November: 4 seats more of Basic, as a second subscription, cancelled on the 23rd.
    boss.set_clock(at_ten(11, 20)).await;
    let spare = order(BASIC, 4, "spare").await;
    boss.set_clock(at_ten(11, 23)).await;
    let spare = change(spare, json!({"status": "cancelled"})).await;
    // Another customer's order is on its own statement, not Alpine's.
    boss.order(
        &other.id.to_string(),
        Some("coho"),
        json!({"offer_id": BASIC, "quantity": 7}),
    )
    .await;

    let statement = |month: &str| {
        let (boss, path) = (
            &boss,
            format!("/api/statements?month={month}&customer={alpine_id}"),
        );
        async move { boss.read::<Statement>(&path).await }
    };
    let november = statement("2026-11").await;
    assert_eq!(
        (november.month.as_str(), november.currency.as_str()),
        ("2026-11", "EUR")
    );
    // November has 30 days. Basic: ordered on the 3rd (28 days: 10 × 6.00 × 28/30 = 56.00),
    // +5 on the 11th (20 days: 20.00), −2 on the 13th (18 days: −7.20).
    assert_eq!(
        lines_of(&november, &basic),
        [
            (LineKind::Order, 10, 5_600),
            (LineKind::Increase, 5, 2_000),
            (LineKind::Decrease, -2, -720)
        ]
    );
    // Standard: 5 × 18.00 × 28/30 = 84.00.
    assert_eq!(
        lines_of(&november, &standard),
        [(LineKind::Order, 5, 8_400)]
    );
    // The cancelled one: 4 × 6.00 × 11/30 = 8.80 charged, its 8 days after the 23rd credited.
    assert_eq!(
        lines_of(&november, &spare),
        [
            (LineKind::Order, 4, 880),
            (LineKind::Cancellation, -4, -640)
        ]
    );
    assert_eq!(november.subscriptions.len(), 3);
    assert_eq!(
        november.total_cents,
        5_600 + 2_000 - 720 + 8_400 + 880 - 640
    );
    assert_eq!(november.customer_name, "Alpine Ski House");

    // December (31 days): Standard renews on the 4th, the new term at 20.00: the old term's
    // 28 days credited (5 × 18.00 × 28/31 = 81.29), the new term's charged (90.32).
    boss.set_clock(at_ten(12, 5)).await;
    let december = statement("2026-12").await;
    assert_eq!(
        lines_of(&december, &standard),
        [
            (LineKind::Month, 5, 9_000),
            (LineKind::TermEnd, -5, -8_129),
            (LineKind::Renewal, 5, 9_032)
        ]
    );
    assert_eq!(lines_of(&december, &basic), [(LineKind::Month, 13, 7_800)]);
    assert!(
        lines_of(&december, &spare).is_empty(),
        "cancelled in November"
    );
    assert_eq!(december.total_cents, 9_000 - 8_129 + 9_032 + 7_800);

    // A change in December does not touch November's figures.
    let basic = boss
        .read::<SubscriptionView>(&format!("/api/subscriptions/{}", basic.subscription.id))
        .await;
    change(basic, json!({"quantity": 20})).await;
    assert_eq!(statement("2026-11").await, november);

    // The month as CSV: every customer's lines, with the customer's columns; one customer's.
    let csv = boss.get("/api/statements.csv?month=2026-11").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "Month,Customer ID,Customer,Subscription ID,Offer,Billing,Line,From,To,Seats,Price per seat,Amount,Currency"
    );
    assert_eq!(
        rows.len(),
        1 + 6 + 1,
        "Alpine's six lines and Coho's order:\n{csv}"
    );
    let increase = format!(
        "2026-11,{alpine_id},Alpine Ski House,{},Business Basic (NCE),monthly,increase,2026-11-11,2026-11-30,5,6.00,20.00,EUR",
        basic_id
    );
    assert!(rows.contains(&increase.as_str()), "{csv}");
    let one = boss
        .get(&format!(
            "/api/statements.csv?month=2026-11&customer={alpine_id}"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(one.lines().count(), 1 + 6);

    // The command line prints the same rows.
    let printed = ok(
        &db,
        &[
            "statements",
            "--partner",
            &partner,
            "--month",
            "2026-11",
            "--customer",
            &alpine_id,
        ],
        "",
    );
    assert_eq!(printed, one);
    let all = ok(
        &db,
        &["statements", "--partner", &partner, "--month", "2026-11"],
        "",
    );
    assert_eq!(all, csv);

    // Bad input, said in words and naming the field.
    for (path, field) in [
        (
            format!("/api/statements?month=2026-13&customer={alpine_id}"),
            "month",
        ),
        ("/api/statements?month=2026-11".to_owned(), "customer"),
        (
            "/api/statements?month=2026-11&customer=alpine".to_owned(),
            "customer",
        ),
        ("/api/statements.csv?month=11-2026".to_owned(), "month"),
    ] {
        let err = expect_error(boss.get(&path).await, 400, ErrorCode::MalformedRequest).await;
        assert_eq!(err.field.as_deref(), Some(field), "{path}");
    }
    let foreign = "/api/statements?month=2026-11&customer=00000000-0000-4000-8000-000000000001";
    expect_error(boss.get(foreign).await, 404, ErrorCode::NotFound).await;
    let stderr = fails(
        &db,
        &["statements", "--partner", &partner, "--month", "2026-13"],
        "",
    );
    assert!(stderr.contains("01 to 12"), "{stderr}");
    // Signed out: nothing.
    let res = server
        .anonymous()
        .get("/api/statements.csv?month=2026-11")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
