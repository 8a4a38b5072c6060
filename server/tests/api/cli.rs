//! The administration subcommands, run as a partner would run them, on the test's database
//! (SQLite, or PostgreSQL with RC_TEST_DATABASE=postgres); then the console, on that database,
//! shows what they did.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::api::{Page, SessionInfo};
use shared::model::{Customer, Role};

use crate::support::*;

const BINARY: &str = env!("CARGO_BIN_EXE_reseller-console");

/// The day the example files' end dates were written for: imports judge end dates against
/// "now", so the tests give the command line this instant (`RC_UNSAFE_CLOCK_AT`).
pub(crate) const EXAMPLES_NOW: &str = "2026-12-02T12:00:00Z";

/// Runs `reseller-console ARGS` on `db`, with `stdin` piped in.
fn rc(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    rc_at(db, args, stdin, EXAMPLES_NOW)
}

/// [`rc`], the command line's clock at `now`.
fn rc_at(db: &TestDb, args: &[&str], stdin: &str, now: &str) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .env("RC_UNSAFE_CLOCK_AT", now)
        .env("RC_DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .current_dir(db.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs and expects success; answers standard output.
pub(crate) fn ok(db: &TestDb, args: &[&str], stdin: &str) -> String {
    let out = rc(db, args, stdin);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
    stdout
}

/// Runs and expects failure; answers standard error.
pub(crate) fn fails(db: &TestDb, args: &[&str], stdin: &str) -> String {
    let out = rc(db, args, stdin);
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success(), "{args:?} should fail:\n{stdout}");
    stderr
}

pub(crate) fn write(db: &TestDb, name: &str, contents: &[u8]) -> String {
    let path = db.dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// A partner with an admin (password `admin-password-1`) and the example catalogue.
pub(crate) fn partner_with_catalogue(db: &TestDb) -> String {
    let partner = ok(
        db,
        &[
            "partner",
            "add",
            "Contoso Reseller",
            "--domain",
            "contoso.example",
        ],
        "",
    )
    .trim()
    .to_owned();
    ok(
        db,
        &[
            "agent",
            "add",
            "--partner",
            &partner,
            "--email",
            "boss@contoso.example",
            "--role",
            "admin",
        ],
        "admin-password-1\n",
    );
    let offers = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/setup/offers.csv");
    ok(
        db,
        &["offers", "import", offers, "--authorise", &partner],
        "",
    );
    partner
}

/// A partner with the example catalogue, customers and subscriptions (`examples/setup/`);
/// answers its id and the subscriptions file's path.
fn partner_with_example_subscriptions(db: &TestDb) -> (String, String) {
    let partner = partner_with_catalogue(db);
    let setup = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/setup");
    let subscriptions = format!("{setup}/Subscriptions.csv");
    let customers = format!("{setup}/Customers.csv");
    ok(
        db,
        &["customers", "import", "--partner", &partner, &customers],
        "",
    );
    ok(
        db,
        &[
            "subscriptions",
            "import",
            "--partner",
            &partner,
            &subscriptions,
        ],
        "",
    );
    (partner, subscriptions)
}

pub(crate) async fn console_of(
    db: &Arc<TestDb>,
    email: &str,
    password: &str,
) -> (TestServer, Agent) {
    console_with(db, &[], email, password).await
}

/// [`console_of`], with the server started with `args`.
pub(crate) async fn console_with(
    db: &Arc<TestDb>,
    args: &[&str],
    email: &str,
    password: &str,
) -> (TestServer, Agent) {
    let server = TestServer::start_on(db, args).await;
    let agent = server.anonymous();
    let res = agent
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": email, "password": password}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{email} signs in");
    (server, agent)
}

#[tokio::test]
async fn readme_set_up_your_own_partner() {
    // Exactly the lines of the README's block, with `reseller-console` on the PATH.
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("### Set up your own partner")
        .expect("the README section");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(BINARY, bin.join("reseller-console")).unwrap();
    let examples = dir.path().join("examples/setup");
    std::fs::create_dir_all(&examples).unwrap();
    for file in ["offers.csv", "Customers.csv", "Subscriptions.csv"] {
        let from = format!("{}/../examples/setup/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(from, examples.join(file)).unwrap();
    }
    let script = format!("set -euo pipefail\n{block}");
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env_remove("RC_DATABASE_URL")
        .env("RC_UNSAFE_CLOCK_AT", EXAMPLES_NOW)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.success(),
        "the README's commands failed:\n{script}\n{stdout}\n{stderr}"
    );

    let db = Arc::new(TestDb {
        url: format!(
            "sqlite://{}",
            dir.path().join("data/my-partner.db").display()
        ),
        dir,
        postgres_name: None,
    });
    let password = block
        .split("echo \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the README's password");
    let (_server, you) = console_of(&db, "you@contoso.example", password).await;
    let me: SessionInfo = you.read("/api/session").await;
    assert_eq!(
        (me.agent.role, me.partner.name.as_str()),
        (Role::Admin, "Contoso Reseller")
    );
    let customers: Page<Customer> = you.read("/api/customers").await;
    assert_eq!(customers.total, 5);
    let subscriptions: usize = customers
        .items
        .iter()
        .map(|c| c.subscription_count as usize)
        .sum();
    assert_eq!(subscriptions, 5);
    assert!(
        customers
            .items
            .iter()
            .any(|c| c.name == "Bellows College, Faculty of Arts")
    );
}

#[tokio::test]
async fn the_team_and_catalogue_commands_print_what_they_did_and_refuse_bad_input() {
    let db = TestDb::new();
    let partner = ok(
        &db,
        &[
            "partner",
            "add",
            "Contoso Reseller",
            "--domain",
            "contoso.example",
        ],
        "",
    )
    .trim()
    .to_owned();
    assert!(
        partner.parse::<uuid::Uuid>().is_ok(),
        "only the id on stdout: {partner:?}"
    );
    assert!(fails(&db, &["partner", "add", "   "], "").contains("company name"));

    // A generated password is printed once, and works.
    let out = ok(
        &db,
        &[
            "agent",
            "add",
            "--partner",
            &partner,
            "--email",
            "Ann@Contoso.example",
            "--role",
            "admin",
            "--name",
            "Ann",
        ],
        "",
    );
    let generated = out
        .split("one-time password")
        .nth(1)
        .and_then(|s| s.split(": ").nth(1))
        .unwrap()
        .trim()
        .to_owned();
    assert!(generated.len() >= 12, "{out}");
    ok(
        &db,
        &[
            "agent",
            "add",
            "--partner",
            &partner,
            "--email",
            "bob@contoso.example",
            "--role",
            "helpdesk",
        ],
        "bobs-own-password\n",
    );
    assert!(
        fails(
            &db,
            &[
                "agent",
                "add",
                "--partner",
                &partner,
                "--email",
                "ann@contoso.example",
                "--role",
                "sales"
            ],
            "x-long-password\n"
        )
        .contains("already signs in")
    );
    assert!(
        fails(
            &db,
            &[
                "agent",
                "add",
                "--partner",
                &partner,
                "--email",
                "cy@contoso.example",
                "--role",
                "owner"
            ],
            ""
        )
        .contains("Role must be")
    );
    assert!(
        fails(
            &db,
            &[
                "agent",
                "add",
                "--partner",
                &partner,
                "--email",
                "cy@contoso.example",
                "--role",
                "sales"
            ],
            "short\n"
        )
        .contains("at least 12")
    );
    assert!(
        fails(
            &db,
            &[
                "agent",
                "add",
                "--partner",
                "nope",
                "--email",
                "cy@contoso.example",
                "--role",
                "sales"
            ],
            ""
        )
        .contains("not a partner id")
    );
    let unknown = uuid::Uuid::new_v4().to_string();
    assert!(
        fails(
            &db,
            &[
                "agent",
                "add",
                "--partner",
                &unknown,
                "--email",
                "cy@contoso.example",
                "--role",
                "sales"
            ],
            ""
        )
        .contains("no partner has the id")
    );

    let out = ok(
        &db,
        &[
            "agent",
            "set-role",
            "--email",
            "bob@contoso.example",
            "--role",
            "sales",
        ],
        "",
    );
    assert!(out.contains("Sales agent"), "{out}");
    assert!(
        fails(
            &db,
            &[
                "agent",
                "set-role",
                "--email",
                "ann@contoso.example",
                "--role",
                "sales"
            ],
            ""
        )
        .contains("last active admin")
    );
    assert!(
        fails(
            &db,
            &["agent", "disable", "--email", "nobody@contoso.example"],
            ""
        )
        .contains("no agent")
    );

    // Disabling ends the agent's sessions at once.
    let db_ = db.clone();
    let (server, bob) = console_of(&db_, "bob@contoso.example", "bobs-own-password").await;
    assert_eq!(bob.get("/api/customers").await.status(), StatusCode::OK);
    ok(
        &db,
        &["agent", "disable", "--email", "bob@contoso.example"],
        "",
    );
    assert_eq!(
        bob.get("/api/customers").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let list = ok(&db, &["agent", "list", "--partner", &partner], "");
    assert!(
        list.contains("bob@contoso.example") && list.contains("disabled"),
        "{list}"
    );
    assert!(
        list.contains("ann@contoso.example") && list.contains("never"),
        "{list}"
    );
    ok(
        &db,
        &["agent", "enable", "--email", "bob@contoso.example"],
        "",
    );
    let ann = server.anonymous();
    let res = ann
        .send(Method::POST, "/api/session", |r| {
            r.json(&json!({"email": "ann@contoso.example", "password": generated}))
        })
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A printed password is for choosing one's own, first.
    assert_eq!(ann.get("/api/team").await.status(), StatusCode::FORBIDDEN);
    let own = json!({"current_password": generated, "new_password": "anns-own-password"});
    let res = ann
        .send(Method::POST, "/api/session/password", |r| r.json(&own))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let team: shared::api::Team = ann.read("/api/team").await;
    let actors: HashSet<&str> = team.events.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(
        actors,
        HashSet::from(["command line", "ann@contoso.example"])
    );

    // The catalogue: dry run, import, import again, authorise, revoke.
    let offers = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/setup/offers.csv");
    let dry = ok(&db, &["offers", "import", offers, "--dry-run"], "");
    assert!(
        dry.contains("line 2: create offer \"m365-business-basic\""),
        "{dry}"
    );
    assert!(
        dry.contains("6 to create, 0 to update, 0 unchanged, 0 refused (dry run"),
        "{dry}"
    );
    assert_eq!(
        ann.read::<shared::api::ItemList<shared::model::Offer>>("/api/offers")
            .await
            .items
            .len(),
        0
    );
    ok(&db, &["offers", "import", offers], "");
    let again = ok(&db, &["offers", "import", offers], "");
    assert!(
        again.contains("0 to create, 0 to update, 6 unchanged"),
        "{again}"
    );
    assert!(
        fails(
            &db,
            &[
                "offers",
                "authorise",
                "--partner",
                &partner,
                "m365-business-basic",
                "no-such-offer"
            ],
            ""
        )
        .contains("no offer \"no-such-offer\"")
    );
    let out = ok(
        &db,
        &[
            "offers",
            "authorise",
            "--partner",
            &partner,
            "m365-business-basic",
            "m365-e3",
        ],
        "",
    );
    assert!(out.contains("authorised 2 offer(s)"), "{out}");
    assert_eq!(
        ann.read::<shared::api::ItemList<shared::model::Offer>>("/api/offers")
            .await
            .items
            .len(),
        2
    );
    ok(
        &db,
        &["offers", "revoke", "--partner", &partner, "m365-e3"],
        "",
    );
    assert_eq!(
        ann.read::<shared::api::ItemList<shared::model::Offer>>("/api/offers")
            .await
            .items
            .len(),
        1
    );
    let bad = write(&db, "bad-offers.csv", b"id,name,min seats,max seats,price per seat per month,currency,term,billing cycle\nx,X,5,2,1.00,EUR,Monthly,Monthly\ny,Y,1,10,1,50,EUR,Monthly,Monthly\nz,Z,1,10,1.5,euro,Monthly,Monthly\n");
    let err = fails(&db, &["offers", "import", &bad], "");
    assert!(
        err.contains("line 2: refused") && err.contains("max seats (2) is below min seats (5)"),
        "{err}"
    );
    assert!(
        err.contains("line 3: refused") && err.contains("fields where the header has 8"),
        "{err}"
    );
    assert!(
        err.contains("line 4: refused") && err.contains("not a currency code"),
        "{err}"
    );
}

use std::collections::HashSet;

/// A Customers.csv as Partner Center exports it: BOM, CRLF, extra columns, quoted names.
fn customers_csv(n: usize) -> (Vec<u8>, Vec<String>) {
    let mut csv =
        b"\xef\xbb\xbfMicrosoft ID,Company name,Primary domain name,Relationship,Tags\r\n".to_vec();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        csv.extend_from_slice(
            format!("{id},\"Customer {i}, Ltd\",customer-{i}.onmicrosoft.com,Reseller,\"a;b\"\r\n")
                .as_bytes(),
        );
        ids.push(id);
    }
    (csv, ids)
}

#[tokio::test]
async fn a_hundred_thousand_customers_import_at_once_and_again_change_nothing() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    let (csv, ids) = customers_csv(100_000);
    let file = write(&db, "Customers.csv", &csv);
    let started = std::time::Instant::now();
    let out = rc(
        &db,
        &["customers", "import", "--partner", &partner, &file],
        "",
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    println!(
        "100,000 customers imported in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        stdout.contains("100000 to create, 0 to update, 0 unchanged, 0 refused"),
        "{stdout}"
    );
    assert!(
        stderr.contains("… 50000 of 100000 lines checked"),
        "a progress line: {stderr}"
    );
    let again = ok(
        &db,
        &["customers", "import", "--partner", &partner, &file],
        "",
    );
    assert!(
        again.contains("0 to create, 0 to update, 100000 unchanged, 0 refused"),
        "{again}"
    );

    // A renamed customer is an update; subscriptions of one customer by --customer.
    let renamed = String::from_utf8(csv)
        .unwrap()
        .replacen("Customer 7, Ltd", "Customer Seven", 1);
    let file = write(&db, "Customers-renamed.csv", renamed.as_bytes());
    let out = ok(
        &db,
        &[
            "customers",
            "import",
            "--partner",
            &partner,
            &file,
            "--dry-run",
        ],
        "",
    );
    assert!(
        out.contains("1 to update, 99999 unchanged"),
        "{}",
        out.lines().last().unwrap()
    );
    let subs = write(&db, "subs.csv", b"Subscription ID,Subscription,Quantity,Status\n0b1c2d3e-4f50-4617-8829-3a4b5c6d7e99,Microsoft 365 E3,120,Active\n");
    ok(
        &db,
        &[
            "subscriptions",
            "import",
            "--partner",
            &partner,
            "--customer",
            &ids[7],
            &subs,
        ],
        "",
    );

    let db = db.clone();
    let (_server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let page: Page<Customer> = boss
        .read("/api/customers?q=customer-99999.onmicrosoft")
        .await;
    assert_eq!(page.total, 1);
    let page: Page<Customer> = boss.read(&format!("/api/customers?q={}", ids[7])).await;
    assert_eq!(
        (
            page.items[0].name.as_str(),
            page.items[0].subscription_count
        ),
        ("Customer 7, Ltd", 1)
    );
}

#[tokio::test]
async fn a_broken_file_is_refused_line_by_line_and_nothing_is_imported() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    let good = uuid::Uuid::new_v4();
    let twice = uuid::Uuid::new_v4();
    let mut csv = b"\xef\xbb\xbfMicrosoft ID,Company name,Primary domain name\r\n".to_vec();
    csv.extend_from_slice(format!("{good},Good Company,good.example\r\n").as_bytes()); // line 2
    csv.extend_from_slice(b"\r\n"); // line 3: empty, skipped
    csv.extend_from_slice(b"not-a-guid,Bad Id,bad-id.example\r\n"); // 4
    csv.extend_from_slice(format!("{},No Domain,contoso\r\n", uuid::Uuid::new_v4()).as_bytes()); // 5
    csv.extend_from_slice(format!("{},,empty-name.example\r\n", uuid::Uuid::new_v4()).as_bytes()); // 6
    csv.extend_from_slice(
        format!("{},Too,Many,Fields.example\r\n", uuid::Uuid::new_v4()).as_bytes(),
    ); // 7
    csv.extend_from_slice(format!("{twice},Twice One,twice-1.example\r\n").as_bytes()); // 8
    csv.extend_from_slice(format!("{twice},Twice Two,twice-2.example\r\n").as_bytes()); // 9
    csv.extend_from_slice(
        format!("{},Same Domain,good.example\r\n", uuid::Uuid::new_v4()).as_bytes(),
    ); // 10
    // Latin-1 "é": not UTF-8.
    csv.extend_from_slice(format!("{},Caf", uuid::Uuid::new_v4()).as_bytes()); // 11
    csv.extend_from_slice(b"\xe9 Latin-1,cafe.example\r\n");
    csv.extend_from_slice(
        format!(
            "{},\"Quoted, \"\"fine\"\" name\",quoted.example\r\n",
            uuid::Uuid::new_v4()
        )
        .as_bytes(),
    ); // 12
    csv.extend_from_slice(
        format!(
            "{},\"Unclosed quote,unclosed.example\r\n",
            uuid::Uuid::new_v4()
        )
        .as_bytes(),
    ); // 13
    let file = write(&db, "broken.csv", &csv);
    let err = fails(
        &db,
        &["customers", "import", "--partner", &partner, &file],
        "",
    );
    let expected = [
        ("line 4:", "is not a Microsoft ID"),
        ("line 5:", "needs at least one dot"),
        ("line 6:", "company name"),
        ("line 7:", "has 4 fields where the header has 3"),
        ("line 9:", "is already on line 8"),
        ("line 10:", "the domain good.example is already on line 2"),
        ("line 11:", "not UTF-8"),
        ("line 13:", "refused"),
    ];
    for (line, words) in expected {
        let found = err
            .lines()
            .find(|l| l.starts_with(line))
            .unwrap_or_else(|| panic!("no {line} in:\n{err}"));
        assert!(
            found.contains(words),
            "{line} should say {words:?}: {found}"
        );
    }
    assert!(
        !err.contains("line 2:") && !err.contains("line 12:"),
        "good lines are not refused:\n{err}"
    );
    assert!(err.contains("nothing imported"), "{err}");
    // A dry run prints every line, and fails when any is refused (a check for scripts).
    let out = rc(
        &db,
        &[
            "customers",
            "import",
            "--partner",
            &partner,
            &file,
            "--dry-run",
        ],
        "",
    );
    assert!(!out.status.success());
    let (dry, err) = text(&out);
    assert!(err.contains("8 line(s) would be refused"), "{err}");
    assert!(
        dry.contains("line 2: create customer \"Good Company\""),
        "{dry}"
    );
    assert!(
        dry.contains("line 12: create customer \"Quoted, \\\"fine\\\" name\""),
        "{dry}"
    );

    // European Excel: semicolons (with its `sep=;` hint, or without).
    for (name, csv) in [
        (
            "semicolons.csv",
            format!(
                "Microsoft ID;Company name;Primary domain name\r\n{good};\"Good; Company\";good.example\r\n"
            ),
        ),
        (
            "excel-hint.csv",
            format!(
                "sep=;\r\nMicrosoft ID;Company name;Primary domain name\r\n{good};Good Company;good.example\r\n"
            ),
        ),
        (
            "tabs.csv",
            format!(
                "Microsoft ID\tCompany name\tPrimary domain name\n{good}\tGood Company\tgood.example\n"
            ),
        ),
    ] {
        let file = write(&db, name, csv.as_bytes());
        let out = ok(
            &db,
            &[
                "customers",
                "import",
                "--partner",
                &partner,
                &file,
                "--dry-run",
            ],
            "",
        );
        assert!(
            out.contains("1 to create, 0 to update, 0 unchanged, 0 refused"),
            "{name}: {out}"
        );
    }
    // Two columns for one value.
    let twice = write(
        &db,
        "twice.csv",
        format!(
            "Microsoft ID,Company name,Primary domain name,Customer ID\n{good},A,a.example,{}\n",
            uuid::Uuid::new_v4()
        )
        .as_bytes(),
    );
    let err = fails(
        &db,
        &["customers", "import", "--partner", &partner, &twice],
        "",
    );
    assert!(err.contains("2 columns for \"Microsoft ID\""), "{err}");

    // Wrong columns: the whole file is refused, naming what is missing.
    let wrong = write(&db, "wrong.csv", b"Id,Name\n1,2\n");
    let err = fails(
        &db,
        &["customers", "import", "--partner", &partner, &wrong],
        "",
    );
    assert!(
        err.contains("\"Microsoft ID\"") && err.contains("\"Primary domain name\""),
        "{err}"
    );
    let empty = write(&db, "empty.csv", b"");
    assert!(
        fails(
            &db,
            &["customers", "import", "--partner", &partner, &empty],
            ""
        )
        .contains("empty")
    );

    // Subscriptions: every rule of the API, per line.
    let good_only = write(
        &db,
        "good.csv",
        format!(
            "Microsoft ID,Company name,Primary domain name\n{good},Good Company,good.example\n"
        )
        .as_bytes(),
    );
    ok(
        &db,
        &["customers", "import", "--partner", &partner, &good_only],
        "",
    );
    let subs = format!(
        "Microsoft ID,Subscription ID,Subscription,Quantity,Status,Term,Commitment end date,Auto-renew\n\
         {good},{},Microsoft 365 Business Basic,0,Active,,,\n\
         {good},{},Microsoft 365 Business Basic,301,Active,,,\n\
         {good},{},Microsoft 365 E5,1,Active,,,\n\
         {good},{},Microsoft 365 Business Basic,2,Expired,,,\n\
         {},{},Microsoft 365 Business Basic,2,Active,,,\n\
         {good},{},Microsoft 365 Business Basic,2,Active,,2027-02-29,\n\
         {good},{},Microsoft 365 Business Basic,2,Active,,,maybe\n\
         {good},{},Microsoft 365 Business Basic,2,Active,Monthly,,\n\
         {good},{},Microsoft 365 Business Basic,2.5,Active,,,\n\
         {good},{},Microsoft 365 Business Basic,3,Active,Annual,2027-06-30,On\n",
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
    );
    let file = write(&db, "subs.csv", subs.as_bytes());
    let err = fails(
        &db,
        &["subscriptions", "import", "--partner", &partner, &file],
        "",
    );
    let expected = [
        (
            "line 2:",
            "Too few: this offer allows between 1 and 300 seats.",
        ),
        ("line 3:", "Too many"),
        ("line 4:", "no offer \"Microsoft 365 E5\""),
        ("line 5:", "only Active and Suspended"),
        ("line 6:", "is not one of this partner's customers"),
        ("line 7:", "not a day of the calendar"),
        ("line 8:", "is not on or off"),
        ("line 9:", "is annual in the catalogue, not monthly"),
        ("line 10:", "Whole seats only"),
    ];
    for (line, words) in expected {
        let found = err
            .lines()
            .find(|l| l.starts_with(line))
            .unwrap_or_else(|| panic!("no {line} in:\n{err}"));
        assert!(
            found.contains(words),
            "{line} should say {words:?}: {found}"
        );
    }
    assert!(!err.contains("line 11:"), "{err}");
    let (_server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let page: Page<Customer> = boss.read("/api/customers").await;
    assert_eq!(
        (page.total, page.items[0].subscription_count),
        (1, 0),
        "nothing half-imported"
    );
}

#[tokio::test]
async fn ambiguous_files_are_refused_not_guessed() {
    let db = TestDb::new();
    let partner = partner_with_catalogue(&db);
    // Offer names must say which offer: a subscription file names offers by name.
    let offers = write(
        &db,
        "dup-names.csv",
        b"id,name,min seats,max seats,price per seat per month,currency,term,billing cycle\n\
          dn-a,Dup Name,1,300,1.00,EUR,Monthly,Monthly\n\
          dn-b,dup name,1,300,9.00,EUR,Annual,Monthly\n\
          dn-c,Microsoft 365 E3,1,300,9.00,EUR,Annual,Monthly\n\
          dn-d,m365-e3,1,300,9.00,EUR,Annual,Monthly\n",
    );
    let err = fails(&db, &["offers", "import", &offers], "");
    assert!(
        err.contains("line 3: refused") && err.contains("is already on line 2"),
        "{err}"
    );
    assert!(
        err.contains("line 4: refused") && err.contains("already named"),
        "{err}"
    );
    assert!(
        err.contains("line 5: refused") && err.contains("already named (or has the id)"),
        "{err}"
    );

    // The file names one customer, --customer another: neither is guessed.
    let customers = write(
        &db,
        "two.csv",
        b"Microsoft ID,Company name,Primary domain name\n\
          3f1c2a4e-8b7d-4c61-9e2a-5d0b7c9f1a01,Alpine Ski House,alpine.example\n\
          7d9e6b2c-1a3f-4e85-b6c4-2f8a9d0e3b02,Bellows College,bellows.example\n",
    );
    ok(
        &db,
        &["customers", "import", "--partner", &partner, &customers],
        "",
    );
    let subs = write(
        &db,
        "subs.csv",
        b"Microsoft ID,Subscription ID,Subscription,Quantity,Status\n\
          7d9e6b2c-1a3f-4e85-b6c4-2f8a9d0e3b02,39a76810-b7a0-405c-826a-51653442beea,m365-business-basic,3,Active\n\
          3f1c2a4e-8b7d-4c61-9e2a-5d0b7c9f1a01,39a76810-b7a0-405c-826a-51653442beeb,m365-business-basic,3,Active\n\
          3f1c2a4e-8b7d-4c61-9e2a-5d0b7c9f1a01,39a76810-b7a0-405c-826a-51653442beeb,m365-e3,3,Active\n",
    );
    let err = fails(
        &db,
        &[
            "subscriptions",
            "import",
            "--partner",
            &partner,
            "--customer",
            "3f1c2a4e-8b7d-4c61-9e2a-5d0b7c9f1a01",
            &subs,
        ],
        "",
    );
    assert!(
        err.contains("line 2: refused") && err.contains("but --customer says"),
        "{err}"
    );
    assert!(
        err.contains("line 4: refused") && err.contains("is already on line 3"),
        "{err}"
    );
    assert!(!err.contains("line 3:"), "{err}");
}

/// An expired subscription is read-only for good: importing the file that created it again
/// names it and changes nothing.
#[tokio::test]
async fn an_import_never_revives_an_ended_subscription() {
    let db = TestDb::new();
    let (partner, subscriptions) = partner_with_example_subscriptions(&db);
    // Exchange Online of the example ends on 2026-12-15: auto-renew off, and a day later it
    // has expired.
    let id = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e02";
    {
        let (_server, boss) = console_with(
            &db,
            &["--unsafe-test-clock"],
            "boss@contoso.example",
            "admin-password-1",
        )
        .await;
        boss.set_clock(shared::calendar::parse_rfc3339("2026-12-10T10:00:00Z").unwrap())
            .await;
        let sub = boss.subscription(id).await;
        assert_eq!(
            boss.patch(&sub, json!({"auto_renew": false}))
                .await
                .status(),
            200
        );
        boss.set_clock(shared::calendar::parse_rfc3339("2026-12-16T00:00:00Z").unwrap())
            .await;
        let expired = boss.subscription(id).await.subscription;
        assert_eq!(expired.status, shared::model::Status::Expired);
        // Imported, not ordered here: not cancellable, whatever its dates.
        assert_eq!(expired.ordered_at, None);
    }
    let err = fails(
        &db,
        &[
            "subscriptions",
            "import",
            "--partner",
            &partner,
            &subscriptions,
        ],
        "",
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("line 3:") && l.contains("is expired: it is read-only for good")),
        "{err}"
    );
}

/// An import that changes a subscription's seats drops the change scheduled for its renewal,
/// as a change in the console does.
#[tokio::test]
async fn an_import_that_changes_seats_drops_the_scheduled_change() {
    let db = TestDb::new();
    let (partner, subscriptions) = partner_with_example_subscriptions(&db);
    let id = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e01"; // Business Standard, 25 seats, auto-renew on
    let (server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let sub = boss.subscription(id).await;
    let res = boss
        .patch(&sub, json!({"scheduled_change": {"quantity": 20}}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(boss.subscription(id).await.subscription.scheduled.is_some());
    drop(server);
    let file = std::fs::read_to_string(&subscriptions).unwrap();
    let header = file.lines().next().unwrap();
    let line = file.lines().find(|l| l.contains(id)).unwrap();
    assert!(line.contains(",25,"), "{line}");
    let more = format!("{header}\n{}\n", line.replacen(",25,", ",26,", 1));
    let changed = write(&db, "more-seats.csv", more.as_bytes());
    ok(
        &db,
        &["subscriptions", "import", "--partner", &partner, &changed],
        "",
    );
    let (_server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let after = boss.subscription(id).await.subscription;
    assert_eq!((after.quantity, after.scheduled), (26, None));
}

/// Every change an import makes is in the audit trail, by "import", with its file and line; a
/// line that would move an end date back (an older export) is refused unless --force is given.
#[tokio::test]
async fn imports_are_audited_and_older_exports_refused_unless_forced() {
    let db = TestDb::new();
    let (partner, subscriptions) = partner_with_example_subscriptions(&db);
    let id = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e01"; // Business Standard, 25 seats, ends 2027-03-31
    let file = std::fs::read_to_string(&subscriptions).unwrap();
    let header = file.lines().next().unwrap();
    let line = file.lines().find(|l| l.contains(id)).unwrap().to_owned();
    let older = format!(
        "{header}\n{}\n",
        line.replacen(",25,", ",3,", 1)
            .replacen("2027-03-31", "2027-02-28", 1)
            .replacen(",Active,", ",Suspended,", 1)
            .replacen(",On", ",Off", 1)
    );
    let older = write(&db, "old-export.csv", older.as_bytes());
    let import = ["subscriptions", "import", "--partner", &partner, &older];
    let err = fails(&db, &import, "");
    assert!(
        err.lines().any(|l| l.starts_with("line 2:")
            && l.contains("2027-02-28 is before the end date the console has (2027-03-31)")
            && l.contains("--force")),
        "{err}"
    );
    {
        let (_server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
        let sub = boss.subscription(id).await.subscription;
        assert_eq!(
            (sub.quantity, sub.commitment_end.as_str()),
            (25, "2027-03-31")
        );
        // The first import is in the trail too: created by "import", from its file and line.
        let events = boss.events(id).await;
        let created = &events[0];
        assert_eq!(created.action, shared::api::EventAction::Imported);
        assert_eq!(
            (created.agent_id, created.agent_email.as_str()),
            (None, "import")
        );
        assert_eq!(created.source.as_deref(), Some("Subscriptions.csv, line 2"));
        assert_eq!(created.before, None);
    }
    let mut forced = import.to_vec();
    forced.push("--force");
    ok(&db, &forced, "");
    let (_server, boss) = console_of(&db, "boss@contoso.example", "admin-password-1").await;
    let sub = boss.subscription(id).await.subscription;
    assert_eq!(
        (
            sub.quantity,
            sub.status,
            sub.auto_renew,
            sub.commitment_end.as_str()
        ),
        (3, shared::model::Status::Suspended, false, "2027-02-28")
    );
    let last = boss.events(id).await.pop().unwrap();
    assert_eq!(last.source.as_deref(), Some("old-export.csv, line 2"));
    let before = last.before.expect("what it was");
    assert_eq!(
        (before.quantity, before.status),
        (25, shared::model::Status::Active)
    );
    assert_eq!(before.commitment_end.as_deref(), Some("2027-03-31"));
    assert_eq!(last.after.quantity, 3);
    // And in the activity log, under "import".
    let log: serde_json::Value = boss.read("/api/activity?agent=import").await;
    let items = log["items"].as_array().unwrap();
    assert!(items.iter().all(|e| e["event"]["agent_email"] == "import"));
    assert!(
        items
            .iter()
            .any(|e| e["event"]["source"] == "old-export.csv, line 2")
    );
    let renewals: serde_json::Value = boss.read("/api/activity?agent=renewal").await;
    assert!(
        renewals["items"].as_array().unwrap().is_empty(),
        "imports are not the end of a term"
    );
}

/// End dates the console cannot mean: year 0207 (a typo for 2027), more than a term past or
/// ahead. Refused with their line number, also in a file with CR-only line ends.
#[tokio::test]
async fn impossible_end_dates_are_refused_by_line_even_in_mac_files() {
    let db = TestDb::new();
    let (partner, _) = partner_with_example_subscriptions(&db);
    let customer = "3f1c2a4e-8b7d-4c61-9e2a-5d0b7c9f1a01";
    let lines = [
        "Microsoft ID,Subscription ID,Subscription,Quantity,Status,Term,Commitment end date,Auto-renew".to_owned(),
        format!("{customer},5a1c2d3e-4f50-4617-8829-3a4b5c6d7e01,Microsoft 365 E3,5,Active,Annual,2027-06-30,On"),
        format!("{customer},5a1c2d3e-4f50-4617-8829-3a4b5c6d7e02,Exchange Online (Plan 1),5,Active,Monthly,0207-01-31,On"),
        format!("{customer},5a1c2d3e-4f50-4617-8829-3a4b5c6d7e03,Microsoft 365 E3,5,Active,Annual,2207-01-31,On"),
        format!("{customer},5a1c2d3e-4f50-4617-8829-3a4b5c6d7e04,Exchange Online (Plan 1),5,Active,Monthly,2026-10-15,On"),
    ];
    let mac = write(&db, "mac.csv", lines.join("\r").as_bytes());
    let out = rc(
        &db,
        &[
            "subscriptions",
            "import",
            "--partner",
            &partner,
            "--dry-run",
            &mac,
        ],
        "",
    );
    assert!(!out.status.success());
    let (stdout, _) = text(&out);
    assert!(stdout.contains("line 2: create"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("line 3: refused") && l.contains("before the year 2000")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("line 4: refused") && l.contains("more than one term ahead")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("line 5: refused")
                && l.contains("more than one term in the past")),
        "{stdout}"
    );
}

/// An imported monthly term ending on the 31st comes back to the 31st after February, as an
/// ordered one does.
#[tokio::test]
async fn an_imported_month_end_keeps_its_day() {
    let db = TestDb::new();
    let (partner, _) = partner_with_example_subscriptions(&db);
    let id = "6b1c2d3e-4f50-4617-8829-3a4b5c6d7e01";
    let file = format!(
        "Microsoft ID,Subscription ID,Subscription,Quantity,Status,Commitment end date,Auto-renew\n\
         3f1c2a4e-8b7d-4c61-9e2a-5d0b7c9f1a01,{id},Exchange Online (Plan 1),5,Active,2026-12-31,On\n"
    );
    let file = write(&db, "month-end.csv", file.as_bytes());
    ok(
        &db,
        &["subscriptions", "import", "--partner", &partner, &file],
        "",
    );
    let (_server, boss) = console_with(
        &db,
        &["--unsafe-test-clock"],
        "boss@contoso.example",
        "admin-password-1",
    )
    .await;
    let mut ends = Vec::new();
    for day in ["2027-01-01", "2027-02-01", "2027-03-01"] {
        boss.set_clock(shared::calendar::parse_rfc3339(&format!("{day}T00:00:00Z")).unwrap())
            .await;
        ends.push(boss.subscription(id).await.subscription.commitment_end);
    }
    assert_eq!(ends, ["2027-01-31", "2027-02-28", "2027-03-31"]);
}

/// Offer ids with invisible characters would make a second offer that looks like the first.
#[tokio::test]
async fn offer_ids_are_visible_characters_only() {
    let db = TestDb::new();
    let file = write(
        &db,
        "offers.csv",
        "id,name,min seats,max seats,price per seat per month,currency,term,billing cycle\n\
         m365-e3\u{200B},Microsoft 365 E3 again,1,300,33.70,EUR,Annual,Monthly\n"
            .as_bytes(),
    );
    let err = fails(&db, &["offers", "import", &file], "");
    assert!(
        err.lines()
            .any(|l| l.starts_with("line 2: refused") && l.contains("\\u{200B}")),
        "{err}"
    );
}

/// A domain belongs to one partner: another cannot take it, nor one whose agents use it.
#[tokio::test]
async fn e_mail_domains_belong_to_one_partner() {
    let db = TestDb::new();
    let contoso = partner_with_catalogue(&db);
    let other = ok(&db, &["partner", "add", "Other Reseller"], "")
        .trim()
        .to_owned();
    let err = fails(
        &db,
        &[
            "partner",
            "domain",
            "add",
            "--partner",
            &other,
            "Contoso.Example.",
        ],
        "",
    );
    assert!(
        err.contains("contoso.example is a domain of another partner"),
        "{err}"
    );
    let err = fails(
        &db,
        &[
            "agent",
            "add",
            "--partner",
            &other,
            "--email",
            "ann@contoso.example",
            "--role",
            "admin",
        ],
        "a-long-password-1\n",
    );
    assert!(
        err.contains("not one of your partner's e-mail domains"),
        "{err}"
    );
    ok(
        &db,
        &[
            "partner",
            "domain",
            "add",
            "--partner",
            &other,
            "other.example",
        ],
        "",
    );
    assert_eq!(
        ok(&db, &["partner", "domain", "list", "--partner", &other], ""),
        "other.example\n"
    );
    // Taken from Contoso, the domain still cannot go to a partner while Contoso's agents use it.
    ok(
        &db,
        &[
            "partner",
            "domain",
            "remove",
            "--partner",
            &contoso,
            "contoso.example",
        ],
        "",
    );
    let err = fails(
        &db,
        &[
            "partner",
            "domain",
            "add",
            "--partner",
            &other,
            "contoso.example",
        ],
        "",
    );
    assert!(err.contains("have e-mails in contoso.example"), "{err}");
}
