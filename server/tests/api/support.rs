//! Starting servers and signing in agents.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::api::{ErrorBody, ErrorCode, ItemList, Page, SubscriptionEvent, SubscriptionView};
use shared::model::{Channel, Customer, Status};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const ADMIN: &str = "admin@northwind.example";
pub const HELPDESK: &str = "helpdesk@northwind.example";
pub const SALES: &str = "sales@northwind.example";
pub const READ_ONLY: &str = "readonly@northwind.example";
pub const FABRIKAM: &str = "admin@fabrikam.example";
pub const PASSWORD: &str = "demo-password";

/// Where a test's server keeps its data: a temporary folder with a SQLite file, or, when
/// `RC_TEST_DATABASE=postgres`, a new PostgreSQL database (dropped again at the end).
pub struct TestDb {
    pub dir: TempDir,
    pub url: String,
    pub postgres_name: Option<String>,
}

/// The longest a test waits for one answer (the slowest, a 100,000-customer export in a debug
/// build, takes a few seconds).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A client without cookies, bounded like every test's client.
pub fn plain_client() -> Client {
    Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("client")
}

/// The PostgreSQL server of these machines (trust authentication).
pub const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

impl TestDb {
    /// The database kind the run asks for (SQLite unless `RC_TEST_DATABASE=postgres`).
    pub fn new() -> Arc<TestDb> {
        if std::env::var("RC_TEST_DATABASE").is_ok_and(|v| v == "postgres") {
            Self::postgres()
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("console.db").display());
            Arc::new(TestDb {
                dir,
                url,
                postgres_name: None,
            })
        }
    }

    /// A new, empty PostgreSQL database of its own.
    pub fn postgres() -> Arc<TestDb> {
        let name = format!("rc_test_{}", uuid::Uuid::new_v4().simple());
        psql(&format!("CREATE DATABASE {name}"));
        Arc::new(TestDb {
            dir: tempfile::tempdir().expect("temp dir"),
            url: format!("{POSTGRES}/{name}"),
            postgres_name: Some(name),
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.postgres_name {
            psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Runs one statement as the PostgreSQL superuser; fails the test, loudly, if it cannot.
fn psql(statement: &str) {
    let out = std::process::Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            "5432",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement,
        ])
        .output()
        .expect("psql runs (PostgreSQL client tools are needed for the PostgreSQL tests)");
    assert!(
        out.status.success(),
        "PostgreSQL on 127.0.0.1:5432 must be reachable for these tests; {statement:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running server on its own database; stopped when dropped. Most tests serve it inside the
/// test's own process (`start`: the same start-up, router and listener as the binary's `run`);
/// what needs a process of its own (a restart, `kill -9`, two processes on one database, the
/// command line, memory read from /proc) starts the binary (`start_on`, `spawn`).
pub struct TestServer {
    running: Running,
    pub base: String,
    // Keeps the database alive as long as the server that uses it.
    _db: Option<Arc<TestDb>>,
}

enum Running {
    Process(Child),
    // Dropping the sender stops the server.
    InProcess(#[allow(dead_code)] tokio::sync::oneshot::Sender<()>),
}

impl TestServer {
    /// A new server on a new database with demo data, in this process.
    pub async fn start() -> TestServer {
        let db = TestDb::new();
        let cli = server::Cli::try_parse_from([
            "reseller-console",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
            "--demo",
        ])
        .expect("test flags parse");
        let ready = server::startup::prepare(&cli.config)
            .await
            .expect("server starts");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let base = format!("http://{}", ready.address);
        tokio::spawn(ready.serve(async {
            let _ = stopped.await;
        }));
        TestServer {
            running: Running::InProcess(stop),
            base,
            _db: Some(db),
        }
    }

    /// A server process on `db` (seeded with demo data if it is empty).
    pub async fn start_on(db: &Arc<TestDb>, extra_args: &[&str]) -> TestServer {
        let mut args = vec![
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
            "--demo",
        ];
        args.extend_from_slice(extra_args);
        let mut server = Self::spawn(db.dir.path(), &args).await;
        server._db = Some(db.clone());
        server
    }

    /// Starts the binary with exactly `args`, in `cwd`, and waits for its "listening" line.
    pub async fn spawn(cwd: &Path, args: &[&str]) -> TestServer {
        let log = std::fs::File::create(cwd.join("server.log")).expect("log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_reseller-console"))
            .args(args)
            .current_dir(cwd)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("server binary starts");
        let stdout = child.stdout.take().expect("stdout piped");
        let mut lines = BufReader::new(stdout).lines();
        let find_url = async {
            while let Some(line) = lines.next_line().await.expect("read stdout") {
                if let Some(url) = line.split("listening on ").nth(1) {
                    return url.trim_end_matches('/').to_owned();
                }
            }
            let log = std::fs::read_to_string(cwd.join("server.log")).unwrap_or_default();
            panic!("server exited before listening; its log:\n{log}");
        };
        let base = tokio::time::timeout(Duration::from_secs(60), find_url)
            .await
            .expect("server printed its URL within 60 s");
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        TestServer {
            running: Running::Process(child),
            base,
            _db: None,
        }
    }

    fn process(&mut self) -> &mut Child {
        match &mut self.running {
            Running::Process(child) => child,
            Running::InProcess(_) => panic!("this test needs a server process: use start_on"),
        }
    }

    /// The server's process id (to read its memory use from /proc).
    pub fn pid(&self) -> u32 {
        match &self.running {
            Running::Process(child) => child.id().expect("server still running"),
            Running::InProcess(_) => panic!("this test needs a server process: use start_on"),
        }
    }

    /// The `host:port` it listens on.
    pub fn address(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Signs `email` in and returns the raw `Cookie` header value, for hand-written requests.
    pub async fn session_cookie(&self, email: &str) -> String {
        let res = self
            .anonymous()
            .send(Method::POST, "/api/session", |r| {
                r.json(&serde_json::json!({"email": email, "password": PASSWORD}))
            })
            .await;
        assert_eq!(res.status(), StatusCode::OK, "sign-in of {email}");
        let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        set_cookie.split(';').next().unwrap().to_owned()
    }

    /// Stops the server at once (SIGKILL): nothing it acknowledged may be lost.
    pub async fn kill(mut self) {
        self.process().kill().await.expect("kill server");
    }

    pub fn anonymous(&self) -> Agent {
        Agent {
            // No request of a test may wait for ever: a server that stops answering fails the
            // test that asked, by name, instead of holding the whole run until CI gives up.
            client: Client::builder()
                .cookie_store(true)
                .timeout(REQUEST_TIMEOUT)
                .build()
                .expect("client"),
            base: self.base.clone(),
        }
    }

    pub async fn sign_in(&self, email: &str) -> Agent {
        self.sign_in_with(email, PASSWORD).await
    }

    pub async fn sign_in_with(&self, email: &str, password: &str) -> Agent {
        let agent = self.anonymous();
        let res = agent
            .send(Method::POST, "/api/session", |r| {
                r.json(&serde_json::json!({"email": email, "password": password}))
            })
            .await;
        assert_eq!(res.status(), StatusCode::OK, "sign-in of {email}");
        agent
    }
}

/// Unix seconds of 10:00 UTC on a day of 2026 (`month`, `day`).
pub fn at_ten(month: u32, day: u32) -> i64 {
    shared::calendar::midnight((2026, month, day)) + 10 * 3600
}

/// An HTTP client with its own cookie jar: one browser.
pub struct Agent {
    pub client: Client,
    pub base: String,
}

impl Agent {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Response {
        let req = self.client.request(method, format!("{}{path}", self.base));
        build(req).send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, |r| r).await
    }

    /// GET that must succeed, decoded.
    pub async fn read<T: DeserializeOwned>(&self, path: &str) -> T {
        let res = self.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.json().await.expect("JSON body")
    }

    pub async fn patch(&self, sub: &SubscriptionView, body: Value) -> Response {
        let etag = format!("\"{}\"", sub.subscription.version);
        self.patch_with(&sub.subscription.id.to_string(), Some(&etag), body)
            .await
    }

    pub async fn patch_with(&self, id: &str, if_match: Option<&str>, body: Value) -> Response {
        self.send(Method::PATCH, &format!("/api/subscriptions/{id}"), |r| {
            let r = r.json(&body);
            match if_match {
                Some(tag) => r.header("if-match", tag),
                None => r,
            }
        })
        .await
    }

    /// Orders `seats` of `offer` for `customer`, which must succeed.
    pub async fn ordered(
        &self,
        customer: &str,
        offer: &str,
        seats: u32,
        key: &str,
    ) -> SubscriptionView {
        let body = serde_json::json!({"offer_id": offer, "quantity": seats});
        let res = self.order(customer, Some(key), body).await;
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "{}",
            res.text().await.unwrap_or_default()
        );
        res.json().await.expect("the subscription")
    }

    /// [`Agent::patch`], which must succeed.
    pub async fn changed(&self, sub: &SubscriptionView, body: Value) -> SubscriptionView {
        let res = self.patch(sub, body).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}",
            res.text().await.unwrap_or_default()
        );
        res.json().await.expect("the subscription")
    }

    pub async fn order(&self, customer: &str, key: Option<&str>, body: Value) -> Response {
        self.send(
            Method::POST,
            &format!("/api/customers/{customer}/subscriptions"),
            |r| {
                let r = r.json(&body);
                match key {
                    Some(k) => r.header("idempotency-key", k),
                    None => r,
                }
            },
        )
        .await
    }

    pub async fn customers(&self, query: &str) -> Page<Customer> {
        self.read(&format!("/api/customers?{query}")).await
    }

    pub async fn subscription(&self, id: impl std::fmt::Display) -> SubscriptionView {
        self.read(&format!("/api/subscriptions/{id}")).await
    }

    pub async fn subscriptions_of(
        &self,
        customer: impl std::fmt::Display,
    ) -> Vec<SubscriptionView> {
        self.read::<ItemList<SubscriptionView>>(&format!("/api/customers/{customer}/subscriptions"))
            .await
            .items
    }

    pub async fn events(&self, id: impl std::fmt::Display) -> Vec<SubscriptionEvent> {
        self.read::<ItemList<SubscriptionEvent>>(&format!("/api/subscriptions/{id}/events"))
            .await
            .items
    }

    /// Stops the server's business clock at `unix` (a server started with
    /// `--unsafe-test-clock`); answers how many term-end steps that applied.
    pub async fn set_clock(&self, unix: i64) -> usize {
        let res = self
            .send(Method::POST, "/api/test/clock", |r| {
                r.json(&serde_json::json!({"now": shared::calendar::rfc3339(unix)}))
            })
            .await;
        assert_eq!(res.status(), StatusCode::OK, "the test clock is there");
        let body: Value = res.json().await.expect("JSON body");
        body["term_end_steps"].as_u64().expect("steps counted") as usize
    }

    /// Every subscription of every customer of this agent's partner.
    pub async fn all_subscriptions(&self) -> Vec<SubscriptionView> {
        let mut all = Vec::new();
        for customer in self.customers("per_page=100").await.items {
            all.extend(self.subscriptions_of(customer.id).await);
        }
        all
    }

    /// The first subscription with this channel and status.
    pub async fn find(&self, channel: Channel, status: Status) -> SubscriptionView {
        self.all_subscriptions()
            .await
            .into_iter()
            .find(|s| s.subscription.channel == channel && s.subscription.status == status)
            .unwrap_or_else(|| panic!("demo data has a {channel} {status} subscription"))
    }
}

/// Asserts an error response's status and code, and returns its body.
pub async fn expect_error(res: Response, status: u16, code: ErrorCode) -> ErrorBody {
    let actual = res.status().as_u16();
    let text = res.text().await.expect("body");
    assert_eq!(actual, status, "status; body: {text}");
    let body: ErrorBody =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("error body {text:?}: {e}"));
    assert_eq!(body.code, code, "code; body: {text}");
    assert!(!body.message.is_empty());
    body
}

/// One number a SQL query answers on the test's database (read beside the running server).
pub async fn query_number(db: &TestDb, sql: &str) -> i64 {
    if db.postgres_name.is_some() {
        let pool = sqlx::PgPool::connect(&db.url).await.expect("PostgreSQL");
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
        pool.close().await;
        n
    } else {
        let pool = sqlx::SqlitePool::connect(&db.url).await.expect("SQLite");
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
        pool.close().await;
        n
    }
}
