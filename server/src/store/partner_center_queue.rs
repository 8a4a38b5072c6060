//! What a partner has waiting for Microsoft, and what Microsoft lately refused, across all its
//! customers: the Activity page's "Waiting for Microsoft" (read only; the writes are the
//! outbox's, `partner_center`, and the orders', `partner_center_orders`).

use async_trait::async_trait;

use super::*;
use crate::store::partner_center::OutboxEntry;
use crate::store::partner_center_orders::OrderEntry;

#[async_trait]
pub trait PartnerCenterQueueStore: Send + Sync {
    /// The partner's open changes, and those refused since `refused_since` (RFC 3339),
    /// oldest first; at most `limit`.
    async fn queued_changes(
        &self,
        partner: PartnerId,
        refused_since: &str,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEntry>>;
    /// The same of its orders.
    async fn queued_orders(
        &self,
        partner: PartnerId,
        refused_since: &str,
        limit: u32,
    ) -> StoreResult<Vec<OrderEntry>>;
}

/// The SQL of [`PartnerCenterQueueStore`].
macro_rules! partner_center_queue_sql {
    ($store:ty, $conn:ty) => {
        mod partner_center_queue_sql {
            use super::sql_common::*;
            use super::*;
            use crate::store::partner_center::{OUTBOX_COLUMNS, OutboxEntry, outbox_from};
            use crate::store::partner_center_orders::{ORDER_COLUMNS, OrderEntry, order_from};

            /// Open, or refused lately.
            const QUEUED: &str = "partner_id = $1 AND (state IN ('pending', 'failed') \
                 OR (state = 'refused' AND finished_at >= $2)) ORDER BY created_at, id LIMIT $3";

            #[async_trait]
            impl crate::store::partner_center_queue::PartnerCenterQueueStore for $store {
                async fn queued_changes(
                    &self,
                    partner: PartnerId,
                    refused_since: &str,
                    limit: u32,
                ) -> StoreResult<Vec<OutboxEntry>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {OUTBOX_COLUMNS} FROM partner_center_outbox WHERE {QUEUED}"
                    ))
                    .bind(partner.to_string())
                    .bind(refused_since)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(outbox_from).collect()
                }

                async fn queued_orders(
                    &self,
                    partner: PartnerId,
                    refused_since: &str,
                    limit: u32,
                ) -> StoreResult<Vec<OrderEntry>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {ORDER_COLUMNS} FROM partner_center_orders WHERE {QUEUED}"
                    ))
                    .bind(partner.to_string())
                    .bind(refused_since)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(order_from).collect()
                }
            }
        }
    };
}

pub(crate) use partner_center_queue_sql;
