//! Subscriptions: reading them, renewals and the end of terms, changes and orders.
//!
//! [`SubscriptionStore`] is the interface; `subscriptions_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait SubscriptionStore: Send + Sync {
    /// Up to `limit` of the partner's subscriptions (but deleted ones) after `after` (a
    /// customer's sort key and id, and a subscription id; `None`: from the first), ordered by
    /// customer name: for the export, chunk by chunk.
    async fn subscriptions_after(
        &self,
        partner: PartnerId,
        after: Option<(&str, CustomerId, SubscriptionId)>,
        limit: u32,
    ) -> StoreResult<Vec<(String, Subscription)>>;
    async fn customer_subscriptions(
        &self,
        partner: PartnerId,
        id: CustomerId,
    ) -> StoreResult<Vec<Subscription>>;
    async fn subscription(
        &self,
        partner: PartnerId,
        id: SubscriptionId,
    ) -> StoreResult<Option<Subscription>>;
    /// Partner-bought, live (active or suspended) subscriptions whose term ends between `from`
    /// and `to` (`YYYY-MM-DD`, both included), soonest first.
    async fn renewals(
        &self,
        partner: PartnerId,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<Subscription>>;
    /// Every partner's subscriptions that the end of a term may have moved on at `now`: live
    /// ones whose end date is before `today`, Expired ones since `expired_before`, Disabled ones
    /// since `disabled_before` (RFC 3339). A superset: `shared::lifecycle` decides.
    async fn lifecycle_candidates(
        &self,
        today: &str,
        expired_before: &str,
        disabled_before: &str,
    ) -> StoreResult<Vec<(PartnerId, SubscriptionId)>>;
    /// Writes `after` (seats, status, auto-renew, end date, term, scheduled change), the seat
    /// batches and the event iff the subscription is still at `expected_version`; a new status
    /// is dated by the event.
    async fn update_subscription(
        &self,
        partner: PartnerId,
        id: SubscriptionId,
        expected_version: u64,
        after: SubscriptionSnapshot,
        seat_batches: Vec<SeatBatch>,
        event: NewEvent,
    ) -> StoreResult<UpdateOutcome>;
    /// Inserts the subscription, its idempotency key and its event atomically, or answers
    /// with what the key already stands for.
    async fn create_subscription(
        &self,
        partner: PartnerId,
        subscription: NewSubscription,
        claim: IdempotencyClaim,
        event: NewEvent,
    ) -> StoreResult<OrderOutcome>;
}

/// The SQL of [`SubscriptionStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! subscriptions_sql {
    ($store:ty, $conn:ty) => {
        mod subscriptions_sql {
            use super::sql_common::*;
            use super::sql_helpers::*;
            use super::*;

            #[async_trait]
            impl crate::store::subscriptions::SubscriptionStore for $store {
                async fn subscriptions_after(
                    &self,
                    partner: PartnerId,
                    after: Option<(&str, CustomerId, SubscriptionId)>,
                    limit: u32,
                ) -> StoreResult<Vec<(String, Subscription)>> {
                    let (sort_key, customer, id) = after
                        .map(|(k, c, s)| (k.to_owned(), c.to_string(), s.to_string()))
                        .unwrap_or_default();
                    // Customers first, in name order from the index (the pair bound lets it
                    // start at the cursor), each one's few subscriptions sorted after.
                    let rows = sqlx::query(&format!(
                        "SELECT c.sort_key AS cursor_key, {SUBSCRIPTION_COLUMNS} WHERE c.partner_id = $1 AND s.status <> 'deleted' \
                         AND (c.sort_key, c.id) >= ($2, $3) AND (c.sort_key, c.id, s.id) > ($2, $3, $4) \
                         ORDER BY c.sort_key, c.id, s.id LIMIT $5"
                    ))
                    .bind(partner.to_string())
                    .bind(sort_key)
                    .bind(customer)
                    .bind(id)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter()
                        .map(|r| Ok((r.text("cursor_key")?, subscription_from(r)?)))
                        .collect()
                }

                async fn customer_subscriptions(
                    &self,
                    partner: PartnerId,
                    id: CustomerId,
                ) -> StoreResult<Vec<Subscription>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {SUBSCRIPTION_COLUMNS} WHERE c.partner_id = $1 AND c.id = $2 \
                         AND s.status <> 'deleted' \
                         ORDER BY CASE WHEN s.status IN ('active', 'suspended') THEN 0 ELSE 1 END, o.name, s.created_at, s.id"
                    ))
                    .bind(partner.to_string())
                    .bind(id.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    let mut subs: Vec<Subscription> = rows
                        .iter()
                        .map(subscription_from)
                        .collect::<StoreResult<_>>()?;
                    let batches = sqlx::query(
                        "SELECT b.subscription_id, b.quantity, b.added_at FROM seat_batches b \
                         JOIN subscriptions s ON s.id = b.subscription_id WHERE s.customer_id = $1 ORDER BY b.added_at",
                    )
                    .bind(id.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    for row in &batches {
                        let of: SubscriptionId = parsed(row, "subscription_id")?;
                        if let Some(sub) = subs.iter_mut().find(|s| s.id == of) {
                            sub.seat_batches.push(seat_batch_from(row)?);
                        }
                    }
                    Ok(subs)
                }

                async fn subscription(
                    &self,
                    partner: PartnerId,
                    id: SubscriptionId,
                ) -> StoreResult<Option<Subscription>> {
                    let mut conn = self.reader().acquire().await?;
                    fetch_subscription(&mut conn, partner, id).await
                }

                async fn renewals(
                    &self,
                    partner: PartnerId,
                    from: &str,
                    to: &str,
                ) -> StoreResult<Vec<Subscription>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {SUBSCRIPTION_COLUMNS} \
                         WHERE c.partner_id = $1 AND s.channel = 'partner' \
                         AND s.status IN ('active', 'suspended') AND s.commitment_end >= $2 AND s.commitment_end <= $3 \
                         ORDER BY s.commitment_end, c.sort_key, s.id"
                    ))
                    .bind(partner.to_string())
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(subscription_from).collect()
                }

                async fn lifecycle_candidates(
                    &self,
                    today: &str,
                    expired_before: &str,
                    disabled_before: &str,
                ) -> StoreResult<Vec<(PartnerId, SubscriptionId)>> {
                    let rows = sqlx::query(
                        "SELECT c.partner_id, s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id \
                         WHERE (s.status IN ('active', 'suspended') AND s.commitment_end < $1) \
                         OR (s.status = 'expired' AND COALESCE(s.status_since, s.commitment_end) <= $2) \
                         OR (s.status = 'disabled' AND COALESCE(s.status_since, s.commitment_end) <= $3) \
                         ORDER BY s.commitment_end, s.id",
                    )
                    .bind(today)
                    .bind(expired_before)
                    .bind(disabled_before)
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter()
                        .map(|row| Ok((parsed(row, "partner_id")?, parsed(row, "id")?)))
                        .collect()
                }

                async fn update_subscription(
                    &self,
                    partner: PartnerId,
                    id: SubscriptionId,
                    expected_version: u64,
                    after: SubscriptionSnapshot,
                    seat_batches: Vec<SeatBatch>,
                    event: NewEvent,
                ) -> StoreResult<UpdateOutcome> {
                    let mut tx = self.begin_write().await?;
                    let outcome = update_in_tx(
                        &mut tx,
                        partner,
                        id,
                        expected_version,
                        &after,
                        &seat_batches,
                        &event,
                    )
                    .await?;
                    match outcome {
                        UpdateOutcome::Updated(_) => tx.commit().await?,
                        _ => tx.rollback().await?,
                    }
                    Ok(outcome)
                }

                async fn create_subscription(
                    &self,
                    partner: PartnerId,
                    subscription: NewSubscription,
                    claim: IdempotencyClaim,
                    event: NewEvent,
                ) -> StoreResult<OrderOutcome> {
                    let mut tx = self.begin_write().await?;
                    insert_subscription(&mut tx, &subscription).await?;
                    // Claims the key; a racing order with the same key makes this wait for it (on
                    // PostgreSQL; SQLite writes one at a time) and then insert nothing.
                    let claimed = sqlx::query(
                        "INSERT INTO idempotency_keys (partner_id, key, fingerprint, subscription_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partner_id, key) DO NOTHING",
                    )
                    .bind(partner.to_string())
                    .bind(&claim.key)
                    .bind(&claim.fingerprint)
                    .bind(subscription.id.to_string())
                    .bind(&event.at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if claimed == 0 {
                        // Someone ordered with this key first: undo our insert and answer with theirs.
                        tx.rollback().await?;
                        let mut conn = self.reader().acquire().await?;
                        let row = sqlx::query(
                            "SELECT fingerprint, subscription_id FROM idempotency_keys WHERE partner_id = $1 AND key = $2",
                        )
                        .bind(partner.to_string())
                        .bind(&claim.key)
                        .fetch_one(&mut *conn)
                        .await?;
                        let fingerprint: String = row.try_get("fingerprint")?;
                        if fingerprint != claim.fingerprint {
                            return Ok(OrderOutcome::KeyReused);
                        }
                        let first: SubscriptionId = parsed(&row, "subscription_id")?;
                        let sub = fetch_subscription(&mut conn, partner, first)
                            .await?
                            .ok_or_else(|| {
                                StoreError::new("idempotency key without its subscription")
                            })?;
                        return Ok(OrderOutcome::Replayed(sub));
                    }
                    insert_event(&mut tx, partner, subscription.id, &event).await?;
                    let sub = fetch_subscription(&mut tx, partner, subscription.id)
                        .await?
                        .ok_or_else(|| StoreError::new("new subscription not readable"))?;
                    tx.commit().await?;
                    Ok(OrderOutcome::Created(sub))
                }
            }
        }
    };
}

pub(crate) use subscriptions_sql;
