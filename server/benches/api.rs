//! `cargo bench -p server --bench api`: the release server on a fresh SQLite file with demo
//! data (or PostgreSQL with `RC_TEST_DATABASE=postgres`), driven over HTTP by 8 concurrent
//! agents; prints throughput and latency percentiles per request kind. Figures only, no
//! thresholds: these machines are shared, so compare runs on the same machine.
//!
//! `-- --customers N [--events E] [--names common]`: the lists at scale instead (see
//! `scale/mod.rs`).

mod scale;
#[allow(dead_code)]
#[path = "../tests/api/support.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::api::SubscriptionView;
use shared::model::{Channel, Status};
use support::*;
use tokio::task::JoinSet;

const CLIENTS: usize = 8;

/// The release server on a new database of the kind the run asks for (demo data), and its
/// admin signed in.
async fn start() -> (Arc<TestDb>, &'static str, TestServer, Arc<Agent>) {
    let db = TestDb::new();
    let kind = if db.url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let server = TestServer::start_on(&db, &[]).await;
    let admin = Arc::new(server.sign_in(ADMIN).await);
    (db, kind, server, admin)
}

/// The number after `--name` on the command line, if given.
fn number_arg(name: &str) -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == name)?;
    let value = args.get(at + 1).map(String::as_str).unwrap_or_default();
    Some(
        value
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} needs a whole number, not {value:?}")),
    )
}

#[tokio::main]
async fn main() {
    if let Some(customers) = number_arg("--customers") {
        let events = number_arg("--events").unwrap_or(customers * 10);
        let common = std::env::args()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0] == "--names" && w[1] == "common");
        return scale::main(customers, events, common).await;
    }
    // `_db` (not `_`) keeps the database until the end.
    let (_db, kind, server, admin) = start().await;
    let customers = admin.customers("per_page=100").await.items;
    // One partner-bought active subscription per client, so seat changes never conflict.
    let mine: Vec<SubscriptionView> = admin
        .all_subscriptions()
        .await
        .into_iter()
        .filter(|s| {
            s.subscription.channel == Channel::Partner && s.subscription.status == Status::Active
        })
        .take(CLIENTS)
        .collect();
    assert_eq!(mine.len(), CLIENTS, "demo data has enough subscriptions");
    let customer = customers[0].id;
    let sub = mine[0].subscription.id;

    println!("Reseller Console API on {kind}, {CLIENTS} concurrent clients (release build)");
    println!(
        "{:<34} {:>8} {:>9} {:>8} {:>8} {:>8}",
        "request (8 clients unless named)", "count", "req/s", "p50 ms", "p95 ms", "p99 ms"
    );
    run(
        "GET customers (page of 25)",
        2000,
        CLIENTS,
        &admin,
        |a, _| async move { a.get("/api/customers").await.status() },
    )
    .await;
    run(
        "GET customers ?q=search",
        2000,
        CLIENTS,
        &admin,
        |a, i| async move {
            let q = ["con", "fab", "datum", "north", "x"][i % 5];
            a.get(&format!("/api/customers?q={q}")).await.status()
        },
    )
    .await;
    run(
        "GET a customer's subscriptions",
        2000,
        CLIENTS,
        &admin,
        move |a, _| async move {
            a.get(&format!("/api/customers/{customer}/subscriptions"))
                .await
                .status()
        },
    )
    .await;
    run(
        "GET a subscription",
        2000,
        CLIENTS,
        &admin,
        move |a, _| async move { a.get(&format!("/api/subscriptions/{sub}")).await.status() },
    )
    .await;
    // Each client changes its own subscription, on the version it last saw.
    let versions: Arc<Vec<tokio::sync::Mutex<SubscriptionView>>> =
        Arc::new(mine.into_iter().map(tokio::sync::Mutex::new).collect());
    run(
        "PATCH seats (durable write)",
        800,
        CLIENTS,
        &admin,
        move |a, i| {
            let versions = versions.clone();
            async move {
                let mut view = versions[i % CLIENTS].lock().await;
                let seats = if view.subscription.quantity > 1 {
                    view.subscription.quantity - 1
                } else {
                    2
                };
                let res = a.patch(&view, json!({ "quantity": seats })).await;
                let status = res.status();
                if status == StatusCode::OK {
                    *view = res.json().await.expect("the changed subscription");
                }
                status
            }
        },
    )
    .await;
    run(
        "POST order (new key each)",
        800,
        CLIENTS,
        &admin,
        move |a, _| async move {
            let key = uuid::Uuid::new_v4().to_string();
            let body = json!({"offer_id": "m365-business-basic", "quantity": 3});
            a.order(&customer.to_string(), Some(&key), body)
                .await
                .status()
        },
    )
    .await;
    // One agent signing in one request at a time: parallel sign-ins of one e-mail count
    // towards its throttle until they succeed.
    run(
        "POST session (Argon2, 1 client)",
        40,
        1,
        &admin,
        |a, _| async move {
            let body = json!({"email": HELPDESK, "password": PASSWORD});
            a.send(Method::POST, "/api/session", |r| r.json(&body))
                .await
                .status()
        },
    )
    .await;
    sign_in_crowd(&server).await;
}

/// 100 sign-ins with unknown e-mails at once, as a credential-stuffing burst would send: how
/// they were answered, how long the last one waited, and the server's peak memory.
async fn sign_in_crowd(server: &TestServer) {
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..100 {
        let agent = server.anonymous();
        tasks.spawn(async move {
            let body = json!({"email": format!("crowd{i}@unknown.example"), "password": "guess"});
            agent
                .send(Method::POST, "/api/session", |r| r.json(&body))
                .await
                .status()
        });
    }
    let statuses = tasks.join_all().await;
    let refused = statuses.iter().filter(|s| s.as_u16() == 401).count();
    let busy = statuses.iter().filter(|s| s.as_u16() == 503).count();
    let (now, peak) = memory(server);
    println!(
        "100 simultaneous unknown sign-ins: {refused} answered 401, {busy} answered 503 busy, all within {:.2} s; server RSS peak {peak}, now {now}",
        started.elapsed().as_secs_f64(),
    );
}

/// The server's resident memory now and at its peak, as Linux reports them.
fn memory(server: &TestServer) -> (String, String) {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?".to_owned(), |v| v.trim().to_owned())
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Sends `count` requests from `clients` concurrent tasks and prints the figures.
async fn run<F, Fut>(name: &str, count: usize, clients: usize, agent: &Arc<Agent>, request: F)
where
    F: Fn(Arc<Agent>, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = StatusCode> + Send,
{
    // Warm-up: connections open, caches filled.
    for i in 0..clients {
        request(agent.clone(), i).await;
    }
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for client in 0..clients {
        let (agent, request) = (agent.clone(), request.clone());
        tasks.spawn(async move {
            let mut times = Vec::new();
            for i in (client..count).step_by(clients) {
                let t = Instant::now();
                let status = request(agent.clone(), i).await;
                assert!(status.is_success(), "{status} from request {i}");
                times.push(t.elapsed());
            }
            times
        });
    }
    let mut times: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    let elapsed = started.elapsed();
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{:<34} {:>8} {:>9.0} {:>8.2} {:>8.2} {:>8.2}",
        name,
        times.len(),
        times.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99)
    );
}
