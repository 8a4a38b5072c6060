//! Reconciliation: Microsoft's invoice reconciliation file for November, with planted
//! mismatches, against the console's record: each mismatch flagged, nothing else; each
//! customer's cost, price (its statement) and margin; refused files keep nothing; costs are
//! for admins and sales only; the command line prints what the API gives.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::reconciliation::{FlagKind, Reconciliation};
use shared::statements::Statement;

use crate::cli::{fails, ok, partner_with_catalogue, write};
use crate::prices::{BASIC, STANDARD, catalogue_offers, new_customer};
use crate::support::*;

/// Microsoft's columns, in its order, with others the console ignores.
const HEADER: &str = "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,InvoiceNumber,MpnId,OrderId,OrderDate,ProductId,SkuId,AvailabilityId,SkuName,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,SubscriptionId,ChargeStartDate,ChargeEndDate,TermAndBillingCycle,BillableQuantity,BillingFrequency";

/// One line: customer id and name, subscription id, product:SKU, charge type, unit price,
/// quantity, subtotal, first and last day, currency.
fn line(f: [&str; 10], currency: &str) -> String {
    let [
        customer,
        name,
        sub,
        product,
        charge,
        price,
        seats,
        subtotal,
        start,
        end,
    ] = f;
    let (product, sku) = product.split_once(':').unwrap_or((product, ""));
    format!(
        "4d5e6f70-0000-4000-8000-000000000001,{customer},{name},x.onmicrosoft.com,DE,G012345678,6034453,ord1,11/3/2026,{product},{sku},CFQ7TTC0K59S,Business,Microsoft 365,{charge},{price},{seats},{subtotal},0,{subtotal},{currency},{sub},{start},{end},One-Year commitment for monthly billing,{seats},Monthly"
    )
}

fn file(lines: &[String]) -> String {
    let mut text = HEADER.to_owned();
    for l in lines {
        text.push('\n');
        text.push_str(l);
    }
    text.push('\n');
    text
}

/// A flag as the test compares it: kind, line, subscription, Microsoft's figure, the console's.
type FlagRow<'a> = (FlagKind, Option<u64>, &'a str, Option<i64>, Option<i64>);

async fn upload(agent: &Agent, month: &str, body: String) -> reqwest::Response {
    agent
        .send(
            Method::POST,
            &format!("/api/reconciliation?month={month}&file_name=recon-nov.csv"),
            |r| r.header("content-type", "text/csv").body(body),
        )
        .await
}

#[tokio::test]
async fn a_file_with_planted_mismatches_flags_each_one_and_nothing_else() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    catalogue_offers(&db, &partner);
    // Microsoft's cost: Business Basic 5.10 a seat a month, Business Standard 12.00.
    let list = write(
        &db,
        "pricelist.csv",
        "ProductTitle,ProductId,SkuId,SkuTitle,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate,EffectiveEndDate,ERP Price\n\
         Microsoft 365,CFQ7TTC0LH18,0001,Business Basic,P1Y,Monthly,DE,EUR,5.10,2026-10-01,,6.00\n\
         Microsoft 365,CFQ7TTC0LDPB,0001,Business Standard,P1M,Monthly,DE,EUR,12.00,2026-10-01,,18.00\n"
            .as_bytes(),
    );
    ok(&db, &["prices", "import", "--partner", &partner, &list], "");
    for (email, role) in [
        ("sam@contoso.example", "sales"),
        ("desk@contoso.example", "helpdesk"),
    ] {
        let args = [
            "agent",
            "add",
            "--partner",
            &partner,
            "--email",
            email,
            "--role",
            role,
        ];
        ok(&db, &args, "agent-password-1\n");
    }
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
    let coho = new_customer(&boss, "Coho Vineyard", "cohovineyard.onmicrosoft.com").await;
    let a = alpine.id.to_string();
    boss.set_clock(at_ten(11, 3)).await;
    let basic = boss.ordered(&a, BASIC, 10, "basic").await;
    let standard = boss.ordered(&a, STANDARD, 5, "standard").await;
    let cohos = boss.ordered(&coho.id.to_string(), BASIC, 7, "coho").await;
    boss.set_clock(at_ten(11, 11)).await;
    let basic = boss.changed(&basic, json!({"quantity": 15})).await;
    boss.set_clock(at_ten(11, 13)).await;
    boss.changed(&basic, json!({"quantity": 13})).await;
    boss.set_clock(at_ten(11, 20)).await;
    let spare = boss.ordered(&a, BASIC, 4, "spare").await;
    boss.set_clock(at_ten(11, 23)).await;
    boss.changed(&spare, json!({"status": "cancelled"})).await;
    boss.set_clock(at_ten(12, 4)).await;

    let (b, s, x) = (
        basic.subscription.id.to_string(),
        standard.subscription.id.to_string(),
        spare.subscription.id.to_string(),
    );
    let stranger = "0f0e0d0c-0b0a-4009-8807-060504030201";
    let l = |f: [&str; 10]| line(f, "EUR");
    let lines = vec![
        // What the console holds: no flag.
        l([
            &a,
            "Alpine Ski House",
            &b,
            BASIC,
            "New",
            "5.10",
            "10",
            "47.60",
            "11/3/2026",
            "11/30/2026",
        ]),
        l([
            &a,
            "Alpine Ski House",
            &b,
            BASIC,
            "Add quantity",
            "5.10",
            "5",
            "17.00",
            "11/11/2026",
            "11/30/2026",
        ]),
        l([
            &a,
            "Alpine Ski House",
            &b,
            BASIC,
            "Remove quantity",
            "5.10",
            "-2",
            "-6.12",
            "11/13/2026",
            "11/30/2026",
        ]),
        // Planted: six seats where the console holds five (line 5).
        l([
            &a,
            "Alpine Ski House",
            &s,
            STANDARD,
            "New",
            "12.00",
            "6",
            "67.20",
            "11/3/2026",
            "11/30/2026",
        ]),
        // Planted: 4.90 where the price list says 5.10 (line 6).
        l([
            &a,
            "Alpine Ski House",
            &x,
            BASIC,
            "New",
            "4.90",
            "4",
            "7.19",
            "11/20/2026",
            "11/30/2026",
        ]),
        l([
            &a,
            "Alpine Ski House",
            &x,
            BASIC,
            "Cancel",
            "5.10",
            "-4",
            "-5.44",
            "11/23/2026",
            "11/30/2026",
        ]),
        // Planted: a charge after the cancellation (line 8).
        l([
            &a,
            "Alpine Ski House",
            &x,
            BASIC,
            "Cycle charge",
            "5.10",
            "4",
            "20.40",
            "11/25/2026",
            "12/24/2026",
        ]),
        // Planted: a subscription the console does not hold (line 9).
        l([
            stranger,
            "Fabrikam",
            stranger,
            BASIC,
            "New",
            "5.10",
            "3",
            "15.30",
            "11/5/2026",
            "11/30/2026",
        ]),
        // Planted by leaving out: Coho's subscription has no line of Microsoft's.
    ];
    let res = upload(&boss, "2026-11", file(&lines)).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let found: Reconciliation = res.json().await.unwrap();
    let flags: Vec<FlagRow> = found
        .flags
        .iter()
        .map(|f| {
            (
                f.kind,
                f.line,
                f.subscription_id.as_str(),
                f.microsoft,
                f.console,
            )
        })
        .collect();
    let coho_id = cohos.subscription.id.to_string();
    // Coho's 7 seats from the 3rd at its price (the ERP price, 6.00): 7 × 6.00 × 28/30 = 39.20.
    assert_eq!(
        flags,
        [
            (
                FlagKind::UnknownSubscription,
                Some(9),
                stranger,
                Some(1_530),
                None
            ),
            (
                FlagKind::QuantityDiffers,
                Some(5),
                s.as_str(),
                Some(6),
                Some(5)
            ),
            (
                FlagKind::UnitPriceDiffers,
                Some(6),
                x.as_str(),
                Some(490),
                Some(510)
            ),
            (
                FlagKind::ChargedWhileEnded,
                Some(8),
                x.as_str(),
                Some(2_040),
                None
            ),
            (
                FlagKind::NoMicrosoftLine,
                None,
                coho_id.as_str(),
                None,
                Some(3_920)
            ),
        ],
        "each planted mismatch, nothing else"
    );
    assert_eq!(
        (found.lines, found.month.as_str(), found.file_name.as_str()),
        (8, "2026-11", "recon-nov.csv")
    );
    assert_eq!(found.imported_by, "boss@contoso.example");

    // Per customer: Microsoft's cost (the file's subtotals), the price (the statement), margin.
    let statement: Statement = boss
        .read(&format!("/api/statements?month=2026-11&customer={a}"))
        .await;
    let alpine_row = found
        .customers
        .iter()
        .find(|c| c.customer_id == Some(alpine.id))
        .expect("Alpine's row");
    let alpine_cost = 4_760 + 1_700 - 612 + 6_720 + 719 - 544 + 2_040;
    assert_eq!(
        (
            alpine_row.microsoft_cost_cents,
            alpine_row.customer_price_cents,
            alpine_row.margin_cents,
            alpine_row.flags
        ),
        (
            alpine_cost,
            statement.total_cents,
            statement.total_cents - alpine_cost,
            3
        )
    );
    let names: Vec<&str> = found
        .customers
        .iter()
        .map(|c| c.customer_name.as_str())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"Fabrikam") && names.contains(&"Coho Vineyard"));
    assert_eq!(
        found.margin_cents,
        found.customer_price_cents - found.microsoft_cost_cents
    );
    assert_eq!(found.microsoft_cost_cents, alpine_cost + 1_530);

    // The page's read gives the same; a correction in the console shows at once.
    let again: Reconciliation = boss.read("/api/reconciliation?month=2026-11").await;
    assert_eq!(again, found);

    // The CSV: the header, the five flags, the three customers; the command line's is the same.
    let csv = boss.get("/api/reconciliation.csv?month=2026-11").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "Month,Row,Customer ID,Customer,Subscription ID,Offer,File line,Day,Microsoft,Console,Microsoft cost,Customer price,Margin,Currency"
    );
    assert_eq!(rows.len(), 1 + 5 + 3, "{csv}");
    assert!(
        rows.contains(&format!("2026-11,unit_price_differs,{a},Alpine Ski House,{x},Business Basic (NCE),6,2026-11-20,4.90,5.10,,,,EUR").as_str()),
        "{csv}"
    );
    let path = write(&db, "recon-nov.csv", file(&lines).as_bytes());
    let printed = ok(
        &db,
        &[
            "reconcile",
            "--partner",
            &partner,
            "--month",
            "2026-11",
            "--dry-run",
            &path,
        ],
        "",
    );
    assert_eq!(printed, csv);

    // Sales see it; help desk does not, and only admins import.
    let sales = server
        .sign_in_with("sam@contoso.example", "agent-password-1")
        .await;
    assert_eq!(
        sales
            .get("/api/reconciliation?month=2026-11")
            .await
            .status(),
        StatusCode::OK
    );
    expect_error(
        upload(&sales, "2026-11", file(&lines)).await,
        403,
        ErrorCode::RoleNotAllowed,
    )
    .await;
    let desk = server
        .sign_in_with("desk@contoso.example", "agent-password-1")
        .await;
    expect_error(
        desk.get("/api/reconciliation?month=2026-11").await,
        403,
        ErrorCode::RoleNotAllowed,
    )
    .await;
    expect_error(
        server
            .anonymous()
            .get("/api/reconciliation?month=2026-11")
            .await,
        401,
        ErrorCode::NotSignedIn,
    )
    .await;

    // Refused files: a line-numbered refusal in words, and the month's file as it was.
    let bad_month = upload(&boss, "2026-13", file(&lines)).await;
    let err = expect_error(bad_month, 400, ErrorCode::MalformedRequest).await;
    assert_eq!(err.field.as_deref(), Some("month"));
    let mut broken = lines.clone();
    broken[1] = broken[1].replace(",5.10,5,17.00,", ",-5.10,5,17.00,");
    broken[2] = l([
        &a,
        "Alpine Ski House",
        &b,
        BASIC,
        "Remove quantity",
        "5.10",
        "lots",
        "-6.12",
        "11/13/2026",
        "11/30/2026",
    ]);
    broken[3] = line(
        [
            &a,
            "Alpine Ski House",
            &s,
            STANDARD,
            "New",
            "12.00",
            "5",
            "60.00",
            "11/3/2026",
            "11/30/2026",
        ],
        "USD",
    );
    let err = expect_error(
        upload(&boss, "2026-11", file(&broken)).await,
        422,
        ErrorCode::InvalidFile,
    )
    .await;
    assert_eq!(err.lines.len(), 3, "{:?}", err.lines);
    assert!(
        err.lines[0].starts_with("line 3: refused") && err.lines[0].contains("UnitPrice"),
        "{:?}",
        err.lines
    );
    assert!(
        err.lines[1].starts_with("line 4: refused") && err.lines[1].contains("lots"),
        "{:?}",
        err.lines
    );
    assert!(
        err.lines[2].starts_with("line 5: refused")
            && err.lines[2].contains("USD is not the partner's currency"),
        "{:?}",
        err.lines
    );
    let no_column = file(&lines).replacen(",SubscriptionId,", ",Subscription,", 1);
    let err = expect_error(
        upload(&boss, "2026-11", no_column).await,
        422,
        ErrorCode::InvalidFile,
    )
    .await;
    assert!(err.message.contains("SubscriptionId"), "{}", err.message);
    let after: Reconciliation = boss.read("/api/reconciliation?month=2026-11").await;
    assert_eq!(after, found, "a refused file keeps nothing");
    expect_error(
        boss.get("/api/reconciliation?month=2026-10").await,
        404,
        ErrorCode::NotFound,
    )
    .await;
    let err = fails(
        &db,
        &[
            "reconcile",
            "--partner",
            &partner,
            "--month",
            "2026-11",
            &write(&db, "bad.csv", file(&broken).as_bytes()),
        ],
        "",
    );
    assert!(err.contains("line 4: refused"), "{err}");
}
