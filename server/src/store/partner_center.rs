//! What the Partner Center connector keeps: each partner's connection (sealed credentials, a
//! sync lease) and the outbox of changes waiting for Microsoft.
//!
//! [`PartnerCenterStore`] is the interface; `partner_center_sql!` writes its SQL once for both
//! databases.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;

/// A partner's stored connection; the secrets are sealed (`partner_center::secrets`).
#[derive(Clone, Debug)]
pub struct StoredConnection {
    pub partner_id: PartnerId,
    pub tenant_id: String,
    pub app_id: String,
    pub sealed_app_secret: String,
    pub sealed_refresh_token: Option<String>,
    pub connected_at: String,
    pub last_sync_at: Option<String>,
    pub last_sync_result: Option<String>,
}

/// What the subscription becomes once Microsoft confirms a change: the rules' plan, made when
/// the agent asked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlannedChange {
    pub after: SubscriptionSnapshot,
    pub seat_batches: Vec<SeatBatch>,
    pub refund_cents: Option<i64>,
    pub before: SubscriptionSnapshot,
}

/// A change for Partner Center, as the outbox holds it.
#[derive(Clone, Debug)]
pub struct OutboxEntry {
    /// Also the `MS-RequestId` of every attempt.
    pub id: Uuid,
    pub partner_id: PartnerId,
    pub subscription_id: SubscriptionId,
    pub customer_id: CustomerId,
    pub action: EventAction,
    pub expected_version: u64,
    pub planned: PlannedChange,
    /// The body of the PATCH (JSON).
    pub request: String,
    pub state: OutboxState,
    pub attempts: u32,
    /// Unix seconds.
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub agent_id: Option<AgentId>,
    pub agent_email: String,
    pub created_at: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Failed,
    Done,
    Refused,
    Discarded,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Failed => "failed",
            OutboxState::Done => "done",
            OutboxState::Refused => "refused",
            OutboxState::Discarded => "discarded",
        }
    }

    pub(super) fn parse(text: &str) -> Option<Self> {
        [
            OutboxState::Pending,
            OutboxState::Failed,
            OutboxState::Done,
            OutboxState::Refused,
            OutboxState::Discarded,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

pub enum EnqueueOutcome {
    Enqueued,
    /// The version moved on: here is the subscription as it is now.
    Conflict(Box<Subscription>),
    /// Another change of it is open (pending or failed).
    Waiting,
    NotFound,
}

#[async_trait]
pub trait PartnerCenterStore: Send + Sync {
    /// Stores (or replaces) a partner's connection.
    async fn save_connection(&self, connection: &StoredConnection) -> StoreResult<()>;
    async fn connection(&self, partner: PartnerId) -> StoreResult<Option<StoredConnection>>;
    /// Removes the connection; false if there was none. Open changes stay for the record.
    /// `None` when it had none; else how many waiting changes and orders went with it.
    async fn remove_connection(&self, partner: PartnerId) -> StoreResult<Option<(u64, u64)>>;
    async fn connected_partners(&self) -> StoreResult<Vec<PartnerId>>;
    /// Keeps the refresh token Microsoft rotated (sealed).
    async fn rotate_refresh_token(&self, partner: PartnerId, sealed: &str) -> StoreResult<()>;
    /// Takes the partner's sync lease until `until` if no one holds it at `now`: one process
    /// syncs a partner at a time, on either database.
    async fn take_sync_lease(&self, partner: PartnerId, now: i64, until: i64) -> StoreResult<bool>;
    /// Releases the lease and records the sync's result.
    async fn finish_sync(&self, partner: PartnerId, at: &str, result: &str) -> StoreResult<()>;

    /// Writes the outbox entry iff the subscription is still at `expected_version` and has no
    /// open change: one transaction.
    async fn enqueue_change(&self, entry: &OutboxEntry) -> StoreResult<EnqueueOutcome>;
    async fn outbox_entry(&self, partner: PartnerId, id: Uuid) -> StoreResult<Option<OutboxEntry>>;
    /// The open (pending or failed) changes of these subscriptions of the partner.
    async fn open_changes(
        &self,
        partner: PartnerId,
        subscriptions: &[SubscriptionId],
    ) -> StoreResult<Vec<OutboxEntry>>;
    /// Pending changes due at `now`, oldest first.
    async fn due_changes(&self, now: i64, limit: u32) -> StoreResult<Vec<(PartnerId, Uuid)>>;
    /// Leases a pending change until `until` if no one holds it at `now`: one attempt at a time.
    async fn lease_change(&self, id: Uuid, now: i64, until: i64) -> StoreResult<bool>;
    /// Records an attempt without an answer: still pending (due at `next_attempt_at`), or failed.
    async fn change_unanswered(
        &self,
        id: Uuid,
        attempts: u32,
        next_attempt_at: i64,
        error: &str,
        failed: bool,
    ) -> StoreResult<()>;
    /// Microsoft applied the change: writes the planned change and its audit event (if the
    /// subscription is still at the entry's version) and closes the entry, in one transaction.
    async fn change_confirmed(&self, entry: &OutboxEntry, at: &str) -> StoreResult<UpdateOutcome>;
    /// Closes an open entry as refused or discarded; false if it was no longer open.
    /// `unleased_at`: only if no attempt holds it at that time (an agent's discard must not
    /// close what an attempt in flight may be confirming).
    async fn change_closed(
        &self,
        id: Uuid,
        state: OutboxState,
        error: Option<&str>,
        at: &str,
        unleased_at: Option<i64>,
    ) -> StoreResult<bool>;
    /// A failed change is pending again, due at `now`, its attempts counted afresh.
    async fn change_reopened(&self, id: Uuid, now: i64) -> StoreResult<bool>;
    /// Pending changes, all partners: the outbox's depth.
    async fn pending_count(&self) -> StoreResult<u64>;
    /// Flags (`at` = when) or clears (`None`) subscriptions Partner Center does not have.
    async fn mark_missing(
        &self,
        partner: PartnerId,
        subscriptions: &[SubscriptionId],
        at: Option<&str>,
    ) -> StoreResult<()>;
}

pub(super) fn planned_json(p: &PlannedChange) -> String {
    serde_json::to_string(p).expect("planned changes always serialise")
}

pub(super) fn outbox_from(row: &impl rows::ReadRow) -> StoreResult<OutboxEntry> {
    let bad = |column: &str| StoreError::new(format!("unreadable {column} in the outbox"));
    let int = |column: &str| row.int(column);
    Ok(OutboxEntry {
        id: row.text("id")?.parse().map_err(|_| bad("id"))?,
        partner_id: row
            .text("partner_id")?
            .parse()
            .map_err(|_| bad("partner_id"))?,
        subscription_id: row
            .text("subscription_id")?
            .parse()
            .map_err(|_| bad("subscription_id"))?,
        customer_id: row
            .text("customer_id")?
            .parse()
            .map_err(|_| bad("customer_id"))?,
        action: row.text("action")?.parse().map_err(|_| bad("action"))?,
        expected_version: u64::try_from(int("expected_version")?).map_err(|_| bad("version"))?,
        planned: serde_json::from_str(&row.text("planned_json")?)
            .map_err(|_| bad("planned_json"))?,
        request: row.text("request_json")?,
        state: OutboxState::parse(&row.text("state")?).ok_or_else(|| bad("state"))?,
        attempts: u32::try_from(int("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: int("next_attempt_at")?,
        last_error: row.optional_text("last_error")?,
        agent_id: row
            .optional_text("agent_id")?
            .map(|t| t.parse().map_err(|_| bad("agent_id")))
            .transpose()?,
        agent_email: row.text("agent_email")?,
        created_at: row.text("created_at")?,
    })
}

pub(super) fn connection_from(row: &impl rows::ReadRow) -> StoreResult<StoredConnection> {
    Ok(StoredConnection {
        partner_id: row
            .text("partner_id")?
            .parse()
            .map_err(|_| StoreError::new("unreadable partner id in a connection"))?,
        tenant_id: row.text("tenant_id")?,
        app_id: row.text("app_id")?,
        sealed_app_secret: row.text("app_secret")?,
        sealed_refresh_token: row.optional_text("refresh_token")?,
        connected_at: row.text("connected_at")?,
        last_sync_at: row.optional_text("last_sync_at")?,
        last_sync_result: row.optional_text("last_sync_result")?,
    })
}

pub(super) const OUTBOX_COLUMNS: &str = "id, partner_id, subscription_id, customer_id, action, \
     expected_version, planned_json, request_json, state, attempts, next_attempt_at, last_error, \
     agent_id, agent_email, created_at";

/// The SQL of [`PartnerCenterStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! partner_center_sql {
    ($store:ty, $conn:ty) => {
        mod partner_center_sql {
            use super::sql_common::*;
            use super::sql_helpers::*;
            use super::*;
            use crate::store::partner_center::{
                EnqueueOutcome, OUTBOX_COLUMNS, OutboxEntry, OutboxState, StoredConnection,
                connection_from, outbox_from, planned_json,
            };
            use uuid::Uuid;

            /// The queue tables (`partner_center_outbox`, `partner_center_orders`) share their
            /// states and attempts: these run the same SQL on either.
            pub(super) async fn due_in(
                store: &$store,
                table: &str,
                now: i64,
                limit: u32,
            ) -> StoreResult<Vec<(PartnerId, Uuid)>> {
                let rows = sqlx::query(&format!(
                    "SELECT partner_id, id FROM {table} WHERE state = 'pending' \
                     AND next_attempt_at <= $1 AND lease_until <= $1 ORDER BY next_attempt_at, created_at LIMIT $2"
                ))
                .bind(now)
                .bind(i64::from(limit))
                .fetch_all(store.reader())
                .await?;
                rows.iter()
                    .map(|r| Ok((parsed(r, "partner_id")?, parsed(r, "id")?)))
                    .collect()
            }

            pub(super) async fn lease_in(
                store: &$store,
                table: &str,
                id: Uuid,
                now: i64,
                until: i64,
            ) -> StoreResult<bool> {
                let taken = sqlx::query(&format!(
                    "UPDATE {table} SET lease_until = $1 WHERE id = $2 AND state = 'pending' AND lease_until <= $3"
                ))
                .bind(until)
                .bind(id.to_string())
                .bind(now)
                .execute(store.writer())
                .await?
                .rows_affected();
                Ok(taken == 1)
            }

            pub(super) async fn unanswered_in(
                store: &$store,
                table: &str,
                id: Uuid,
                attempts: u32,
                next_attempt_at: i64,
                error: &str,
                failed: bool,
            ) -> StoreResult<()> {
                sqlx::query(&format!(
                    "UPDATE {table} SET attempts = $1, next_attempt_at = $2, last_error = $3, \
                     state = $4, lease_until = 0 WHERE id = $5 AND state = 'pending'"
                ))
                .bind(i64::from(attempts))
                .bind(next_attempt_at)
                .bind(error)
                .bind(if failed { "failed" } else { "pending" })
                .bind(id.to_string())
                .execute(store.writer())
                .await?;
                Ok(())
            }

            pub(super) async fn closed_in(
                store: &$store,
                table: &str,
                id: Uuid,
                state: OutboxState,
                error: Option<&str>,
                at: &str,
                unleased_at: Option<i64>,
            ) -> StoreResult<bool> {
                let closed = sqlx::query(&format!(
                    "UPDATE {table} SET state = $1, last_error = COALESCE($2, last_error), \
                     finished_at = $3, lease_until = 0, \
                     attempts = attempts + CASE WHEN $1 = 'refused' THEN 1 ELSE 0 END \
                     WHERE id = $4 AND state IN ('pending', 'failed') \
                     AND lease_until <= COALESCE($5, lease_until)"
                ))
                .bind(state.as_str())
                .bind(error)
                .bind(at)
                .bind(id.to_string())
                .bind(unleased_at)
                .execute(store.writer())
                .await?
                .rows_affected();
                Ok(closed == 1)
            }

            pub(super) async fn reopened_in(
                store: &$store,
                table: &str,
                id: Uuid,
                now: i64,
            ) -> StoreResult<bool> {
                let reopened = sqlx::query(&format!(
                    "UPDATE {table} SET state = 'pending', attempts = 0, next_attempt_at = $1, \
                     lease_until = 0 WHERE id = $2 AND state = 'failed'"
                ))
                .bind(now)
                .bind(id.to_string())
                .execute(store.writer())
                .await?
                .rows_affected();
                Ok(reopened == 1)
            }

            #[async_trait]
            impl crate::store::partner_center::PartnerCenterStore for $store {
                async fn save_connection(&self, c: &StoredConnection) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO partner_center_connections \
                         (partner_id, tenant_id, app_id, app_secret, refresh_token, connected_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partner_id) DO UPDATE SET \
                         tenant_id = excluded.tenant_id, app_id = excluded.app_id, \
                         app_secret = excluded.app_secret, refresh_token = excluded.refresh_token, \
                         connected_at = excluded.connected_at",
                    )
                    .bind(c.partner_id.to_string())
                    .bind(&c.tenant_id)
                    .bind(&c.app_id)
                    .bind(&c.sealed_app_secret)
                    .bind(c.sealed_refresh_token.as_deref())
                    .bind(&c.connected_at)
                    .execute(self.writer())
                    .await?;
                    Ok(())
                }

                async fn connection(
                    &self,
                    partner: PartnerId,
                ) -> StoreResult<Option<StoredConnection>> {
                    let row = sqlx::query(
                        "SELECT partner_id, tenant_id, app_id, app_secret, refresh_token, connected_at, \
                         last_sync_at, last_sync_result FROM partner_center_connections WHERE partner_id = $1",
                    )
                    .bind(partner.to_string())
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(connection_from).transpose()
                }

                async fn remove_connection(
                    &self,
                    partner: PartnerId,
                ) -> StoreResult<Option<(u64, u64)>> {
                    let mut tx = self.begin_write().await?;
                    let removed =
                        sqlx::query("DELETE FROM partner_center_connections WHERE partner_id = $1")
                            .bind(partner.to_string())
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    // Its waiting changes go with it: sent later, one would overwrite what the
                    // console (its own record again) has changed since.
                    let changes = sqlx::query(
                        "UPDATE partner_center_outbox SET state = 'discarded', last_error = 'the partner was disconnected from Partner Center', \
                         lease_until = 0 WHERE partner_id = $1 AND state IN ('pending', 'failed')",
                    )
                    .bind(partner.to_string())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let orders = sqlx::query(
                        "UPDATE partner_center_orders SET state = 'discarded', last_error = 'the partner was disconnected from Partner Center', \
                         lease_until = 0 WHERE partner_id = $1 AND state IN ('pending', 'failed')",
                    )
                    .bind(partner.to_string())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    tx.commit().await?;
                    Ok((removed > 0).then_some((changes, orders)))
                }

                async fn connected_partners(&self) -> StoreResult<Vec<PartnerId>> {
                    let rows = sqlx::query(
                        "SELECT partner_id FROM partner_center_connections ORDER BY partner_id",
                    )
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(|r| parsed(r, "partner_id")).collect()
                }

                async fn rotate_refresh_token(
                    &self,
                    partner: PartnerId,
                    sealed: &str,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE partner_center_connections SET refresh_token = $1 WHERE partner_id = $2",
                    )
                    .bind(sealed)
                    .bind(partner.to_string())
                    .execute(self.writer())
                    .await?;
                    Ok(())
                }

                async fn take_sync_lease(
                    &self,
                    partner: PartnerId,
                    now: i64,
                    until: i64,
                ) -> StoreResult<bool> {
                    // A compare-and-set: of two processes, one sees its row updated.
                    let taken = sqlx::query(
                        "UPDATE partner_center_connections SET sync_lease_until = $1 \
                         WHERE partner_id = $2 AND sync_lease_until <= $3",
                    )
                    .bind(until)
                    .bind(partner.to_string())
                    .bind(now)
                    .execute(self.writer())
                    .await?
                    .rows_affected();
                    Ok(taken == 1)
                }

                async fn finish_sync(
                    &self,
                    partner: PartnerId,
                    at: &str,
                    result: &str,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE partner_center_connections SET sync_lease_until = 0, last_sync_at = $1, \
                         last_sync_result = $2 WHERE partner_id = $3",
                    )
                    .bind(at)
                    .bind(result)
                    .bind(partner.to_string())
                    .execute(self.writer())
                    .await?;
                    Ok(())
                }

                async fn enqueue_change(&self, e: &OutboxEntry) -> StoreResult<EnqueueOutcome> {
                    let mut tx = self.begin_write().await?;
                    // Holds the subscription at the version the change was planned on (and, on
                    // PostgreSQL, locks its row until the entry is written).
                    let held = sqlx::query(
                        "UPDATE subscriptions SET version = version WHERE id = $1 AND version = $2 \
                         AND customer_id IN (SELECT id FROM customers WHERE partner_id = $3)",
                    )
                    .bind(e.subscription_id.to_string())
                    .bind(i64::try_from(e.expected_version).unwrap_or(-1))
                    .bind(e.partner_id.to_string())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if held == 0 {
                        let current = fetch_subscription(&mut tx, e.partner_id, e.subscription_id).await?;
                        tx.rollback().await?;
                        return Ok(match current {
                            Some(current) => EnqueueOutcome::Conflict(Box::new(current)),
                            None => EnqueueOutcome::NotFound,
                        });
                    }
                    // The partial unique index allows one open change per subscription.
                    let written = sqlx::query(
                        "INSERT INTO partner_center_outbox (id, partner_id, subscription_id, customer_id, action, \
                         expected_version, planned_json, request_json, state, attempts, next_attempt_at, \
                         agent_id, agent_email, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10, $11, $12) \
                         ON CONFLICT (subscription_id) WHERE state IN ('pending', 'failed') DO NOTHING",
                    )
                    .bind(e.id.to_string())
                    .bind(e.partner_id.to_string())
                    .bind(e.subscription_id.to_string())
                    .bind(e.customer_id.to_string())
                    .bind(e.action.as_str())
                    .bind(i64::try_from(e.expected_version).unwrap_or(-1))
                    .bind(planned_json(&e.planned))
                    .bind(&e.request)
                    .bind(e.next_attempt_at)
                    .bind(e.agent_id.map(|a| a.to_string()))
                    .bind(&e.agent_email)
                    .bind(&e.created_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if written == 0 {
                        tx.rollback().await?;
                        return Ok(EnqueueOutcome::Waiting);
                    }
                    tx.commit().await?;
                    Ok(EnqueueOutcome::Enqueued)
                }

                async fn outbox_entry(
                    &self,
                    partner: PartnerId,
                    id: Uuid,
                ) -> StoreResult<Option<OutboxEntry>> {
                    let row = sqlx::query(&format!(
                        "SELECT {OUTBOX_COLUMNS} FROM partner_center_outbox WHERE id = $1 AND partner_id = $2"
                    ))
                    .bind(id.to_string())
                    .bind(partner.to_string())
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(outbox_from).transpose()
                }

                async fn open_changes(
                    &self,
                    partner: PartnerId,
                    subscriptions: &[SubscriptionId],
                ) -> StoreResult<Vec<OutboxEntry>> {
                    if subscriptions.is_empty() {
                        return Ok(Vec::new());
                    }
                    let mut q = sqlx::QueryBuilder::<Db>::new(format!(
                        "SELECT {OUTBOX_COLUMNS} FROM partner_center_outbox WHERE state IN ('pending', 'failed') AND partner_id = "
                    ));
                    q.push_bind(partner.to_string());
                    q.push(" AND subscription_id IN (");
                    let mut ids = q.separated(", ");
                    for id in subscriptions {
                        ids.push_bind(id.to_string());
                    }
                    q.push(")");
                    let rows = q.build().fetch_all(self.reader()).await?;
                    rows.iter().map(outbox_from).collect()
                }

                async fn due_changes(&self, now: i64, limit: u32) -> StoreResult<Vec<(PartnerId, Uuid)>> {
                    due_in(self, "partner_center_outbox", now, limit).await
                }

                async fn lease_change(&self, id: Uuid, now: i64, until: i64) -> StoreResult<bool> {
                    lease_in(self, "partner_center_outbox", id, now, until).await
                }

                async fn change_unanswered(
                    &self,
                    id: Uuid,
                    attempts: u32,
                    next_attempt_at: i64,
                    error: &str,
                    failed: bool,
                ) -> StoreResult<()> {
                    unanswered_in(self, "partner_center_outbox", id, attempts, next_attempt_at, error, failed).await
                }

                async fn change_confirmed(
                    &self,
                    e: &OutboxEntry,
                    at: &str,
                ) -> StoreResult<UpdateOutcome> {
                    let mut tx = self.begin_write().await?;
                    let closed = sqlx::query(
                        "UPDATE partner_center_outbox SET state = 'done', finished_at = $1, lease_until = 0, \
                         attempts = attempts + 1 WHERE id = $2 AND state IN ('pending', 'failed')",
                    )
                    .bind(at)
                    .bind(e.id.to_string())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let current = fetch_subscription(&mut tx, e.partner_id, e.subscription_id).await?;
                    let Some(current) = current else {
                        tx.rollback().await?;
                        return Ok(UpdateOutcome::NotFound);
                    };
                    if closed == 0 || current.version != e.expected_version {
                        // Closed already (another attempt's answer came first), or the
                        // subscription moved on (a renewal): the caller brings it in step.
                        tx.commit().await?;
                        return Ok(UpdateOutcome::Conflict(current));
                    }
                    let event = NewEvent {
                        agent_id: e.agent_id,
                        agent_email: e.agent_email.clone(),
                        at: at.to_owned(),
                        action: e.action,
                        before: Some(e.planned.before.clone()),
                        after: e.planned.after.clone(),
                        source: Some(format!("Partner Center, request {}", e.id)),
                        refund_cents: e.planned.refund_cents,
                    };
                    let outcome = update_in_tx(
                        &mut tx,
                        e.partner_id,
                        e.subscription_id,
                        e.expected_version,
                        &e.planned.after,
                        &e.planned.seat_batches,
                        &event,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn change_closed(
                    &self,
                    id: Uuid,
                    state: OutboxState,
                    error: Option<&str>,
                    at: &str,
                    unleased_at: Option<i64>,
                ) -> StoreResult<bool> {
                    closed_in(self, "partner_center_outbox", id, state, error, at, unleased_at).await
                }

                async fn change_reopened(&self, id: Uuid, now: i64) -> StoreResult<bool> {
                    reopened_in(self, "partner_center_outbox", id, now).await
                }

                async fn pending_count(&self) -> StoreResult<u64> {
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n FROM partner_center_outbox WHERE state = 'pending'",
                    )
                    .fetch_one(self.reader())
                    .await?;
                    Ok(u64::try_from(row.int("n")?).unwrap_or(0))
                }

                async fn mark_missing(
                    &self,
                    partner: PartnerId,
                    subscriptions: &[SubscriptionId],
                    at: Option<&str>,
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    for chunk in subscriptions.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(
                            "UPDATE subscriptions SET missing_at_partner_center = ",
                        );
                        q.push_bind(at.map(str::to_owned));
                        q.push(" WHERE customer_id IN (SELECT id FROM customers WHERE partner_id = ");
                        q.push_bind(partner.to_string());
                        q.push(") AND id IN (");
                        let mut ids = q.separated(", ");
                        for id in chunk {
                            ids.push_bind(id.to_string());
                        }
                        q.push(")");
                        q.build().execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use partner_center_sql;
