//! PostgreSQL, for several server processes on one database.
//!
//! Transactions run at READ COMMITTED. A seat or status change is one conditional UPDATE on
//! the version: a racing writer waits for the row lock, then finds the version moved and
//! changes nothing. An order claims its idempotency key with `INSERT … ON CONFLICT DO
//! NOTHING`, which waits for a racing order with the same key to commit, so exactly one
//! subscription is created and every retry reads it back. The operations themselves are in
//! the concern files (`customers.rs`, …) with `sql.rs`, shared with SQLite.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres};

use super::dialect::Dialect;
use super::sql::sql_store;
use super::write_tx::WriteTx;
use super::{StoreError, StoreResult};

pub struct PostgresStore {
    pool: PgPool,
}

impl Dialect for PostgresStore {
    /// One e-mail's sign-in attempts are counted one at a time, across every server process.
    const KEY_LOCK: Option<&'static str> = Some("SELECT pg_advisory_xact_lock(hashtext($1))");

    /// Run on a table an import filled, after it commits, on one connection: fresh statistics
    /// (before, the planner guessed at an unanalysed table: 6–12× slower searches until autovacuum
    /// got to it) and a visibility map, so the list's index-only scans stay index-only. Without the
    /// `--db-timeout` a request has: a large table takes longer.
    const AFTER_IMPORT: Option<&'static [&'static str]> = Some(&[
        "SET statement_timeout = 0",
        "VACUUM (ANALYZE) {table}",
        "RESET statement_timeout",
    ]);

    /// The customers (as `m`) whose search text matches the `$2` of [`search_argument`] (the caller
    /// also checks the text itself): the pg_trgm GIN index for three characters or more, the
    /// short-gram GIN index for one or two.
    const TRIGRAM_MATCH: &'static str = "FROM customers m WHERE m.search_text LIKE $2 ESCAPE '\\'";
    const GRAM_MATCH: &'static str =
        "FROM customers m WHERE m.short_gram_array @> ARRAY[CAST($2 AS TEXT)]";
    /// The position of `$2` in a text, from 1; 0 when absent.
    const POSITION_OF: &'static str = "strpos";

    fn match_argument(search: &super::CustomerSearch) -> String {
        search_argument(search)
    }
}

/// What `$2` of [`Dialect::TRIGRAM_MATCH`] / [`Dialect::GRAM_MATCH`] is for a search.
fn search_argument(search: &super::CustomerSearch) -> String {
    if search.is_short() {
        super::gram_token(&search.text)
    } else {
        super::contains_pattern(&search.text)
    }
}

impl PostgresStore {
    /// Connects to `postgres://…` and applies the migrations (once, whichever process is first).
    /// A connection is waited for, and a statement may run, at most `timeout`: a database
    /// that stops answering costs a request that long, not for ever.
    pub async fn open(url: &str, timeout: Duration) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::new(format!("bad PostgreSQL URL: {e}")))?;
        let place = format!(
            "PostgreSQL at {}:{} (database {:?})",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or("postgres")
        );
        let statement_timeout = format!("{}ms", timeout.as_millis());
        let options = options.options([
            ("statement_timeout", statement_timeout.as_str()),
            ("lock_timeout", statement_timeout.as_str()),
            // Plans made for each search's own text: a cached generic plan cannot tell "a"
            // (matches most: stop after 1,001 rows in name order) from "qz" (ask the index),
            // and built a 69,000-entry bitmap to count to 1,001 (7.7 ms against 1.9).
            ("plan_cache_mode", "force_custom_plan"),
        ]);
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(timeout)
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::PoolTimedOut => StoreError::unavailable(format!(
                    "{place} did not answer within {} s",
                    timeout.as_secs_f32()
                )),
                e => StoreError::unavailable(format!("cannot connect to {place}: {e}")),
            })?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::new(format!("migrating {place}: {e}")))?;
        Ok(PostgresStore { pool })
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> StoreResult<WriteTx<Postgres>> {
        WriteTx::<Postgres>::begin(&self.pool, "BEGIN").await
    }
}

sql_store!(PostgresStore, PgConnection);
