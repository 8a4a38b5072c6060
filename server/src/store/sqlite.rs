//! The embedded default: one SQLite file in WAL mode.
//!
//! Writes go through a pool of one connection and start with `BEGIN IMMEDIATE`, so they are
//! serialised in this process and never fail half-way on a lock; reads use their own pool and
//! never wait for writes. `synchronous = FULL`: a commit is on disk before the client hears of it.
//! The operations themselves are in `sql.rs`, shared with PostgreSQL.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, SqliteConnection};

use super::sql::sql_store;
use super::write_tx::WriteTx;
use super::{StoreError, StoreResult};

pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
}

/// `BEGIN IMMEDIATE` already serialises every write, sign-in attempts included.
const KEY_LOCK: Option<&str> = None;

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
        allow_every_role(&writer).await.map_err(|e| {
            StoreError::new(format!("upgrading the roles of {}: {e}", path.display()))
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

/// The roles admin, sales, helpdesk and read-only in `agents`' CHECK (the first schema had
/// only admin and read-only). SQLite cannot alter a CHECK: the table is rebuilt the documented
/// way — foreign keys off, new table, copy, drop, rename, check, in one transaction — which a
/// migration cannot do (it runs inside a transaction, where the pragma is ignored). Done once:
/// afterwards the schema already names the roles.
async fn allow_every_role(writer: &SqlitePool) -> Result<(), sqlx::Error> {
    let schema: String = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'agents'",
    )
    .fetch_one(writer)
    .await?;
    if schema.contains("'helpdesk'") {
        return Ok(());
    }
    let mut conn = writer.acquire().await?;
    let result = async {
        sqlx::Executor::execute(&mut *conn, "PRAGMA foreign_keys = OFF").await?;
        sqlx::Executor::execute(
            &mut *conn,
            "BEGIN IMMEDIATE;
             CREATE TABLE agents_rebuilt (
                 id              TEXT PRIMARY KEY,
                 partner_id      TEXT NOT NULL REFERENCES partners(id),
                 email           TEXT NOT NULL UNIQUE,
                 display_name    TEXT NOT NULL,
                 role            TEXT NOT NULL CHECK (role IN ('admin', 'sales', 'helpdesk', 'read_only')),
                 password_hash   TEXT NOT NULL,
                 active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                 created_at      TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z',
                 last_sign_in_at TEXT,
                 must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1))
             );
             INSERT INTO agents_rebuilt (id, partner_id, email, display_name, role, password_hash, active, created_at, last_sign_in_at, must_change_password)
                 SELECT id, partner_id, email, display_name, role, password_hash, active, created_at, last_sign_in_at, must_change_password FROM agents;
             DROP TABLE agents;
             ALTER TABLE agents_rebuilt RENAME TO agents;
             CREATE INDEX agents_by_partner ON agents(partner_id, email);",
        )
        .await?;
        // Only the tables that point at agents: an unrelated orphan is not this step's to judge.
        for table in ["sessions", "subscription_events", "agent_events"] {
            let broken: Vec<sqlx::sqlite::SqliteRow> =
                sqlx::query(&format!("PRAGMA foreign_key_check({table})"))
                    .fetch_all(&mut *conn)
                    .await?;
            if !broken.is_empty() {
                return Err(sqlx::Error::Protocol(format!(
                    "{} rows of {table} point at no agent",
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
