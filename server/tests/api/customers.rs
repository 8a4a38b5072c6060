use shared::ErrorCode;
use shared::api::ItemList;
use shared::model::{Customer, Offer};

use crate::support::*;

#[tokio::test]
async fn the_list_is_paged_with_a_total_in_a_stable_order_by_name() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let first = admin.customers("").await;
    assert_eq!(
        (first.total, first.page, first.per_page, first.items.len()),
        (40, 1, 25, 25)
    );
    let mut all = Vec::new();
    for page in 1..=4 {
        let p = admin.customers(&format!("page={page}&per_page=12")).await;
        assert_eq!(p.total, 40);
        assert_eq!(p.items.len(), if page < 4 { 12 } else { 4 });
        all.extend(p.items);
    }
    let names: Vec<String> = all.iter().map(|c| c.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "ordered by name across pages");
    let mut ids: Vec<_> = all.iter().map(|c| c.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 40, "no customer twice, none missing");
    assert!(admin.customers("page=5&per_page=12").await.items.is_empty());
    // Each row's count matches the customer's subscriptions.
    for c in all.iter().take(5) {
        assert_eq!(
            admin.subscriptions_of(c.id).await.len() as u32,
            c.subscription_count
        );
        assert_eq!(
            admin
                .read::<Customer>(&format!("/api/customers/{}", c.id))
                .await,
            *c
        );
    }
}

#[tokio::test]
async fn search_matches_name_or_domain_in_any_case() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let names =
        |p: shared::api::Page<Customer>| p.items.into_iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(names(admin.customers("q=CONTOSO").await), ["Contoso Ltd"]);
    assert_eq!(
        names(admin.customers("q=m%C3%9CLLER").await),
        ["Müller Maschinenbau GmbH"],
        "MÜLLER"
    );
    assert_eq!(
        names(admin.customers("q=alpineskihouse.onmicrosoft").await),
        ["Alpine Ski House"],
        "by domain"
    );
    let toys = admin.customers("q=toys").await;
    assert_eq!(toys.total, 2);
    assert_eq!(names(toys), ["Tailspin Toys", "Wingtip Toys"]);
    assert_eq!(
        admin.customers("q=onmicrosoft.com&per_page=5").await.total,
        40
    );
    assert_eq!(
        admin.customers("q=%20%20").await.total,
        40,
        "blank search lists everyone"
    );
    // Wildcards are literal: "%" and "_" match only themselves.
    assert_eq!(admin.customers("q=%25").await.total, 0);
    assert_eq!(admin.customers("q=_").await.total, 0);
    assert_eq!(
        names(admin.customers("q=%26").await),
        ["City Power & Light"]
    );
    assert_eq!(admin.customers("q=zzzz").await.total, 0);
    // The index is asked for pieces of a long search ("tai", "toy"): a name holding each
    // piece but not the whole ("tailspin toys") is not a match.
    assert_eq!(admin.customers("q=taitoy").await.total, 0);
    assert_eq!(
        names(admin.customers("q=spin%20toys").await),
        ["Tailspin Toys"]
    );
    // A search far longer than any name is answered (no match), not refused or timed out.
    assert_eq!(
        admin
            .customers(&format!("q={}", "toys".repeat(2_000)))
            .await
            .total,
        0
    );
    // An exact id finds its customer.
    let contoso = admin.customers("q=contoso").await.items.remove(0);
    assert_eq!(
        names(admin.customers(&format!("q={}", contoso.id)).await),
        ["Contoso Ltd"]
    );
}

#[tokio::test]
async fn bad_paging_parameters_are_named() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    // Unreadable: 400; a number past its bounds: 422, with the bounds.
    for (query, field, status, code) in [
        ("page=0", "page", 422, ErrorCode::ParameterOutOfRange),
        ("page=1000001", "page", 422, ErrorCode::ParameterOutOfRange),
        (
            "page=99999999999",
            "page",
            422,
            ErrorCode::ParameterOutOfRange,
        ),
        ("page=abc", "page", 400, ErrorCode::MalformedRequest),
        ("page=%2B1", "page", 400, ErrorCode::MalformedRequest),
        (
            "per_page=101",
            "per_page",
            422,
            ErrorCode::ParameterOutOfRange,
        ),
        ("per_page=-2", "per_page", 400, ErrorCode::MalformedRequest),
    ] {
        let body = expect_error(
            admin.get(&format!("/api/customers?{query}")).await,
            status,
            code,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some(field), "{query}");
        assert!(body.message.contains(field));
    }
}

#[tokio::test]
async fn unknown_or_malformed_customer_ids_are_not_found() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    for id in [
        "00000000-0000-0000-0000-000000000000",
        "not-an-id",
        "1%20OR%201=1",
    ] {
        expect_error(
            admin.get(&format!("/api/customers/{id}")).await,
            404,
            ErrorCode::NotFound,
        )
        .await;
        expect_error(
            admin
                .get(&format!("/api/customers/{id}/subscriptions"))
                .await,
            404,
            ErrorCode::NotFound,
        )
        .await;
    }
}

#[tokio::test]
async fn offers_are_only_those_the_partner_may_sell() {
    let server = TestServer::start().await;
    let ids = |offers: ItemList<Offer>| {
        let mut ids: Vec<String> = offers.items.into_iter().map(|o| o.id.0).collect();
        ids.sort();
        ids
    };
    let northwind = server
        .sign_in(ADMIN)
        .await
        .read::<ItemList<Offer>>("/api/offers")
        .await;
    let basic = northwind
        .items
        .iter()
        .find(|o| o.id.0 == "m365-business-basic")
        .unwrap();
    assert_eq!(
        (
            basic.min_quantity,
            basic.max_quantity,
            basic.price_per_seat_cents
        ),
        (1, 300, 560)
    );
    assert_eq!(
        ids(northwind),
        [
            "exchange-online-plan-1",
            "m365-business-basic",
            "m365-business-premium",
            "m365-business-standard",
            "m365-e3",
            "teams-essentials"
        ]
    );
    let fabrikam = server.sign_in(FABRIKAM).await.read("/api/offers").await;
    assert_eq!(
        ids(fabrikam),
        [
            "m365-apps-for-business",
            "m365-business-basic",
            "m365-business-standard",
            "m365-e5",
            "visio-plan-2"
        ]
    );
}
