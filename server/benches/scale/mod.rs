//! `cargo bench -p server --bench api -- --customers N [--events E]`: one partner with N
//! customers (two subscriptions each) and E audit events (default 10 per customer) loaded in
//! bulk next to the demo data, then each list the console reads timed one request at a time
//! (latency, not throughput): p50 and p95 per request, export times, and the server's memory.
//! `--keep` leaves the database (and says where) for `EXPLAIN`.

use std::time::{Duration, Instant};

use server::store::{ImportedSubscription, NewCustomer, NewSubscription, connect};
use shared::api::SessionInfo;
use shared::ids::{CustomerId, PartnerId, SubscriptionId};
use shared::model::{Channel, Status, SubscriptionSnapshot};
use uuid::Uuid;

use super::support::{ADMIN, Agent};

/// Company names are "<first> <second> <number>": the 20 × 16 pairs make a search for one
/// pair ("lucerne trey") match about one customer in 320.
const FIRST: [&str; 20] = [
    "Lucerne",
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Adatum",
    "Litware",
    "Proseware",
    "Wingtip",
    "Tailspin",
    "Woodgrove",
    "Coho",
    "Alpine",
    "Blue Yonder",
    "Fourth Coffee",
    "Humongous",
    "Margie's",
    "Relecloud",
    "Wide World",
    "VanArsdel",
    "Graphic Design",
];
const SECOND: [&str; 16] = [
    "Trey",
    "Publishing",
    "Research",
    "Bank",
    "Toys",
    "Winery",
    "Travel",
    "Airlines",
    "Insurance",
    "Holdings",
    "Foods",
    "Systems",
    "Consulting",
    "Labs",
    "Partners",
    "Logistics",
];

/// Real customer names share words ("Solutions", "Services", "S.r.l."): with
/// `--names common`, names are two of these 18 (each word in about 11% of the names) and a
/// number, so a search for words finds thousands, as a real partner's would.
const COMMON: [&str; 18] = [
    "Solutions",
    "Services",
    "Group",
    "S.r.l.",
    "Consulting",
    "Systems",
    "Global",
    "Tech",
    "Digital",
    "International",
    "Partners",
    "Italia",
    "Software",
    "Network",
    "Data",
    "Cloud",
    "Management",
    "Engineering",
];

/// The `i`th customer's name: distinct pairs (`lucerne trey` finds one in 320), or with
/// `common` two of the [`COMMON`] words.
fn name_of(i: usize, common: bool) -> (String, String) {
    let (a, b) = if common {
        let a = i % COMMON.len();
        // Never the same word twice: the second is one of the 17 others.
        let b = (a + 1 + (i / COMMON.len()) % (COMMON.len() - 1)) % COMMON.len();
        (COMMON[a], COMMON[b])
    } else {
        (
            FIRST[i % FIRST.len()],
            SECOND[(i / FIRST.len()) % SECOND.len()],
        )
    };
    (a.to_owned(), b.to_owned())
}

pub async fn main(customers: usize, events: usize, common: bool) {
    let (db, kind, server, admin) = super::start().await;
    let session: SessionInfo = admin.read("/api/session").await;
    let started = Instant::now();
    load(&db.url, session.partner.id, customers, events, common).await;
    println!(
        "Reseller Console at scale on {kind} (release build): one partner with {customers} customers, \
         {} subscriptions, {events} events, loaded in {:.1} s",
        customers * 2,
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<44} {:>6} {:>8} {:>8} {:>8}",
        "request (one at a time)", "count", "p50 ms", "p95 ms", "max ms"
    );
    if common {
        println!("names of common words (each in about 11% of the names)");
        for (name, path) in [
            (
                "search, two common words (q=solutions group)",
                "/api/customers?q=solutions%20group",
            ),
            (
                "search, one common word (q=solutions)",
                "/api/customers?q=solutions",
            ),
            (
                "search, one common word (q=cloud)",
                "/api/customers?q=cloud",
            ),
            (
                "search, word and number (q=data 4711)",
                "/api/customers?q=data%204711",
            ),
            ("search, missing (q=zzzzqq)", "/api/customers?q=zzzzqq"),
            ("customers, first page", "/api/customers"),
        ] {
            time(name, 200, &admin, path).await;
        }
        let (now, peak) = super::memory(&server);
        println!("server RSS now {now}, peak {peak}");
        return;
    }
    let lists = [
        ("customers, first page", "/api/customers".to_owned()),
        (
            "customers, page 2000 (of 25)",
            "/api/customers?page=2000".to_owned(),
        ),
        (
            "search, rare (q=lucerne trey)",
            "/api/customers?q=lucerne%20trey".to_owned(),
        ),
        ("search, common (q=a)", "/api/customers?q=a".to_owned()),
        (
            "search, missing (q=zzzzqq)",
            "/api/customers?q=zzzzqq".to_owned(),
        ),
        (
            "search, 2 chars common (q=co)",
            "/api/customers?q=co".to_owned(),
        ),
        (
            "search, 2 chars missing (q=qz)",
            "/api/customers?q=qz".to_owned(),
        ),
        (
            "search, common, page 40",
            "/api/customers?q=a&page=40".to_owned(),
        ),
        (
            "activity log, first page (30 days)",
            "/api/activity".to_owned(),
        ),
        (
            "activity log, one action (renewed)",
            "/api/activity?action=renewed".to_owned(),
        ),
        (
            "activity log, one year, status changes",
            "/api/activity?action=status_changed&from=2000-01-01".to_owned(),
        ),
    ];
    for (name, path) in &lists {
        time(name, 200, &admin, path).await;
    }
    let first: shared::api::Page<shared::model::Customer> =
        admin.read("/api/customers?q=lucerne%20trey").await;
    let customer = first.items[0].id;
    time(
        "activity log, one customer",
        200,
        &admin,
        &format!("/api/activity?customer={customer}&from=2000-01-01"),
    )
    .await;
    let page: shared::activity::ActivityPage = admin.read("/api/activity").await;
    let next = page.next.expect("a second page");
    time(
        "activity log, second page",
        200,
        &admin,
        &format!("/api/activity?before={next}"),
    )
    .await;
    for (name, path) in [
        ("export customers (all)", "/api/customers.csv"),
        (
            "export customers (q=lucerne)",
            "/api/customers.csv?q=lucerne",
        ),
        ("export subscriptions (all)", "/api/subscriptions.csv"),
        ("export activity (30 days)", "/api/activity.csv"),
        ("export statements (this month)", "/api/statements.csv"),
    ] {
        export(name, &admin, path).await;
    }
    if std::env::args().any(|a| a == "--keep") {
        println!(
            "kept for EXPLAIN: {} (partner {})",
            db.url, session.partner.id
        );
        std::mem::forget(db.clone());
    }
    let (now, peak) = super::memory(&server);
    println!("server RSS now {now}, peak {peak}");
}

/// Times `count` GETs of `path`, one after another, after a few to warm up.
async fn time(name: &str, count: usize, agent: &Agent, path: &str) {
    for _ in 0..5 {
        agent.get(path).await;
    }
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let t = Instant::now();
        let res = agent.get(path).await;
        assert!(res.status().is_success(), "{} from {path}", res.status());
        res.bytes().await.expect("body");
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let pct = |p: f64| ms(times[((times.len() - 1) as f64 * p).round() as usize]);
    println!(
        "{:<44} {:>6} {:>8.2} {:>8.2} {:>8.2}",
        name,
        count,
        pct(0.5),
        pct(0.95),
        ms(*times.last().unwrap())
    );
}

/// A whole CSV download: time to the first bytes, to the end, rows and size.
async fn export(name: &str, agent: &Agent, path: &str) {
    let t = Instant::now();
    let mut res = agent.get(path).await;
    assert!(res.status().is_success(), "{} from {path}", res.status());
    let mut first = None;
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = res.chunk().await.expect("a whole export") {
        first.get_or_insert(t.elapsed());
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    println!(
        "{:<44} first bytes {:>6.1} ms, all {:>7.0} ms: {} rows, {:.1} MB",
        name,
        first.unwrap_or_default().as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3,
        lines.saturating_sub(1),
        bytes as f64 / 1e6
    );
}

/// Customers and subscriptions through the store's own import (search indexes included);
/// events straight into the table, in big multi-row INSERTs.
async fn load(url: &str, partner: PartnerId, customers: usize, events: usize, common: bool) {
    let store = connect(url, Duration::from_secs(300))
        .await
        .expect("the database");
    let offers = store.offers_for_partner(partner).await.expect("offers");
    let now = server::clock::Clock::system().now_rfc3339();
    let rows: Vec<NewCustomer> = (0..customers)
        .map(|i| {
            let (a, b) = name_of(i, common);
            let name = format!("{a} {b} {i}");
            let domain = format!(
                "{}{i}.onmicrosoft.com",
                format!("{a}{b}").to_lowercase().replace([' ', '\''], "")
            );
            NewCustomer {
                id: CustomerId(Uuid::new_v4()),
                name,
                domain,
                created_at: now.clone(),
            }
        })
        .collect();
    store
        .import_customers(partner, &rows)
        .await
        .expect("customers");
    let subs: Vec<NewSubscription> = rows
        .iter()
        .enumerate()
        .flat_map(|(i, c)| (0..2).map(move |k| (i, k, c.id)))
        .map(|(i, k, customer_id)| NewSubscription {
            id: SubscriptionId(Uuid::new_v4()),
            customer_id,
            offer_id: offers[(i + k) % offers.len()].id.clone(),
            quantity: 1 + (i % 50) as u32,
            status: if i % 10 == 0 {
                Status::Suspended
            } else {
                Status::Active
            },
            channel: Channel::Partner,
            auto_renew: true,
            created_at: now.clone(),
            commitment_end: "2027-06-30".to_owned(),
            seat_batches: Vec::new(),
            scheduled: None,
            ordered_here: false,
        })
        .collect();
    let subs: Vec<ImportedSubscription> = subs
        .into_iter()
        .map(|row| ImportedSubscription {
            after: SubscriptionSnapshot {
                quantity: row.quantity,
                status: row.status,
                auto_renew: row.auto_renew,
                commitment_end: Some(row.commitment_end.clone()),
                term: None,
                scheduled: None,
            },
            row,
            expected_version: None,
            anniversary_day: Some(30),
            before: None,
            source: "benchmark".to_owned(),
            term: None,
        })
        .collect();
    store
        .import_subscriptions(partner, &subs, &now, server::store::ImportedBy::File)
        .await
        .expect("subscriptions");
    let actions = [
        "quantity_changed",
        "quantity_changed",
        "quantity_changed",
        "status_changed",
        "auto_renew_changed",
    ];
    let snapshot = |quantity: u32| {
        serde_json::to_string(&SubscriptionSnapshot {
            quantity,
            status: Status::Active,
            auto_renew: true,
            commitment_end: None,
            term: None,
            scheduled: None,
        })
        .unwrap()
    };
    let year_ago = server::clock::unix_now() - 365 * 86_400;
    let events: Vec<[String; 7]> = (0..events)
        .map(|i| {
            let sub = &subs[(i * 7919) % subs.len()];
            // One in a hundred is a renewal; the rest spread over the last year, oldest first.
            let action = if i % 100 == 0 {
                "renewed"
            } else {
                actions[i % actions.len()]
            };
            let at = time::OffsetDateTime::from_unix_timestamp(
                year_ago + (i as i64 * 365 * 86_400) / events.max(1) as i64,
            )
            .unwrap();
            [
                sub.row.id.to_string(),
                ADMIN.to_owned(),
                server::clock::rfc3339(at),
                action.to_owned(),
                snapshot(sub.row.quantity),
                snapshot(sub.row.quantity + 1),
                partner.to_string(),
            ]
        })
        .collect();
    macro_rules! insert_events {
        ($pool:expr, $db:ty) => {{
            let mut tx = $pool.begin().await.expect("a transaction");
            for chunk in events.chunks(2000) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO subscription_events (subscription_id, agent_email, at, action, before_json, after_json, partner_id) ",
                );
                q.push_values(chunk, |mut b, e| {
                    for value in e {
                        b.push_bind(value.clone());
                    }
                });
                q.build().execute(&mut *tx).await.expect("events");
            }
            tx.commit().await.expect("events saved");
        }};
    }
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("SQLite");
        insert_events!(pool, sqlx::Sqlite);
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("PostgreSQL");
        insert_events!(pool, sqlx::Postgres);
        // What autovacuum does soon after a bulk load, done now.
        sqlx::query("VACUUM ANALYZE")
            .execute(&pool)
            .await
            .expect("vacuum");
    }
}
