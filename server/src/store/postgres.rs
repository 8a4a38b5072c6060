//! PostgreSQL, for several server processes on one database.
//!
//! Transactions run at READ COMMITTED. A seat or status change is one conditional UPDATE on
//! the version: a racing writer waits for the row lock, then finds the version moved and
//! changes nothing. An order claims its idempotency key with `INSERT … ON CONFLICT DO
//! NOTHING`, which waits for a racing order with the same key to commit, so exactly one
//! subscription is created and every retry reads it back. The operations themselves are in
//! `sql.rs`, shared with SQLite.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres, Transaction};

use super::sql::sql_store;
use super::{StoreError, StoreResult};

pub struct PostgresStore {
    pool: PgPool,
}

/// One e-mail's sign-in attempts are counted one at a time, across every server process.
const EMAIL_LOCK: Option<&str> = Some("SELECT pg_advisory_xact_lock(hashtext($1))");

impl PostgresStore {
    /// Connects to `postgres://…` and applies the migrations (once, whichever process is first).
    pub async fn open(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| StoreError(format!("connecting to PostgreSQL: {e}")))?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError(format!("migrating PostgreSQL: {e}")))?;
        Ok(PostgresStore { pool })
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }
}

sql_store!(PostgresStore, PgConnection);
