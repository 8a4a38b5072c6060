//! The audit trail: the partner's activity log and each subscription's events.
//!
//! [`EventStore`] is the interface; `events_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait EventStore: Send + Sync {
    /// A page of customers whose name or domain contains `search` (any case), or whose id is
    /// `search`, ordered by name. Counts stop past [`SEARCH_LIMIT`].
    /// Up to `limit` entries of the partner's activity log that pass `filter`, newest first.
    async fn activity(
        &self,
        partner: PartnerId,
        filter: &ActivityFilter,
        limit: u32,
    ) -> StoreResult<Vec<ActivityEntry>>;
    /// A subscription's audit trail, oldest first: all of it, or with `page` the `limit`
    /// latest changes before `before` (and the `before` of the older ones, if any).
    async fn subscription_events(
        &self,
        partner: PartnerId,
        id: SubscriptionId,
        page: Option<shared::api::EventsRequest>,
    ) -> StoreResult<shared::api::EventPage>;
    /// The audit trails of `subscriptions` (the partner's) before `until` (RFC 3339), by
    /// subscription, each oldest first: what a statement is worked out from.
    async fn events_before(
        &self,
        partner: PartnerId,
        subscriptions: &[SubscriptionId],
        until: &str,
    ) -> StoreResult<Vec<shared::api::SubscriptionEvent>>;
}

/// The SQL of [`EventStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! events_sql {
    ($store:ty, $conn:ty) => {
        mod events_sql {
            use super::sql_common::*;
            use super::*;

            #[async_trait]
            impl crate::store::events::EventStore for $store {
                async fn activity(
                    &self,
                    partner: PartnerId,
                    filter: &ActivityFilter,
                    limit: u32,
                ) -> StoreResult<Vec<ActivityEntry>> {
                    // Only the filters given, so each database picks the index that fits them:
                    // by partner and time, by action, by agent, or a customer's subscriptions.
                    let mut q = sqlx::QueryBuilder::<Db>::new(
                        "SELECT e.*, s.customer_id, c.name AS customer_name, o.name AS offer_name ",
                    );
                    if let Some(customer) = filter.customer {
                        // From the customer's few subscriptions to their events (SQLite keeps a
                        // CROSS JOIN's order; PostgreSQL's statistics find it anyway), not
                        // through all the partner's events of the period.
                        q.push(
                            "FROM subscriptions s CROSS JOIN subscription_events e \
                             JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id \
                             WHERE e.subscription_id = s.id AND s.customer_id = ",
                        )
                        .push_bind(customer.to_string())
                        // The customer's partner, not the events': the partner's events by
                        // time would otherwise look like the better index.
                        .push(" AND c.partner_id = ");
                    } else {
                        q.push(
                            "FROM subscription_events e JOIN subscriptions s ON s.id = e.subscription_id \
                             JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id \
                             WHERE e.partner_id = ",
                        );
                    }
                    q.push_bind(partner.to_string());
                    q.push(" AND e.at >= ").push_bind(filter.from.clone());
                    // One upper bound, so the index starts there: the period's end, or the
                    // cursor when a later page starts before it.
                    let end = filter.end_text();
                    match &filter.before {
                        Some(before) if before.at < end => {
                            q.push(" AND e.at <= ").push_bind(before.at.clone());
                        }
                        _ => {
                            q.push(" AND e.at < ").push_bind(end);
                        }
                    }
                    match filter.agent {
                        None => {}
                        Some(ActivityAgent::Agent(id)) => {
                            q.push(" AND e.agent_id = ").push_bind(id.to_string());
                        }
                        Some(ActivityAgent::Renewal) => {
                            q.push(" AND e.agent_id IS NULL AND e.agent_email = ")
                                .push_bind(shared::api::RENEWAL_ACTOR);
                        }
                        Some(ActivityAgent::Import) => {
                            q.push(" AND e.agent_id IS NULL AND e.agent_email = ")
                                .push_bind(shared::api::IMPORT_ACTOR);
                        }
                    }
                    if let Some(action) = filter.action {
                        q.push(" AND e.action = ").push_bind(action.as_str());
                    }
                    if let Some(before) = &filter.before {
                        q.push(" AND (e.at, e.id) < (")
                            .push_bind(before.at.clone())
                            .push(", ")
                            .push_bind(before.id)
                            .push(")");
                    }
                    q.push(" ORDER BY e.at DESC, e.id DESC LIMIT ")
                        .push_bind(i64::from(limit));
                    let rows = q.build().fetch_all(self.reader()).await?;
                    rows.iter()
                        .map(|row| {
                            Ok(ActivityEntry {
                                event: event_from(row)?,
                                customer_id: parsed(row, "customer_id")?,
                                customer_name: row.text("customer_name")?,
                                offer_name: row.text("offer_name")?,
                            })
                        })
                        .collect()
                }

                async fn subscription_events(
                    &self,
                    partner: PartnerId,
                    id: SubscriptionId,
                    page: Option<shared::api::EventsRequest>,
                ) -> StoreResult<shared::api::EventPage> {
                    let Some(page) = page else {
                        let rows = sqlx::query(
                            "SELECT * FROM subscription_events WHERE partner_id = $1 AND subscription_id = $2 ORDER BY id",
                        )
                        .bind(partner.to_string())
                        .bind(id.to_string())
                        .fetch_all(self.reader())
                        .await?;
                        let items = rows.iter().map(event_from).collect::<StoreResult<_>>()?;
                        return Ok(shared::api::EventPage {
                            items,
                            earlier: None,
                        });
                    };
                    // Newest first from the (subscription, id) index, one more than asked to know
                    // whether older ones exist; then turned back into time order.
                    let rows = sqlx::query(
                        "SELECT * FROM subscription_events WHERE partner_id = $1 AND subscription_id = $2 \
                         AND id < $3 ORDER BY id DESC LIMIT $4",
                    )
                    .bind(partner.to_string())
                    .bind(id.to_string())
                    .bind(page.before.unwrap_or(i64::MAX))
                    .bind(i64::from(page.limit) + 1)
                    .fetch_all(self.reader())
                    .await?;
                    let mut items: Vec<SubscriptionEvent> =
                        rows.iter().map(event_from).collect::<StoreResult<_>>()?;
                    let more = items.len() > page.limit as usize;
                    items.truncate(page.limit as usize);
                    items.reverse();
                    let earlier = if more {
                        items.first().map(|e| e.id)
                    } else {
                        None
                    };
                    Ok(shared::api::EventPage { items, earlier })
                }

                async fn events_before(
                    &self,
                    partner: PartnerId,
                    subscriptions: &[SubscriptionId],
                    until: &str,
                ) -> StoreResult<Vec<SubscriptionEvent>> {
                    if subscriptions.is_empty() {
                        return Ok(Vec::new());
                    }
                    // By the (subscription, id) index: `partner_id || ''` keeps both databases
                    // off the partner-and-time index, which would read every event of the
                    // partner before `until` for each chunk of subscriptions.
                    let mut q = sqlx::QueryBuilder::<Db>::new(
                        "SELECT * FROM subscription_events WHERE partner_id || '' = ",
                    );
                    q.push_bind(partner.to_string());
                    q.push(" AND at < ").push_bind(until.to_owned());
                    q.push(" AND subscription_id IN (");
                    let mut ids = q.separated(", ");
                    for id in subscriptions {
                        ids.push_bind(id.to_string());
                    }
                    q.push(") ORDER BY subscription_id, at, id");
                    let rows = q.build().fetch_all(self.reader()).await?;
                    rows.iter().map(event_from).collect()
                }
            }
        }
    };
}

pub(crate) use events_sql;
