//! A connected partner's orders on their way through Partner Center (cart → checkout →
//! provisioning), as the store keeps them: one row each, keyed by the agent's
//! `Idempotency-Key` so that a retried request is the same order.
//!
//! [`PartnerCenterOrderStore`] is the interface; `partner_center_orders_sql!` writes its SQL
//! once for both databases.

use async_trait::async_trait;
use shared::api::OrderStage;

use super::*;
use crate::store::partner_center::OutboxState;

/// An order for Partner Center, as the store holds it.
#[derive(Clone, Debug)]
pub struct OrderEntry {
    pub id: Uuid,
    pub partner_id: PartnerId,
    pub customer_id: CustomerId,
    pub offer_id: OfferId,
    pub quantity: u32,
    pub idempotency_key: String,
    pub fingerprint: String,
    /// The `MS-RequestId` of every attempt to create its cart, and of every checkout of it
    /// (both new when an expired cart is replaced: a new cart is another request).
    pub cart_request_id: Uuid,
    pub checkout_request_id: Uuid,
    pub cart_id: Option<String>,
    /// A checkout was sent (its answer may have been lost): the cart is looked up first.
    pub checkout_sent: bool,
    pub order_id: Option<String>,
    pub subscription_id: Option<SubscriptionId>,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub agent_id: Option<AgentId>,
    pub agent_email: String,
    pub created_at: String,
}

impl OrderEntry {
    pub fn stage(&self) -> OrderStage {
        match (&self.cart_id, &self.order_id) {
            (None, _) => OrderStage::Cart,
            (Some(_), None) => OrderStage::Checkout,
            (Some(_), Some(_)) => OrderStage::Provisioning,
        }
    }
}

/// What Partner Center has answered so far, written after each step.
#[derive(Clone, Debug)]
pub struct OrderProgress {
    pub cart_request_id: Uuid,
    pub checkout_request_id: Uuid,
    pub cart_id: Option<String>,
    pub checkout_sent: bool,
    pub order_id: Option<String>,
}

pub enum EnqueueOrderOutcome {
    Enqueued,
    /// An order with this key exists (the caller compares its fingerprint).
    Existing(Box<OrderEntry>),
}

#[async_trait]
pub trait PartnerCenterOrderStore: Send + Sync {
    /// Writes a new order, unless one with its idempotency key exists.
    async fn enqueue_order(&self, entry: &OrderEntry) -> StoreResult<EnqueueOrderOutcome>;
    async fn order_entry(&self, partner: PartnerId, id: Uuid) -> StoreResult<Option<OrderEntry>>;
    /// The order made through Partner Center with this Idempotency-Key, whatever became of it.
    async fn order_with_key(
        &self,
        partner: PartnerId,
        key: &str,
    ) -> StoreResult<Option<OrderEntry>>;
    /// The subscription an order with this key made, here or through Partner Center, and the
    /// order's fingerprint.
    async fn subscription_with_key(
        &self,
        partner: PartnerId,
        key: &str,
    ) -> StoreResult<Option<(String, SubscriptionId)>>;
    /// The customer's orders still waiting (pending or failed), oldest first.
    async fn open_orders(
        &self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Vec<OrderEntry>>;
    async fn due_orders(&self, now: i64, limit: u32) -> StoreResult<Vec<(PartnerId, Uuid)>>;
    /// Takes a pending order for one attempt; false if another holds it or it is closed.
    async fn lease_order(&self, id: Uuid, now: i64, until: i64) -> StoreResult<bool>;
    async fn order_progressed(&self, id: Uuid, progress: &OrderProgress) -> StoreResult<()>;
    async fn order_unanswered(
        &self,
        id: Uuid,
        attempts: u32,
        next_attempt_at: i64,
        error: &str,
        failed: bool,
    ) -> StoreResult<()>;
    /// Refused or discarded (from pending or failed only): false if it was closed already.
    /// `unleased_at`: only if no attempt holds it at that time (an agent's discard must not
    /// close what an attempt in flight may be confirming).
    async fn order_closed(
        &self,
        id: Uuid,
        state: OutboxState,
        error: Option<&str>,
        at: &str,
        unleased_at: Option<i64>,
    ) -> StoreResult<bool>;
    async fn order_reopened(&self, id: Uuid, now: i64) -> StoreResult<bool>;
    /// Microsoft created the subscription: in one transaction the order is done, the
    /// subscription is written (unless a sync brought it in first) with its "created" event,
    /// and the idempotency key points at it. Answers the subscription as it now is.
    async fn order_completed(
        &self,
        entry: &OrderEntry,
        subscription: NewSubscription,
        event: NewEvent,
    ) -> StoreResult<Option<Subscription>>;
}

pub(super) const ORDER_COLUMNS: &str = "id, partner_id, customer_id, offer_id, quantity, \
     idempotency_key, fingerprint, cart_request_id, checkout_request_id, cart_id, checkout_sent, order_id, \
     subscription_id, state, attempts, next_attempt_at, last_error, agent_id, agent_email, created_at";

pub(super) fn order_from(row: &impl rows::ReadRow) -> StoreResult<OrderEntry> {
    let bad = |column: &str| StoreError::new(format!("unreadable {column} of an order"));
    let uuid =
        |column: &str| -> StoreResult<Uuid> { row.text(column)?.parse().map_err(|_| bad(column)) };
    Ok(OrderEntry {
        id: uuid("id")?,
        partner_id: PartnerId(uuid("partner_id")?),
        customer_id: CustomerId(uuid("customer_id")?),
        offer_id: OfferId(row.text("offer_id")?),
        quantity: u32::try_from(row.int("quantity")?).map_err(|_| bad("quantity"))?,
        idempotency_key: row.text("idempotency_key")?,
        fingerprint: row.text("fingerprint")?,
        cart_request_id: uuid("cart_request_id")?,
        checkout_request_id: uuid("checkout_request_id")?,
        cart_id: row.optional_text("cart_id")?,
        checkout_sent: row.int("checkout_sent")? != 0,
        order_id: row.optional_text("order_id")?,
        subscription_id: row
            .optional_text("subscription_id")?
            .map(|t| t.parse().map_err(|_| bad("subscription_id")))
            .transpose()?,
        state: OutboxState::parse(&row.text("state")?).ok_or_else(|| bad("state"))?,
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: row.int("next_attempt_at")?,
        last_error: row.optional_text("last_error")?,
        agent_id: row
            .optional_text("agent_id")?
            .map(|t| t.parse().map_err(|_| bad("agent_id")))
            .transpose()?,
        agent_email: row.text("agent_email")?,
        created_at: row.text("created_at")?,
    })
}

/// The SQL of [`PartnerCenterOrderStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! partner_center_orders_sql {
    ($store:ty, $conn:ty) => {
        mod partner_center_orders_sql {
            use super::sql_common::*;
            use super::sql_helpers::*;
            use super::*;
            use crate::store::partner_center::OutboxState;
            use crate::store::partner_center_orders::{
                EnqueueOrderOutcome, ORDER_COLUMNS, OrderEntry, OrderProgress, order_from,
            };
            use uuid::Uuid;

            #[async_trait]
            impl crate::store::partner_center_orders::PartnerCenterOrderStore for $store {
                async fn enqueue_order(&self, e: &OrderEntry) -> StoreResult<EnqueueOrderOutcome> {
                    let written = sqlx::query(
                        "INSERT INTO partner_center_orders (id, partner_id, customer_id, offer_id, quantity, \
                         idempotency_key, fingerprint, cart_request_id, checkout_request_id, state, next_attempt_at, \
                         agent_id, agent_email, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12, $13) \
                         ON CONFLICT (partner_id, idempotency_key) DO NOTHING",
                    )
                    .bind(e.id.to_string())
                    .bind(e.partner_id.to_string())
                    .bind(e.customer_id.to_string())
                    .bind(&e.offer_id.0)
                    .bind(i64::from(e.quantity))
                    .bind(&e.idempotency_key)
                    .bind(&e.fingerprint)
                    .bind(e.cart_request_id.to_string())
                    .bind(e.checkout_request_id.to_string())
                    .bind(e.next_attempt_at)
                    .bind(e.agent_id.map(|a| a.to_string()))
                    .bind(&e.agent_email)
                    .bind(&e.created_at)
                    .execute(self.writer())
                    .await?
                    .rows_affected();
                    if written == 1 {
                        return Ok(EnqueueOrderOutcome::Enqueued);
                    }
                    let row = sqlx::query(&format!(
                        "SELECT {ORDER_COLUMNS} FROM partner_center_orders WHERE partner_id = $1 AND idempotency_key = $2"
                    ))
                    .bind(e.partner_id.to_string())
                    .bind(&e.idempotency_key)
                    .fetch_one(self.writer())
                    .await?;
                    Ok(EnqueueOrderOutcome::Existing(Box::new(order_from(&row)?)))
                }

                async fn order_entry(
                    &self,
                    partner: PartnerId,
                    id: Uuid,
                ) -> StoreResult<Option<OrderEntry>> {
                    let row = sqlx::query(&format!(
                        "SELECT {ORDER_COLUMNS} FROM partner_center_orders WHERE id = $1 AND partner_id = $2"
                    ))
                    .bind(id.to_string())
                    .bind(partner.to_string())
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(order_from).transpose()
                }

                async fn order_with_key(
                    &self,
                    partner: PartnerId,
                    key: &str,
                ) -> StoreResult<Option<OrderEntry>> {
                    let row = sqlx::query(&format!(
                        "SELECT {ORDER_COLUMNS} FROM partner_center_orders WHERE partner_id = $1 AND idempotency_key = $2"
                    ))
                    .bind(partner.to_string())
                    .bind(key)
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(order_from).transpose()
                }

                async fn subscription_with_key(
                    &self,
                    partner: PartnerId,
                    key: &str,
                ) -> StoreResult<Option<(String, SubscriptionId)>> {
                    let row = sqlx::query(
                        "SELECT fingerprint, subscription_id FROM idempotency_keys WHERE partner_id = $1 AND key = $2",
                    )
                    .bind(partner.to_string())
                    .bind(key)
                    .fetch_optional(self.reader())
                    .await?;
                    row.map(|r| Ok((r.text("fingerprint")?, parsed(&r, "subscription_id")?)))
                        .transpose()
                }

                async fn open_orders(
                    &self,
                    partner: PartnerId,
                    customer: CustomerId,
                ) -> StoreResult<Vec<OrderEntry>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {ORDER_COLUMNS} FROM partner_center_orders WHERE partner_id = $1 \
                         AND customer_id = $2 AND state IN ('pending', 'failed') ORDER BY created_at, id"
                    ))
                    .bind(partner.to_string())
                    .bind(customer.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(order_from).collect()
                }

                async fn due_orders(&self, now: i64, limit: u32) -> StoreResult<Vec<(PartnerId, Uuid)>> {
                    super::partner_center_sql::due_in(self, "partner_center_orders", now, limit).await
                }

                async fn lease_order(&self, id: Uuid, now: i64, until: i64) -> StoreResult<bool> {
                    super::partner_center_sql::lease_in(self, "partner_center_orders", id, now, until).await
                }

                async fn order_progressed(&self, id: Uuid, p: &OrderProgress) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE partner_center_orders SET cart_id = $1, checkout_sent = $2, order_id = $3, \
                         cart_request_id = $5, checkout_request_id = $6 WHERE id = $4 AND state = 'pending'",
                    )
                    .bind(p.cart_id.as_deref())
                    .bind(i64::from(p.checkout_sent))
                    .bind(p.order_id.as_deref())
                    .bind(id.to_string())
                    .bind(p.cart_request_id.to_string())
                    .bind(p.checkout_request_id.to_string())
                    .execute(self.writer())
                    .await?;
                    Ok(())
                }

                async fn order_unanswered(
                    &self,
                    id: Uuid,
                    attempts: u32,
                    next_attempt_at: i64,
                    error: &str,
                    failed: bool,
                ) -> StoreResult<()> {
                    super::partner_center_sql::unanswered_in(self, "partner_center_orders", id, attempts, next_attempt_at, error, failed).await
                }

                async fn order_closed(
                    &self,
                    id: Uuid,
                    state: OutboxState,
                    error: Option<&str>,
                    at: &str,
                    unleased_at: Option<i64>,
                ) -> StoreResult<bool> {
                    super::partner_center_sql::closed_in(self, "partner_center_orders", id, state, error, at, unleased_at).await
                }

                async fn order_reopened(&self, id: Uuid, now: i64) -> StoreResult<bool> {
                    super::partner_center_sql::reopened_in(self, "partner_center_orders", id, now).await
                }

                async fn order_completed(
                    &self,
                    e: &OrderEntry,
                    subscription: NewSubscription,
                    event: NewEvent,
                ) -> StoreResult<Option<Subscription>> {
                    let mut tx = self.begin_write().await?;
                    let closed = sqlx::query(
                        "UPDATE partner_center_orders SET state = 'done', subscription_id = $1, finished_at = $2, \
                         lease_until = 0, attempts = attempts + 1 WHERE id = $3 AND state IN ('pending', 'failed')",
                    )
                    .bind(subscription.id.to_string())
                    .bind(&event.at)
                    .bind(e.id.to_string())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if closed == 1 {
                        // A sync may have brought the new subscription in already.
                        if fetch_subscription(&mut tx, e.partner_id, subscription.id)
                            .await?
                            .is_none()
                        {
                            insert_subscription(&mut tx, &subscription).await?;
                            insert_event(&mut tx, e.partner_id, subscription.id, &event).await?;
                        }
                        sqlx::query(
                            "INSERT INTO idempotency_keys (partner_id, key, fingerprint, subscription_id, created_at) \
                             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partner_id, key) DO NOTHING",
                        )
                        .bind(e.partner_id.to_string())
                        .bind(&e.idempotency_key)
                        .bind(&e.fingerprint)
                        .bind(subscription.id.to_string())
                        .bind(&event.at)
                        .execute(&mut *tx)
                        .await?;
                    }
                    let sub = fetch_subscription(&mut tx, e.partner_id, subscription.id).await?;
                    tx.commit().await?;
                    Ok(sub)
                }
            }
        }
    };
}

pub(crate) use partner_center_orders_sql;
