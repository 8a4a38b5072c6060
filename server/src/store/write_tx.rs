//! A write transaction whose connection goes back to the pool only when it is known clean.
//!
//! sqlx's own `Transaction` returns its connection to the pool after a failed commit or a
//! cancelled `BEGIN`, and its bookkeeping can then stay "inside a transaction" for good:
//! every later write on that connection failed until a restart. Here the transaction is
//! plain SQL on a pooled connection that is marked to be *closed*, not returned, unless
//! `commit` or `rollback` finished. Closing rolls back whatever the database still holds
//! open, and the pool opens a fresh connection for the next write.

use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool};

use super::StoreResult;

pub struct WriteTx<DB: Database> {
    conn: PoolConnection<DB>,
    /// True from before `BEGIN` is sent until `COMMIT` or `ROLLBACK` has succeeded.
    open: bool,
}

// Written per database rather than generic over `DB`: sqlx's generic executor bounds make
// the callers' futures lose `Send`.
macro_rules! write_tx_for {
    ($db:ty) => {
        impl WriteTx<$db> {
            /// Starts a transaction with `begin` (e.g. `BEGIN IMMEDIATE`).
            pub async fn begin(pool: &Pool<$db>, begin: &'static str) -> StoreResult<Self> {
                let conn = pool.acquire().await?;
                // Counted as open before BEGIN is even sent: a failure or cancellation from
                // here on closes the connection.
                let mut tx = WriteTx { conn, open: true };
                tx.run(begin).await?;
                Ok(tx)
            }

            pub async fn commit(mut self) -> StoreResult<()> {
                self.run("COMMIT").await?;
                self.open = false;
                Ok(())
            }

            pub async fn rollback(mut self) -> StoreResult<()> {
                self.run("ROLLBACK").await?;
                self.open = false;
                Ok(())
            }

            async fn run(&mut self, statement: &'static str) -> StoreResult<()> {
                // A plain (unprepared) statement, as sqlx's own transactions send theirs.
                sqlx::Executor::execute(&mut *self.conn, statement).await?;
                Ok(())
            }
        }
    };
}

write_tx_for!(sqlx::Sqlite);
write_tx_for!(sqlx::Postgres);

impl<DB: Database> Drop for WriteTx<DB> {
    fn drop(&mut self) {
        if self.open {
            tracing::warn!("a write transaction ended without commit: closing its connection");
            self.conn.close_on_drop();
        }
    }
}

impl<DB: Database> Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.conn
    }
}

impl<DB: Database> DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.conn
    }
}
