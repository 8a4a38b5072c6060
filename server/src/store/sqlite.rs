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
const EMAIL_LOCK: Option<&str> = None;

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

sql_store!(SqliteStore, SqliteConnection);
