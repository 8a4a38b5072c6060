//! Large partners: search past the count limit answers what a scan would, exports stream the
//! whole list, and the activity log shows every change, filtered and paged — on the test's
//! database (SQLite, or PostgreSQL with RC_TEST_DATABASE=postgres).

use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorCode;
use shared::activity::ActivityPage;
use shared::api::{Page, SEARCH_LIMIT, SessionInfo};
use shared::model::{Channel, Customer, Status};
use uuid::Uuid;

use crate::cli::{console_of, ok, partner_with_catalogue, write};
use crate::support::*;

/// Words that make some searches match most customers, some a few, and some none.
const FIRST: [&str; 5] = ["Lucerne", "Contoso", "Fabrikam", "Müller", "Café"];
const SECOND: [&str; 7] = ["Trey", "Toys", "Bank", "Labs", "Éclair", "Partners", "Zeta"];

struct Known {
    id: String,
    name: String,
    domain: String,
}

/// `count` customers imported from a Customers.csv (the command a partner runs).
fn import(db: &TestDb, partner: &str, count: usize, rename: Option<(usize, &str)>) -> Vec<Known> {
    let mut known = Vec::new();
    let mut csv = String::from("Microsoft ID,Company name,Primary domain name\n");
    for i in 0..count {
        let id = Uuid::from_u128(0x5ca1e000_0000_4000_8000_000000000000 + i as u128).to_string();
        let mut name = format!("{} {} {i}", FIRST[i % 5], SECOND[i % 7]);
        if let Some((_, new_name)) = rename.filter(|(at, _)| *at == i) {
            name = new_name.to_owned();
        }
        let domain = format!("tenant{i}.onmicrosoft.com");
        csv.push_str(&format!(
            "{id},\"{}\",{domain}\n",
            name.replace('"', "\"\"")
        ));
        known.push(Known { id, name, domain });
    }
    let file = write(db, "Customers.csv", csv.as_bytes());
    ok(
        db,
        &["customers", "import", "--partner", partner, &file],
        "",
    );
    known
}

/// Right after an import, PostgreSQL knows the table: statistics and a visibility map (before,
/// searches were 6–12× slower until autovacuum came by). SQLite's plans need neither.
#[tokio::test]
async fn an_import_leaves_postgresql_with_fresh_statistics() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    import(&db, &partner, 3_000, None);
    if db.postgres_name.is_some() {
        let sql = "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE relname = 'customers'";
        assert!(query_number(&db, sql).await >= 3_000);
        let sql = "SELECT CAST(relallvisible AS BIGINT) FROM pg_class WHERE relname = 'customers'";
        assert!(
            query_number(&db, sql).await > 0,
            "vacuumed: index-only scans stay index-only"
        );
    } else {
        let sql = "SELECT COUNT(*) FROM customers";
        assert_eq!(query_number(&db, sql).await, 3_000);
    }
}

/// What a scan finds: the search in name or domain (any case), or the exact id, by name.
fn scan<'a>(known: &'a [Known], q: &str) -> Vec<&'a Known> {
    let q = q.trim().to_lowercase();
    let mut found: Vec<&Known> = known
        .iter()
        .filter(|k| format!("{}\n{}", k.name.to_lowercase(), k.domain).contains(&q) || k.id == q)
        .collect();
    found.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    found
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn search_past_the_count_limit_answers_what_a_scan_would() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    let known = import(&db, &partner, 1_300, None);
    let (_server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let limit = SEARCH_LIMIT as usize;
    let queries = [
        "a",
        "co",
        "ü",
        "é",
        "zz",
        "q",
        "lucerne",
        "LUCERNE TREY",
        "trey 1",
        "12",
        "1",
        "onmicrosoft",
        "tenant77.",
        "%",
        "_",
        "\"",
        " ",
        "zzzz",
        "müller bank",
        &known[42].id,
    ];
    for q in queries {
        let expected = scan(&known, q);
        let shown = expected.len().min(limit);
        let mut seen = Vec::new();
        for page in 1.. {
            let p: Page<Customer> = boss
                .read(&format!(
                    "/api/customers?q={}&per_page=100&page={page}",
                    encode(q)
                ))
                .await;
            if q.trim().is_empty() {
                // Blank: the whole list, counted up to the limit.
                assert_eq!((p.total, p.total_is_at_least), (1000, true));
                break;
            }
            assert_eq!(
                (p.total as usize, p.total_is_at_least),
                (shown, expected.len() > limit),
                "{q:?}: the count"
            );
            seen.extend(p.items.into_iter().map(|c| c.id.to_string()));
            assert_eq!(
                p.has_next,
                seen.len() < shown,
                "{q:?} page {page}: has_next"
            );
            if !p.has_next {
                break;
            }
        }
        if q.trim().is_empty() {
            continue;
        }
        let wanted: Vec<&str> = expected.iter().take(limit).map(|k| k.id.as_str()).collect();
        assert_eq!(seen, wanted, "{q:?}: the matches, in name order");
        if expected.len() > limit {
            // Past the limit, a page says to narrow the search.
            let body = expect_error(
                boss.get(&format!(
                    "/api/customers?q={}&per_page=100&page=11",
                    encode(q)
                ))
                .await,
                422,
                ErrorCode::ParameterOutOfRange,
            )
            .await;
            assert_eq!(body.field.as_deref(), Some("page"), "{q:?}");
            assert!(body.message.contains("1000"), "{}", body.message);
        }
    }
    // The last page of a search past the limit ends at the 1,000th match, whatever the page size.
    let common = scan(&known, "a");
    assert!(common.len() > limit);
    let last: Page<Customer> = boss.read("/api/customers?q=a&per_page=15&page=67").await;
    assert_eq!(last.items.len(), 10, "matches 991–1000");
    assert!(!last.has_next);
    assert_eq!(last.items[9].id.to_string(), common[999].id);
    // The unfiltered list pages to its end, however deep.
    let last: Page<Customer> = boss.read("/api/customers?page=52&per_page=25").await;
    assert_eq!(last.items.len(), 25);
    assert!(!last.has_next);
    let mut all = scan(&known, "");
    all.truncate(1300);
    assert_eq!(last.items[24].id.to_string(), all[1299].id);
    // A name changed by a new import is found by its new name only.
    import(&db, &partner, 1_300, Some((7, "Quixotic Yak Works")));
    let found: Page<Customer> = boss.read("/api/customers?q=quixotic%20yak").await;
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id.to_string(), known[7].id);
    // …and no longer by its old one (nor by two letters only the old one had).
    let old_name = known[7].name.to_lowercase();
    let gone: Page<Customer> = boss
        .read(&format!("/api/customers?q={}", encode(&old_name)))
        .await;
    assert!(
        gone.items.iter().all(|c| c.id.to_string() != known[7].id),
        "{old_name}"
    );
    assert!(old_name.contains("ey") && !"quixotic yak works".contains("ey"));
    let short: Page<Customer> = boss.read("/api/customers?q=ey&per_page=100").await;
    assert!(!short.items.is_empty());
    assert!(short.items.iter().all(|c| c.id.to_string() != known[7].id));
    let short: Page<Customer> = boss.read("/api/customers?q=xo").await;
    assert_eq!(short.items.len(), 1, "two letters of the new name");
}

/// The records of a CSV answer (header first), read by a CSV reader.
async fn csv_records(agent: &Agent, path: &str) -> Vec<Vec<String>> {
    let lines = csv_lines(agent, path).await.join("\r\n");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(lines.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The lines of a CSV answer, after checking it is one.
async fn csv_lines(agent: &Agent, path: &str) -> Vec<String> {
    let res = agent.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=")
    );
    let text = res.text().await.unwrap();
    assert!(text.ends_with("\r\n"), "every line ends with CRLF");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn exports_stream_every_customer_and_subscription() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    let known = import(&db, &partner, 1_300, Some((3, "=HYPERLINK(\"x\"), Inc")));
    let (server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let lines = csv_lines(&boss, "/api/customers.csv").await;
    assert_eq!(
        lines[0],
        "Microsoft ID,Company name,Primary domain name,Subscriptions"
    );
    assert_eq!(lines.len(), 1 + 1_300, "every customer, not a page");
    let mut ids: Vec<&str> = lines[1..].iter().map(|l| &l[..36]).collect();
    let expected: Vec<&str> = scan(&known, "").iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, expected, "in name order");
    ids.dedup();
    assert_eq!(ids.len(), 1_300);
    // A spreadsheet formula is defused and quoted (it holds a comma and quotes).
    let formula = lines.iter().find(|l| l.contains("HYPERLINK")).unwrap();
    assert!(
        formula.contains(",\"'=HYPERLINK(\"\"x\"\"), Inc\",tenant3.onmicrosoft.com,0"),
        "{formula}"
    );
    // With a search: what it finds, all of it (past the list's count limit too).
    for q in ["lucerne", "a"] {
        let lines = csv_lines(&boss, &format!("/api/customers.csv?q={q}")).await;
        assert_eq!(lines.len() - 1, scan(&known, q).len(), "{q}");
    }
    let anonymous = server.anonymous();
    for path in [
        "/api/customers.csv",
        "/api/subscriptions.csv",
        "/api/activity.csv",
    ] {
        assert_eq!(anonymous.get(path).await.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_subscriptions_export_has_each_live_subscription_once() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let lines = csv_lines(&admin, "/api/subscriptions.csv").await;
    assert_eq!(
        lines[0],
        "Subscription ID,Customer,Microsoft ID,Offer,Seats,Status,Channel,Term,Billing,Commitment end,Auto-renew"
    );
    let records = csv_records(&admin, "/api/subscriptions.csv").await;
    let all = admin.all_subscriptions().await;
    assert_eq!(records.len() - 1, all.len());
    for view in &all {
        let s = &view.subscription;
        let record = records
            .iter()
            .find(|r| r[0] == s.id.to_string())
            .unwrap_or_else(|| panic!("{} exported", s.id));
        assert_eq!(
            record[1..],
            [
                s.customer_name.clone(),
                s.customer_id.to_string(),
                s.offer_name.clone(),
                s.quantity.to_string(),
                s.status.to_string(),
                s.channel.to_string(),
                s.term.to_string(),
                s.billing_cycle.to_string(),
                s.commitment_end.clone(),
                s.auto_renew.to_string(),
            ]
        );
    }
    // Another partner's export holds none of these.
    let other = server.sign_in(FABRIKAM).await;
    let theirs = csv_lines(&other, "/api/subscriptions.csv").await;
    assert!(theirs.iter().all(|l| {
        all.iter()
            .all(|v| !l.contains(&v.subscription.id.to_string()))
    }));
}

#[tokio::test]
async fn the_activity_log_shows_every_change_filtered_and_paged() {
    let server = TestServer::start().await;
    let admin = server.sign_in(ADMIN).await;
    let helpdesk = server.sign_in(HELPDESK).await;
    let me: SessionInfo = admin.read("/api/session").await;
    let before: ActivityPage = admin.read("/api/activity?per_page=100").await;
    // Three changes by two agents on two subscriptions.
    let mut active = admin.all_subscriptions().await.into_iter().filter(|v| {
        v.subscription.status == Status::Active && v.subscription.channel == Channel::Partner
    });
    let (one, two) = (active.next().unwrap(), active.next().unwrap());
    let q = one.subscription.quantity + 1;
    let res = admin.patch(&one, json!({"quantity": q})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = helpdesk.patch(&two, json!({"status": "suspended"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let one_now = admin.subscription(one.subscription.id).await;
    let res = admin.patch(&one_now, json!({"auto_renew": false})).await;
    assert_eq!(res.status(), StatusCode::OK);

    let log: ActivityPage = admin.read("/api/activity?per_page=100").await;
    assert_eq!(log.items.len(), before.items.len() + 3);
    let newest: Vec<_> = log.items.iter().take(3).collect();
    assert_eq!(
        newest
            .iter()
            .map(|e| (e.event.subscription_id, e.event.action.as_str()))
            .collect::<Vec<_>>(),
        [
            (one.subscription.id, "auto_renew_changed"),
            (two.subscription.id, "status_changed"),
            (one.subscription.id, "quantity_changed"),
        ],
        "newest first"
    );
    assert_eq!(newest[2].customer_name, one.subscription.customer_name);
    assert_eq!(newest[2].offer_name, one.subscription.offer_name);
    assert_eq!(newest[2].event.after.quantity, q);
    assert_eq!(newest[1].event.agent_email, HELPDESK);

    // Filters: action, agent, customer; each entry passes them.
    let by_action: ActivityPage = admin.read("/api/activity?action=status_changed").await;
    assert!(!by_action.items.is_empty());
    assert!(
        by_action
            .items
            .iter()
            .all(|e| e.event.action.as_str() == "status_changed")
    );
    let mine: ActivityPage = admin
        .read(&format!("/api/activity?agent={}&per_page=100", me.agent.id))
        .await;
    assert!(mine.items.iter().all(|e| e.event.agent_email == ADMIN));
    assert_eq!(
        mine.items
            .iter()
            .filter(|e| e.event.subscription_id == one.subscription.id)
            .count(),
        2
    );
    let theirs: ActivityPage = admin
        .read(&format!(
            "/api/activity?customer={}&per_page=100",
            two.subscription.customer_id
        ))
        .await;
    assert!(
        theirs
            .items
            .iter()
            .all(|e| e.customer_id == two.subscription.customer_id)
    );
    assert!(
        theirs
            .items
            .iter()
            .any(|e| e.event.subscription_id == two.subscription.id)
    );
    // Dates: a period before today shows none of today's changes.
    let old: ActivityPage = admin
        .read("/api/activity?from=2001-01-01&to=2001-12-31")
        .await;
    assert!(old.items.is_empty());
    assert_eq!(
        (old.from.as_str(), old.to.as_str()),
        ("2001-01-01", "2001-12-31")
    );

    // Pages of one: each the next older, none twice, the same entries as one page.
    let mut paged = Vec::new();
    let mut path = "/api/activity?per_page=1".to_owned();
    loop {
        let page: ActivityPage = admin.read(&path).await;
        paged.extend(page.items.into_iter().map(|e| e.event.id));
        match page.next {
            Some(next) => path = format!("/api/activity?per_page=1&before={next}"),
            None => break,
        }
    }
    assert_eq!(
        paged,
        log.items.iter().map(|e| e.event.id).collect::<Vec<_>>()
    );

    // The CSV of a filtered view has its entries.
    let lines = csv_lines(&admin, "/api/activity.csv?action=status_changed").await;
    assert!(
        lines[0].starts_with("at,customer,customer_id,subscription,subscription_id,agent,action,")
    );
    assert_eq!(lines.len() - 1, by_action.items.len());

    // Another partner sees none of it.
    let other = server.sign_in(FABRIKAM).await;
    let theirs: ActivityPage = other.read("/api/activity?per_page=100").await;
    assert!(
        theirs
            .items
            .iter()
            .all(|e| log.items.iter().all(|l| l.event.id != e.event.id))
    );
    let foreign: ActivityPage = other
        .read(&format!(
            "/api/activity?customer={}",
            one.subscription.customer_id
        ))
        .await;
    assert!(foreign.items.is_empty());

    // Bad filters are named.
    for (query, field) in [
        ("from=yesterday", "from"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("action=deleted", "action"),
        ("agent=bob", "agent"),
        ("customer=42", "customer"),
        ("before=42", "before"),
        ("before=2026-11-28T11:40:05Zx~100", "before"),
        ("per_page=x", "per_page"),
    ] {
        let body = expect_error(
            admin.get(&format!("/api/activity?{query}")).await,
            400,
            ErrorCode::MalformedRequest,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some(field), "{query}");
    }
    let body = expect_error(
        admin.get("/api/activity?per_page=500").await,
        422,
        ErrorCode::ParameterOutOfRange,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("per_page"));
    // Today's changes are in a range that ends today, and in one that ends in 9999.
    let today = &log.to;
    for to in [today.as_str(), "9999-12-31"] {
        let range: ActivityPage = admin
            .read(&format!("/api/activity?to={to}&from=2000-01-01&per_page=3"))
            .await;
        let ids: Vec<i64> = range.items.iter().map(|e| e.event.id).collect();
        let newest: Vec<i64> = log.items.iter().take(3).map(|e| e.event.id).collect();
        assert_eq!(ids, newest, "to={to}");
    }
}
