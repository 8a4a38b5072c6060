//! The embedded default: one SQLite file in WAL mode.
//!
//! Writes go through a pool of one connection and start with `BEGIN IMMEDIATE`, so they are
//! serialised in this process and never fail half-way on a lock; reads use their own pool and
//! never wait for writes. `synchronous = FULL`: a commit is on disk before the client hears of it.
//! The operations themselves are in the concern files (`customers.rs`, …) with `sql.rs`, shared
//! with PostgreSQL.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, SqliteConnection};

use super::dialect::Dialect;
use super::sql::sql_store;
use super::write_tx::WriteTx;
use super::{StoreError, StoreResult};

pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
}

impl Dialect for SqliteStore {
    /// `BEGIN IMMEDIATE` already serialises every write, sign-in attempts included.
    const KEY_LOCK: Option<&'static str> = None;

    /// Nothing after an import: SQLite's plans here are fixed by the queries (CROSS JOINs), not
    /// by statistics, and every row read is current.
    const AFTER_IMPORT: Option<&'static [&'static str]> = None;

    /// The customers (as `m`) whose search text holds the pieces `$2` of [`search_argument`]: FTS5's
    /// trigram table for three characters or more, the short-gram table for one or two. CROSS JOIN
    /// keeps the index first: left to choose, SQLite walked the partner's customers and asked the
    /// index about each (51 s at 100,000 customers, against 8 ms).
    const TRIGRAM_MATCH: &'static str = "FROM customer_trigrams t CROSS JOIN customers m ON m.rowid = t.rowid \
         WHERE customer_trigrams MATCH $2";
    const GRAM_MATCH: &'static str = "FROM customer_grams g CROSS JOIN customers m ON m.rowid = g.rowid WHERE customer_grams MATCH $2";
    /// The position of `$2` in a text, from 1; 0 when absent.
    const POSITION_OF: &'static str = "instr";

    fn match_argument(search: &super::CustomerSearch) -> String {
        search_argument(search)
    }
}

/// What `$2` of [`Dialect::TRIGRAM_MATCH`] / [`Dialect::GRAM_MATCH`] is for a search, each piece an FTS5 string
/// (quoted, quotes doubled) so that any character is taken literally. A long search is every
/// third of its trigrams (and the last), joined by AND, not the phrase of all of them: a
/// phrase of common words made FTS5 merge the positions of a dozen long lists (18 ms for
/// "solutions group" at 100,000 customers), and the caller checks each row for the whole text.
/// Each trigram is asked for once, and at most [`MAX_PIECES`] of them: every piece is one more
/// list to intersect, and a 300-character search of repeated words took 150 ms with them all.
fn search_argument(search: &super::CustomerSearch) -> String {
    let quoted = |term: &str| format!("\"{}\"", term.replace('"', "\"\""));
    if search.is_short() {
        return quoted(&super::gram_token(&search.text));
    }
    let chars: Vec<char> = search.text.chars().collect();
    let last = chars.len() - 3;
    let mut pieces: Vec<String> = Vec::new();
    for start in (0..=last).step_by(3).chain([last]) {
        let piece: String = chars[start..start + 3].iter().collect();
        if !pieces.contains(&piece) {
            pieces.push(piece);
        }
        if pieces.len() == MAX_PIECES {
            break;
        }
    }
    pieces
        .iter()
        .map(|p| quoted(p))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The most trigrams [`search_argument`] asks FTS5 for.
const MAX_PIECES: usize = 8;

impl SqliteStore {
    /// Opens `sqlite://PATH`, creating the file and its folder, and applies the migrations.
    /// A write waits at most `timeout` for its turn.
    pub async fn open(url: &str, timeout: Duration) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(timeout);
        let path = options.get_filename().to_owned();
        if path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:") {
            return Err(StoreError::new(
                "an in-memory SQLite database cannot be shared by the server's connections: name a file",
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::new(format!("cannot create {}: {e}", dir.display())))?;
        }
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(timeout)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::new(format!("opening {}: {e}", path.display())))?;
        sqlx::migrate!("migrations/sqlite")
            .run(&writer)
            .await
            .map_err(|e| StoreError::new(format!("migrating {}: {e}", path.display())))?;
        rebuild_tables(&writer).await.map_err(|e| {
            StoreError::new(format!("upgrading the tables of {}: {e}", path.display()))
        })?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(timeout)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore { reader, writer })
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    async fn begin_write(&self) -> StoreResult<WriteTx<Sqlite>> {
        WriteTx::<Sqlite>::begin(&self.writer, "BEGIN IMMEDIATE").await
    }
}

/// A table whose CHECK or NOT NULL must change. SQLite cannot alter either: the table is
/// rebuilt the documented way — foreign keys off, new table, copy, drop, rename, check, in one
/// transaction — which a migration cannot do (it runs inside a transaction, where the pragma is
/// ignored). Done once: afterwards the schema already holds `done_when`.
struct Rebuild {
    table: &'static str,
    /// Text the rebuilt table's schema contains (and the old one does not).
    done_when: &'static str,
    /// The new table's columns and constraints, between `CREATE TABLE x (` and `)`.
    definition: &'static str,
    /// The columns copied over (every column of the new table).
    columns: &'static str,
    indexes: &'static str,
    /// Tables whose foreign keys to check afterwards (those pointing at this one, and itself).
    check: &'static [&'static str],
}

const REBUILDS: [Rebuild; 3] = [
    // The roles admin, sales, helpdesk and read-only (the first schema had admin and read-only).
    Rebuild {
        table: "agents",
        done_when: "'helpdesk'",
        definition: "id              TEXT PRIMARY KEY,
                 partner_id      TEXT NOT NULL REFERENCES partners(id),
                 email           TEXT NOT NULL UNIQUE,
                 display_name    TEXT NOT NULL,
                 role            TEXT NOT NULL CHECK (role IN ('admin', 'sales', 'helpdesk', 'read_only')),
                 password_hash   TEXT NOT NULL,
                 active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                 created_at      TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z',
                 last_sign_in_at TEXT,
                 must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1))",
        columns: "id, partner_id, email, display_name, role, password_hash, active, created_at, last_sign_in_at, must_change_password",
        indexes: "CREATE INDEX agents_by_partner ON agents(partner_id, email);",
        check: &["sessions", "subscription_events", "agent_events"],
    },
    // The statuses a term's end brings (the first schema had active and suspended).
    Rebuild {
        table: "subscriptions",
        done_when: "'expired'",
        definition: "id             TEXT PRIMARY KEY,
                 customer_id    TEXT NOT NULL REFERENCES customers(id),
                 offer_id       TEXT NOT NULL REFERENCES offers(id),
                 quantity       INTEGER NOT NULL CHECK (quantity >= 1),
                 status         TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled', 'expired', 'disabled', 'deleted')),
                 channel        TEXT NOT NULL CHECK (channel IN ('partner', 'direct')),
                 auto_renew     INTEGER NOT NULL CHECK (auto_renew IN (0, 1)),
                 created_at     TEXT NOT NULL,
                 commitment_end TEXT NOT NULL,
                 version        INTEGER NOT NULL CHECK (version >= 1),
                 term           TEXT CHECK (term IN ('monthly', 'annual')),
                 scheduled_quantity INTEGER CHECK (scheduled_quantity >= 1),
                 scheduled_term TEXT CHECK (scheduled_term IN ('monthly', 'annual')),
                 status_since   TEXT,
                 ordered_at     TEXT,
                 anniversary_day INTEGER CHECK (anniversary_day BETWEEN 1 AND 31),
                 missing_at_partner_center TEXT",
        // Every column the migrations gave it (a new one must be added here too).
        columns: "id, customer_id, offer_id, quantity, status, channel, auto_renew, created_at, commitment_end, version, term, scheduled_quantity, scheduled_term, status_since, ordered_at, anniversary_day, missing_at_partner_center",
        indexes: "CREATE INDEX subscriptions_by_customer ON subscriptions(customer_id);
                  CREATE INDEX subscriptions_by_status_and_end ON subscriptions(status, commitment_end);",
        check: &["subscription_events", "idempotency_keys", "seat_batches"],
    },
    // Events made by the renewal, not an agent: no agent id.
    Rebuild {
        table: "subscription_events",
        done_when: "TEXT REFERENCES agents",
        definition: "id              INTEGER PRIMARY KEY AUTOINCREMENT,
                 partner_id      TEXT NOT NULL REFERENCES partners(id),
                 subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
                 agent_id        TEXT REFERENCES agents(id),
                 agent_email     TEXT NOT NULL,
                 at              TEXT NOT NULL,
                 action          TEXT NOT NULL,
                 before_json     TEXT,
                 after_json      TEXT NOT NULL,
                 source          TEXT,
                 refund_cents    INTEGER",
        columns: "id, partner_id, subscription_id, agent_id, agent_email, at, action, before_json, after_json, source, refund_cents",
        indexes: "CREATE INDEX subscription_events_by_subscription ON subscription_events(subscription_id, id);
                  CREATE INDEX subscription_events_by_partner_and_time ON subscription_events(partner_id, at, id);
                  CREATE INDEX subscription_events_by_partner_action_and_time ON subscription_events(partner_id, action, at, id);
                  CREATE INDEX subscription_events_by_agent_and_time ON subscription_events(partner_id, agent_id, at, id);",
        check: &["subscription_events"],
    },
];

/// Applies the [`REBUILDS`] this database has not had yet.
async fn rebuild_tables(writer: &SqlitePool) -> Result<(), sqlx::Error> {
    for rebuild in &REBUILDS {
        let schema: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
                .bind(rebuild.table)
                .fetch_one(writer)
                .await?;
        if !schema.contains(rebuild.done_when) {
            rebuild_table(writer, rebuild).await?;
        }
    }
    Ok(())
}

async fn rebuild_table(writer: &SqlitePool, r: &Rebuild) -> Result<(), sqlx::Error> {
    let mut conn = writer.acquire().await?;
    let result = async {
        sqlx::Executor::execute(&mut *conn, "PRAGMA foreign_keys = OFF").await?;
        let (table, columns) = (r.table, r.columns);
        sqlx::Executor::execute(
            &mut *conn,
            format!(
                "BEGIN IMMEDIATE;
                 CREATE TABLE {table}_rebuilt ({});
                 INSERT INTO {table}_rebuilt ({columns}) SELECT {columns} FROM {table};
                 DROP TABLE {table};
                 ALTER TABLE {table}_rebuilt RENAME TO {table};
                 {}",
                r.definition, r.indexes
            )
            .as_str(),
        )
        .await?;
        // Only the tables named: an unrelated orphan is not this step's to judge.
        for checked in r.check {
            let broken: Vec<sqlx::sqlite::SqliteRow> =
                sqlx::query(&format!("PRAGMA foreign_key_check({checked})"))
                    .fetch_all(&mut *conn)
                    .await?;
            if !broken.is_empty() {
                return Err(sqlx::Error::Protocol(format!(
                    "rebuilding {table}: {} rows of {checked} point at nothing",
                    broken.len()
                )));
            }
        }
        sqlx::Executor::execute(&mut *conn, "COMMIT; PRAGMA foreign_keys = ON").await?;
        Ok(())
    }
    .await;
    if result.is_err() {
        // Whatever state the connection is in (a transaction open, foreign keys off), it goes.
        conn.close_on_drop();
    }
    result
}

sql_store!(SqliteStore, SqliteConnection);

#[cfg(test)]
mod tests {
    use super::*;

    fn argument(q: &str) -> String {
        search_argument(&super::super::CustomerSearch::new(q).unwrap().unwrap())
    }

    #[test]
    fn a_long_search_asks_the_index_for_every_third_trigram_and_the_last() {
        assert_eq!(
            argument("Solutions Group"),
            r#""sol" AND "uti" AND "ons" AND " gr" AND "oup""#
        );
        assert_eq!(argument("abcd"), r#""abc" AND "bcd""#);
        assert_eq!(argument("abc"), r#""abc""#);
        assert_eq!(argument("abcdef"), r#""abc" AND "def""#);
        // Quotes taken literally; characters, not bytes.
        assert_eq!(argument(r#"a"bcé"#), r#""a""b" AND "bcé""#);
        // Each piece once, and at most eight of them however long the search.
        assert_eq!(argument(&"x".repeat(20_000)), r#""xxx""#);
        let long = argument(&"solutions group ".repeat(1_000));
        assert_eq!(long.matches(" AND ").count(), MAX_PIECES - 1);
    }
}
