//! Imports from Partner Center's exports: what exists already, and writing a file's lines.
//!
//! [`ImportStore`] is the interface; `imports_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait ImportStore: Send + Sync {
    async fn customer_keys(&self, partner: PartnerId) -> StoreResult<Vec<NewCustomer>>;
    async fn subscription_keys(&self, partner: PartnerId) -> StoreResult<Vec<SubscriptionKey>>;
    /// Of `ids`, those that exist under another partner.
    async fn owned_elsewhere(
        &self,
        partner: PartnerId,
        table: Owned,
        ids: &[String],
    ) -> StoreResult<HashSet<String>>;
    async fn import_customers(&self, partner: PartnerId, rows: &[NewCustomer]) -> StoreResult<()>;
    /// Writes an import's new and changed subscriptions, each with its audit event (by
    /// `by`: an import file, or a Partner Center sync; at `at`), in one transaction: all of them,
    /// or (one changed since it was read) none, with an error that says so.
    async fn import_subscriptions(
        &self,
        partner: PartnerId,
        rows: &[ImportedSubscription],
        at: &str,
        by: ImportedBy,
    ) -> StoreResult<()>;
}

/// The SQL of [`ImportStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! imports_sql {
    ($store:ty, $conn:ty) => {
        mod imports_sql {
            use super::sql_common::*;
            use super::sql_helpers::*;
            use super::*;

            #[async_trait]
            impl crate::store::imports::ImportStore for $store {
                async fn customer_keys(&self, partner: PartnerId) -> StoreResult<Vec<NewCustomer>> {
                    let rows = sqlx::query(
                        "SELECT id, name, domain, created_at FROM customers WHERE partner_id = $1",
                    )
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(NewCustomer {
                                id: parsed(r, "id")?,
                                name: r.text("name")?,
                                domain: r.text("domain")?,
                                created_at: r.text("created_at")?,
                            })
                        })
                        .collect()
                }

                async fn subscription_keys(
                    &self,
                    partner: PartnerId,
                ) -> StoreResult<Vec<SubscriptionKey>> {
                    let rows = sqlx::query(
                        "SELECT s.id, s.customer_id, s.offer_id, s.quantity, s.status, s.auto_renew, s.commitment_end, s.channel, \
                         s.scheduled_quantity, s.scheduled_term, s.version, s.anniversary_day, s.term \
                         FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE c.partner_id = $1",
                    )
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(SubscriptionKey {
                                id: parsed(r, "id")?,
                                customer_id: parsed(r, "customer_id")?,
                                offer_id: OfferId(r.text("offer_id")?),
                                quantity: u32::try_from(r.int("quantity")?).unwrap_or(0),
                                status: parsed(r, "status")?,
                                auto_renew: r.flag("auto_renew")?,
                                commitment_end: r.text("commitment_end")?,
                                channel: parsed(r, "channel")?,
                                scheduled: scheduled_from(r)?,
                                version: u64::try_from(r.int("version")?).unwrap_or(0),
                                anniversary_day: r
                                    .optional_int("anniversary_day")?
                                    .and_then(|d| u32::try_from(d).ok()),
                                term: r
                                    .optional_text("term")?
                                    .map(|t| t.parse())
                                    .transpose()
                                    .map_err(|_| StoreError::new("unreadable term"))?,
                            })
                        })
                        .collect()
                }

                async fn owned_elsewhere(
                    &self,
                    partner: PartnerId,
                    table: Owned,
                    ids: &[String],
                ) -> StoreResult<HashSet<String>> {
                    let head = match table {
                        Owned::Customers => "SELECT id FROM customers WHERE partner_id <> ",
                        Owned::Subscriptions => {
                            "SELECT s.id FROM subscriptions s JOIN customers c \
                                                 ON c.id = s.customer_id WHERE c.partner_id <> "
                        }
                    };
                    let column = match table {
                        Owned::Customers => " AND id IN (",
                        Owned::Subscriptions => " AND s.id IN (",
                    };
                    let mut found = HashSet::new();
                    for chunk in ids.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(head);
                        q.push_bind(partner.to_string()).push(column);
                        let mut list = q.separated(", ");
                        for id in chunk {
                            list.push_bind(id.clone());
                        }
                        q.push(")");
                        for row in q.build().fetch_all(self.reader()).await? {
                            found.insert(row.text("id")?);
                        }
                    }
                    Ok(found)
                }

                async fn import_customers(
                    &self,
                    partner: PartnerId,
                    rows: &[NewCustomer],
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    for chunk in rows.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(
                            "INSERT INTO customers (id, partner_id, name, domain, sort_key, search_text, short_grams, created_at) ",
                        );
                        q.push_values(chunk, |mut b, c| {
                            b.push_bind(c.id.to_string())
                                .push_bind(partner.to_string())
                                .push_bind(c.name.clone())
                                .push_bind(c.domain.clone())
                                .push_bind(customer_sort_key(&c.name))
                                .push_bind(customer_search_text(&c.name, &c.domain))
                                .push_bind(customer_short_grams(&customer_search_text(
                                    &c.name, &c.domain,
                                )))
                                .push_bind(c.created_at.clone());
                        });
                        // An id of another partner is refused before this; the WHERE keeps it so.
                        q.push(
                            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, domain = excluded.domain, \
                             sort_key = excluded.sort_key, search_text = excluded.search_text, \
                             short_grams = excluded.short_grams \
                             WHERE customers.partner_id = excluded.partner_id",
                        );
                        q.build().execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    tidy_after_import(self.writer(), &["customers"]).await
                }

                async fn import_subscriptions(
                    &self,
                    partner: PartnerId,
                    rows: &[ImportedSubscription],
                    at: &str,
                    by: ImportedBy,
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    for chunk in rows.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(
                            "INSERT INTO subscriptions (id, customer_id, offer_id, quantity, status, channel, \
                             auto_renew, created_at, commitment_end, version, anniversary_day, term) ",
                        );
                        q.push_values(chunk, |mut b, line| {
                            let s = &line.row;
                            b.push_bind(s.id.to_string())
                                .push_bind(s.customer_id.to_string())
                                .push_bind(s.offer_id.0.clone())
                                .push_bind(i64::from(s.quantity))
                                .push_bind(s.status.as_str())
                                .push_bind(s.channel.as_str())
                                .push_bind(s.auto_renew)
                                .push_bind(s.created_at.clone())
                                .push_bind(s.commitment_end.clone())
                                // A new one starts at 1; for one that exists, the version checked
                                // (compared below, then counted up).
                                .push_bind(
                                    line.expected_version
                                        .map_or(1, |v| i64::try_from(v).unwrap_or(-1)),
                                )
                                .push_bind(line.anniversary_day.map(i64::from))
                                .push_bind(line.term.map(|t| t.as_str()));
                        });
                        q.push(
                            // A change of seats, a suspension or auto-renew off drops the change
                            // scheduled for the renewal, as in the console (the audit event's
                            // after-snapshot says the same); an ended subscription is never
                            // revived (the import refuses such lines first).
                            " ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, status = excluded.status, \
                             auto_renew = excluded.auto_renew, commitment_end = excluded.commitment_end, \
                             anniversary_day = COALESCE(excluded.anniversary_day, subscriptions.anniversary_day), \
                             term = COALESCE(excluded.term, subscriptions.term), \
                             scheduled_quantity = CASE WHEN excluded.quantity <> subscriptions.quantity \
                                 OR excluded.status <> 'active' OR excluded.auto_renew = FALSE \
                                 THEN NULL ELSE subscriptions.scheduled_quantity END, \
                             scheduled_term = CASE WHEN excluded.quantity <> subscriptions.quantity \
                                 OR excluded.status <> 'active' OR excluded.auto_renew = FALSE \
                                 THEN NULL ELSE subscriptions.scheduled_term END, \
                             version = subscriptions.version + 1 \
                             WHERE subscriptions.customer_id = excluded.customer_id \
                             AND subscriptions.channel = 'partner' \
                             AND subscriptions.status IN ('active', 'suspended') \
                             AND subscriptions.version = excluded.version",
                        );
                        let written = q.build().execute(&mut *tx).await?.rows_affected();
                        if written != chunk.len() as u64 {
                            tx.rollback().await?;
                            return Err(StoreError::new(format!(
                                "{} subscription(s) changed after the file was checked (a renewal, or an agent): nothing was imported; run the import again",
                                chunk.len() as u64 - written
                            )));
                        }
                        // Every line that created or changed one is in the audit trail.
                        let mut events = sqlx::QueryBuilder::<Db>::new(
                            "INSERT INTO subscription_events \
                             (partner_id, subscription_id, agent_id, agent_email, at, action, before_json, after_json, source) ",
                        );
                        events.push_values(chunk, |mut b, line| {
                            b.push_bind(partner.to_string())
                                .push_bind(line.row.id.to_string())
                                .push_bind(None::<String>)
                                .push_bind(by.actor())
                                .push_bind(at.to_owned())
                                .push_bind(by.action().as_str())
                                .push_bind(line.before.as_ref().map(to_json))
                                .push_bind(to_json(&line.after))
                                .push_bind(line.source.clone());
                        });
                        events.build().execute(&mut *tx).await?;
                    }
                    // New ones take their offer's term as their own.
                    sqlx::query(
                        "UPDATE subscriptions SET term = (SELECT o.term FROM offers o WHERE o.id = subscriptions.offer_id) \
                         WHERE term IS NULL",
                    )
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    tidy_after_import(self.writer(), &["subscriptions"]).await
                }
            }
        }
    };
}

pub(crate) use imports_sql;
