//! The partner's money: Microsoft's price list imported as cost (`prices import`), the
//! partner's price rules (`prices set`, `POST /api/prices/rules`), and what they give, shown
//! to each role as the role table says (costs to admins and sales only).

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::ErrorCode;
use shared::api::{ItemList, PriceTable, PricedOffer, SubscriptionView};
use shared::model::Customer;
use shared::pricing::PriceSource;
use shared::renewals::Renewal;

use crate::cli::{console_of, fails, ok, partner_with_catalogue, write};
use crate::support::*;

pub(crate) const BASIC: &str = "CFQ7TTC0LH18:0001:CFQ7TTC0K59S";
pub(crate) const STANDARD: &str = "CFQ7TTC0LDPB:0001:CFQ7TTC0K5BF";

/// Two offers named by Partner Center's catalog item ids, authorised for `partner`.
pub(crate) fn catalogue_offers(db: &TestDb, partner: &str) {
    let offers = write(
        db,
        "nce-offers.csv",
        format!(
            "id,name,min seats,max seats,price per seat per month,currency,term,billing cycle\n\
             {BASIC},Business Basic (NCE),1,300,9.99,EUR,Annual,Monthly\n\
             {STANDARD},Business Standard (NCE),1,300,19.99,EUR,Monthly,Monthly\n"
        )
        .as_bytes(),
    );
    ok(
        db,
        &["offers", "import", &offers, "--authorise", partner],
        "",
    );
}

/// Microsoft's header as the price list writes it, with columns the console ignores.
const HEADER: &str = "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment";

/// One line of the list: product, SKU, term, billing plan, market, currency, unit price, first
/// day, last day, ERP price.
fn line(f: [&str; 10]) -> String {
    let [
        product,
        sku,
        term,
        plan,
        market,
        currency,
        price,
        start,
        end,
        erp,
    ] = f;
    format!(
        "Microsoft 365 Business,{product},{sku},Business,Microsoft Corporation,A description,1 Licence,{term},{plan},{market},{currency},{price},,,{start},{end},License,{erp},Commercial"
    )
}

fn price_list() -> String {
    [
        HEADER.to_owned(),
        // November's list, then December's: both kept.
        line([
            "CFQ7TTC0LH18",
            "0001",
            "P1Y",
            "Monthly",
            "DE",
            "EUR",
            "5.10",
            "11/1/2026 12:00:00 AM",
            "11/30/2026 12:00:00 AM",
            "6.12",
        ]),
        line([
            "CFQ7TTC0LH18",
            "0001",
            "P1Y",
            "Monthly",
            "DE",
            "EUR",
            "5.40",
            "2026-12-01T00:00:00Z",
            "",
            "6.48",
        ]),
        // Annual billing: the list's price is the year's.
        line([
            "CFQ7TTC0LH18",
            "0001",
            "P1Y",
            "Annual",
            "DE",
            "EUR",
            "61.20",
            "2026-12-01",
            "",
            "73.44",
        ]),
        line([
            "CFQ7TTC0LDPB",
            "0001",
            "P1M",
            "Monthly",
            "DE",
            "EUR",
            "12.36",
            "2026-12-01",
            "",
            "14.83",
        ]),
        line([
            "CFQ7TTC0LDPB",
            "0001",
            "P3Y",
            "Triennial",
            "DE",
            "EUR",
            "399.60",
            "2026-12-01",
            "",
            "",
        ]),
        // Another market: left out with --market DE.
        line([
            "CFQ7TTC0LH18",
            "0001",
            "P1Y",
            "Monthly",
            "FR",
            "EUR",
            "5.20",
            "2026-12-01",
            "",
            "6.24",
        ]),
    ]
    .join("\n")
}

async fn table(agent: &Agent, query: &str) -> PriceTable {
    agent.read(&format!("/api/prices{query}")).await
}

#[tokio::test]
async fn a_price_list_prices_the_offers_and_the_partners_rules_price_its_customers() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    catalogue_offers(&db, &partner);
    let file = write(&db, "pricelist.csv", price_list().as_bytes());

    // Two markets and no --market: which one is not ours to guess.
    let err = fails(&db, &["prices", "import", "--partner", &partner, &file], "");
    assert!(
        err.contains("2 markets (DE, FR): pick one with --market"),
        "{err}"
    );

    let dry = ok(
        &db,
        &[
            "prices",
            "import",
            "--partner",
            &partner,
            &file,
            "--market",
            "de",
            "--dry-run",
        ],
        "",
    );
    assert!(
        dry.contains("line 2: create CFQ7TTC0LH18:0001 P1Y Monthly"),
        "{dry}"
    );
    assert!(
        dry.contains(
            "5 to create, 0 to update, 0 unchanged, 0 refused, 1 of other markets left out (dry run"
        ),
        "{dry}"
    );
    let list = ok(
        &db,
        &[
            "prices",
            "list",
            "--partner",
            &partner,
            "--day",
            "2026-12-02",
        ],
        "",
    );
    assert!(
        list.contains(&format!("{BASIC},,9.99,,catalogue,EUR")),
        "nothing imported by a dry run:\n{list}"
    );

    ok(
        &db,
        &[
            "prices",
            "import",
            "--partner",
            &partner,
            &file,
            "--market",
            "DE",
        ],
        "",
    );
    let again = ok(
        &db,
        &[
            "prices",
            "import",
            "--partner",
            &partner,
            &file,
            "--market",
            "DE",
        ],
        "",
    );
    assert!(
        again.contains("0 to create, 0 to update, 5 unchanged"),
        "{again}"
    );

    // Without rules: Microsoft's ERP price, each day by its own month's list.
    let on = |day: &str| {
        ok(
            &db,
            &["prices", "list", "--partner", &partner, "--day", day],
            "",
        )
    };
    assert!(
        on("2026-12-02").contains(&format!("{BASIC},5.40,6.48,1.08,erp,EUR,2026-12-02")),
        "{}",
        on("2026-12-02")
    );
    assert!(
        on("2026-11-15").contains(&format!("{BASIC},5.10,6.12,1.02,erp,EUR,2026-11-15")),
        "{}",
        on("2026-11-15")
    );
    assert!(on("2026-12-02").contains(&format!("{STANDARD},12.36,14.83,2.47,erp,EUR")));
    // Before any list: the catalogue's price, no cost.
    assert!(on("2026-10-01").contains(&format!("{BASIC},,9.99,,catalogue,EUR")));

    // A partner-wide markup from December; an offer's own price; a customer's price below cost.
    ok(
        &db,
        &[
            "prices",
            "set",
            "--partner",
            &partner,
            "--markup",
            "15",
            "--from",
            "2026-12-01",
        ],
        "",
    );
    assert!(
        on("2026-12-02").contains(&format!("{BASIC},5.40,6.21,0.81,partner,EUR")),
        "{}",
        on("2026-12-02")
    );
    assert!(
        on("2026-11-15").contains(&format!("{BASIC},5.10,6.12,1.02,erp,EUR")),
        "a rule applies from its day"
    );
    ok(
        &db,
        &[
            "prices",
            "set",
            "--partner",
            &partner,
            "--offer",
            STANDARD,
            "--fixed",
            "13.90",
            "--from",
            "2026-12-01",
        ],
        "",
    );
    assert!(on("2026-12-02").contains(&format!("{STANDARD},12.36,13.90,1.54,offer,EUR")));

    for (args, why) in [
        (vec!["--markup", "ten"], "is not a markup"),
        (vec!["--markup", "-100"], "out of range"),
        (vec!["--fixed", "-1"], "negative price"),
        (vec!["--fixed", "1,50"], "is not an amount"),
        (vec!["--fixed", "5"], "a fixed price names an offer"),
        (vec!["--markup", "5", "--fixed", "5"], "not both"),
        (
            vec!["--markup", "5", "--from", "2026-13-01"],
            "not a day of the calendar",
        ),
        (
            vec!["--offer", "no-such-offer", "--fixed", "5"],
            "does not sell that offer",
        ),
    ] {
        let mut all = vec!["prices", "set", "--partner", &partner];
        all.extend(args.iter().copied());
        let err = fails(&db, &all, "");
        assert!(err.contains(why), "{args:?}: {err}");
    }

    // In the browser's API: the same prices; the cost for admins and sales only.
    let db = std::sync::Arc::new(db);
    let (server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let res = boss
        .send(Method::POST, "/api/customers", |r| {
            r.json(&json!({"name": "Fabrikam Price Test", "domain": "fabrikampricetest.onmicrosoft.com"}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let customer: Customer = res.json().await.unwrap();
    let ordered = boss
        .order(
            &customer.id.to_string(),
            Some("price-order-1"),
            json!({"offer_id": BASIC, "quantity": 3}),
        )
        .await;
    assert_eq!(ordered.status(), StatusCode::CREATED);
    let sub: SubscriptionView = ordered.json().await.unwrap();

    let rule = boss
        .send(Method::POST, "/api/prices/rules", |r| {
            r.json(&json!({"customer_id": customer.id, "offer_id": BASIC, "fixed_price": "5.00", "effective_from": "2026-12-01"}))
        })
        .await;
    assert_eq!(rule.status(), StatusCode::CREATED);
    let t = table(&boss, &format!("?customer={}", customer.id)).await;
    let basic = t.offers.iter().find(|o| o.offer_id.0 == BASIC).unwrap();
    assert_eq!(
        (basic.quote.price, basic.quote.cost, basic.quote.source),
        (500, Some(540), PriceSource::CustomerOffer)
    );
    assert!(basic.quote.below_cost(), "allowed, and flagged");
    assert_eq!(t.currency, "EUR");
    // The customer's subscription shows the customer's price, and its cost to the admin.
    let seen = boss.subscription(sub.subscription.id).await;
    assert_eq!(seen.subscription.price_per_seat_cents, 500);
    assert_eq!(seen.cost_per_seat_cents, Some(540));
    let listed = boss.subscriptions_of(&customer.id.to_string()).await;
    assert_eq!(listed[0].subscription.price_per_seat_cents, 500);

    // A help-desk agent sees the customer's price, never the cost, and sets no price.
    ok(
        &db,
        &[
            "agent",
            "add",
            "--partner",
            &partner,
            "--email",
            "desk@contoso.example",
            "--role",
            "helpdesk",
        ],
        "desk-password-1\n",
    );
    let desk = server.anonymous();
    let res = desk
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": "desk@contoso.example", "password": "desk-password-1"}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let t = table(&desk, &format!("?customer={}", customer.id)).await;
    assert!(!t.costs_shown);
    assert!(t.offers.iter().all(|o| o.quote.cost.is_none()));
    let seen = desk.subscription(sub.subscription.id).await;
    assert_eq!(
        (
            seen.subscription.price_per_seat_cents,
            seen.cost_per_seat_cents
        ),
        (500, None)
    );
    let body = serde_json::to_string(&seen).unwrap();
    assert!(
        !body.contains("540"),
        "no cost anywhere in a help-desk agent's view: {body}"
    );
    let refused = desk
        .send(Method::POST, "/api/prices/rules", |r| {
            r.json(&json!({"markup": "5"}))
        })
        .await;
    expect_error(refused, 403, ErrorCode::RoleNotAllowed).await;

    // Bad input: named, and nothing saved.
    let before = table(&boss, "").await.rules.len();
    for (body, field) in [
        (json!({"markup": "12.345"}), "markup"),
        (
            json!({"fixed_price": "abc", "offer_id": BASIC}),
            "fixed_price",
        ),
        (
            json!({"markup": "5", "effective_from": "2026-02-30"}),
            "effective_from",
        ),
    ] {
        let res = boss
            .send(Method::POST, "/api/prices/rules", |r| r.json(&body))
            .await;
        let err = expect_error(res, 422, ErrorCode::InvalidPrice).await;
        assert_eq!(err.field.as_deref(), Some(field), "{body}");
    }
    let foreign = boss
        .send(Method::POST, "/api/prices/rules", |r| {
            r.json(&json!({"customer_id": "00000000-0000-4000-8000-000000000001", "markup": "5"}))
        })
        .await;
    expect_error(foreign, 404, ErrorCode::NotFound).await;
    let res = boss.get("/api/prices?day=2026-13-01").await;
    expect_error(res, 400, ErrorCode::MalformedRequest).await;
    assert_eq!(table(&boss, "").await.rules.len(), before);

    // A rule removed is gone; one of no partner is a 404.
    let id = t
        .rules
        .iter()
        .find(|r| r.customer_id == Some(customer.id))
        .unwrap()
        .id
        .clone();
    let res = boss
        .send(Method::DELETE, &format!("/api/prices/rules/{id}"), |r| r)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = boss
        .send(Method::DELETE, &format!("/api/prices/rules/{id}"), |r| r)
        .await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    assert_eq!(
        boss.subscription(sub.subscription.id)
            .await
            .subscription
            .price_per_seat_cents,
        621
    );
}

#[tokio::test]
async fn a_broken_price_list_is_refused_line_by_line_and_nothing_is_imported() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    catalogue_offers(&db, &partner);
    let file = write(
        &db,
        "broken.csv",
        [
            HEADER.to_owned(),
            line([
                "CFQ7TTC0LH18",
                "0001",
                "P1Y",
                "Monthly",
                "US",
                "EUR",
                "5.40",
                "2026-12-01",
                "",
                "6.48",
            ]),
            line([
                "CFQ7TTC0LH18",
                "0001",
                "P1Y",
                "Monthly",
                "US",
                "EUR",
                "-5.40",
                "2027-01-01",
                "",
                "",
            ]),
            line([
                "CFQ7TTC0LH18",
                "0001",
                "P1Y",
                "Annual",
                "US",
                "EUR",
                "abc",
                "2026-12-01",
                "",
                "",
            ]),
            line([
                "CFQ7TTC0LDPB",
                "0001",
                "P1M",
                "Monthly",
                "US",
                "USD",
                "12.36",
                "2026-12-01",
                "",
                "",
            ]),
            line([
                "CFQ7TTC0LDPB",
                "0001",
                "P1M",
                "Annual",
                "US",
                "EUR",
                "12.36",
                "2026-13-01",
                "",
                "",
            ]),
            line([
                "CFQ7TTC0LH18",
                "0001",
                "P1Y",
                "Monthly",
                "US",
                "EUR",
                "5.50",
                "2026-12-15",
                "",
                "",
            ]),
            line([
                "CFQ7TTC0LDPB",
                "0001",
                "P2Y",
                "Monthly",
                "US",
                "EUR",
                "1",
                "2026-12-01",
                "",
                "",
            ]),
            line([
                "CFQ7TTC0LDPB",
                "0002",
                "P1M",
                "Monthly",
                "US",
                "EUR",
                "1",
                "2026-12-10",
                "2026-12-01",
                "",
            ]),
        ]
        .join("\n")
        .as_bytes(),
    );
    let err = fails(&db, &["prices", "import", "--partner", &partner, &file], "");
    for why in [
        "line 3: refused (CFQ7TTC0LH18:0001 P1Y Monthly): column \"UnitPrice\": \"-5.40\" is a negative price",
        "line 4: refused (CFQ7TTC0LH18:0001 P1Y Annual): column \"UnitPrice\": \"abc\" is not an amount",
        "line 5: refused (CFQ7TTC0LDPB:0001 P1M Monthly): column \"Currency\": USD is not the partner's currency (EUR)",
        "line 6: refused (CFQ7TTC0LDPB:0001 P1M Annual): column \"EffectiveStartDate\"",
        "line 7: refused (CFQ7TTC0LH18:0001 P1Y Monthly): its dates overlap line 2's (2026-12-01 to no end)",
        "line 8: refused (CFQ7TTC0LDPB:0001 P2Y Monthly): column \"TermDuration\"",
        "line 9: refused (CFQ7TTC0LDPB:0002 P1M Monthly): it ends (2026-12-01) before it starts (2026-12-10)",
        "7 line(s) refused: nothing imported",
    ] {
        assert!(err.contains(why), "{why}\n{err}");
    }
    assert_eq!(
        query_number(&db, "SELECT COUNT(*) FROM price_list_lines").await,
        0
    );
    // A file without the price list's columns says which it lacks.
    let wrong = write(&db, "wrong.csv", b"id,name\n1,2\n");
    let err = fails(
        &db,
        &["prices", "import", "--partner", &partner, &wrong],
        "",
    );
    assert!(
        err.contains("lacks the column(s) \"ProductTitle\", \"ProductId\""),
        "{err}"
    );
}

/// Signs a customer up through the API.
pub(crate) async fn new_customer(agent: &Agent, name: &str, domain: &str) -> Customer {
    let res = agent
        .send(Method::POST, "/api/customers", |r| {
            r.json(&json!({"name": name, "domain": domain}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

async fn offers_for(agent: &Agent, customer: &str) -> Vec<PricedOffer> {
    agent
        .read::<ItemList<PricedOffer>>(&format!("/api/offers?customer={customer}"))
        .await
        .items
}

#[tokio::test]
async fn the_order_form_its_answers_a_refund_and_renewals_are_at_the_customers_price() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    catalogue_offers(&db, &partner);
    let file = write(&db, "pricelist.csv", price_list().as_bytes());
    let import = ["prices", "import", "--partner", &partner];
    ok(&db, &[&import[..], &[&file, "--market", "DE"]].concat(), "");
    // December 2027's list: Business Basic costs more from then.
    let next_year = write(
        &db,
        "pricelist-2027-12.csv",
        [
            HEADER.to_owned(),
            line([
                "CFQ7TTC0LH18",
                "0001",
                "P1Y",
                "Monthly",
                "DE",
                "EUR",
                "6.00",
                "2027-12-01",
                "",
                "7.20",
            ]),
        ]
        .join("\n")
        .as_bytes(),
    );
    ok(&db, &[&import[..], &[&next_year]].concat(), "");
    ok(
        &db,
        &[
            "prices",
            "set",
            "--partner",
            &partner,
            "--markup",
            "15",
            "--from",
            "2026-12-01",
        ],
        "",
    );
    ok(
        &db,
        &[
            "agent",
            "add",
            "--partner",
            &partner,
            "--email",
            "desk@contoso.example",
            "--role",
            "helpdesk",
        ],
        "desk-password-1\n",
    );
    let db = std::sync::Arc::new(db);
    let (server, boss) = crate::cli::console_with(
        &db,
        &["--unsafe-test-clock"],
        "boss@contoso.example",
        "admin-password-1",
    )
    .await;
    boss.set_clock(1_796_378_400).await; // 2026-12-04 10:00 UTC
    let alpine = new_customer(&boss, "Alpine Ski House", "alpineskihouse.onmicrosoft.com").await;
    let coho = new_customer(&boss, "Coho Vineyard", "cohovineyard.onmicrosoft.com").await;
    ok(
        &db,
        &[
            "prices",
            "set",
            "--partner",
            &partner,
            "--customer",
            &alpine.id.to_string(),
            "--offer",
            BASIC,
            "--fixed",
            "5.00",
            "--from",
            "2026-12-01",
        ],
        "",
    );

    // The order form's offers: at each customer's own price, with the cost to an admin.
    let basic_of =
        |offers: Vec<PricedOffer>| offers.into_iter().find(|o| o.offer.id.0 == BASIC).unwrap();
    let for_alpine = basic_of(offers_for(&boss, &alpine.id.to_string()).await);
    assert_eq!(
        (
            for_alpine.offer.price_per_seat_cents,
            for_alpine.cost_per_seat_cents,
            for_alpine.price_source
        ),
        (500, Some(540), PriceSource::CustomerOffer)
    );
    let for_coho = basic_of(offers_for(&boss, &coho.id.to_string()).await);
    assert_eq!(
        (for_coho.offer.price_per_seat_cents, for_coho.price_source),
        (621, PriceSource::Partner)
    );
    // Without a customer: the partner-wide price. A help-desk agent sees no cost.
    assert_eq!(
        basic_of(offers_for(&boss, "").await)
            .offer
            .price_per_seat_cents,
        621
    );
    let desk = server.anonymous();
    let res = desk
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": "desk@contoso.example", "password": "desk-password-1"}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let seen_by_desk = offers_for(&desk, &alpine.id.to_string()).await;
    assert!(seen_by_desk.iter().all(|o| o.cost_per_seat_cents.is_none()));
    assert_eq!(basic_of(seen_by_desk).offer.price_per_seat_cents, 500);
    // A customer that is not the partner's, or no id at all: said so.
    let res = boss
        .get("/api/offers?customer=00000000-0000-4000-8000-000000000001")
        .await;
    expect_error(res, 404, ErrorCode::NotFound).await;
    let err = expect_error(
        boss.get("/api/offers?customer=alpine").await,
        400,
        ErrorCode::MalformedRequest,
    )
    .await;
    assert_eq!(err.field.as_deref(), Some("customer"));

    // The order's answer is at the price the form showed.
    let order = |customer: &Customer, key: &'static str, seats: u32| {
        let id = customer.id.to_string();
        let boss = &boss;
        async move {
            let res = boss
                .order(
                    &id,
                    Some(key),
                    json!({"offer_id": BASIC, "quantity": seats}),
                )
                .await;
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<SubscriptionView>().await.unwrap()
        }
    };
    let alpine_sub = order(&alpine, "alpine-basic", 3).await;
    assert_eq!(
        (
            alpine_sub.subscription.price_per_seat_cents,
            alpine_sub.cost_per_seat_cents
        ),
        (500, Some(540))
    );
    let coho_sub = order(&coho, "coho-basic", 2).await;
    assert_eq!(coho_sub.subscription.price_per_seat_cents, 621);

    // A conflict shows the subscription as it is now, priced as everywhere else.
    let res = boss.patch(&coho_sub, json!({"quantity": 3})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let stale = boss.patch(&coho_sub, json!({"quantity": 4})).await;
    let err = expect_error(stale, 409, ErrorCode::VersionConflict).await;
    let current = err.current.expect("the subscription as it is now");
    assert_eq!(
        (
            current.subscription.quantity,
            current.subscription.price_per_seat_cents,
            current.cost_per_seat_cents
        ),
        (3, 621, Some(540))
    );

    // Cancelled within a day of the order: all of the month at the customer's price comes
    // back (3 × 5.00), not at the catalogue's 9.99.
    let res = boss
        .patch(&alpine_sub, json!({"status": "cancelled"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let events = boss.events(alpine_sub.subscription.id).await;
    assert_eq!(events.last().unwrap().refund_cents, Some(1500));

    // Renewals: priced on the first day of the new term, by December 2027's list
    // (6.00 + 15 % = 6.90 a seat), while today's price is still 6.21.
    boss.set_clock(1_826_704_800).await; // 2027-11-20 10:00 UTC
    let renewals = boss
        .read::<ItemList<Renewal>>("/api/renewals?days=30")
        .await
        .items;
    let coho_renewal = renewals
        .iter()
        .find(|r| r.subscription.id == coho_sub.subscription.id)
        .expect("Coho's term ends within 30 days");
    assert_eq!(
        (
            coho_renewal.subscription.price_per_seat_cents,
            coho_renewal.monthly_cost_cents,
            coho_renewal.monthly_partner_cost_cents
        ),
        (690, 3 * 690, Some(3 * 600))
    );
    assert_eq!(
        boss.subscription(coho_sub.subscription.id)
            .await
            .subscription
            .price_per_seat_cents,
        621
    );
    let for_desk = desk
        .read::<ItemList<Renewal>>("/api/renewals?days=30")
        .await
        .items;
    assert!(
        for_desk
            .iter()
            .all(|r| r.monthly_partner_cost_cents.is_none())
    );
}
