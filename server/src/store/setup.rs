//! Start-up and health: is the database there, can it save, is it new, demo data, the search index's back-fill.
//!
//! [`SetupStore`] is the interface; `setup_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait SetupStore: Send + Sync {
    /// A read: the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// A durable write of one row: the database can save (not full, not read-only).
    async fn probe_write(&self, now: i64) -> StoreResult<()>;
    async fn is_empty(&self) -> StoreResult<bool>;
    async fn seed(&self, seed: &Seed) -> StoreResult<()>;
    /// Writes the short grams of customers stored before they existed (once, at start).
    async fn backfill_short_grams(&self) -> StoreResult<()>;
}

/// The SQL of [`SetupStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! setup_sql {
    ($store:ty, $conn:ty) => {
        mod setup_sql {
            use super::sql_common::*;
            use super::sql_helpers::*;
            use super::*;

            #[async_trait]
            impl crate::store::setup::SetupStore for $store {
                async fn ping(&self) -> StoreResult<()> {
                    sqlx::query("SELECT 1").execute(self.reader()).await?;
                    Ok(())
                }

                async fn probe_write(&self, now: i64) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "INSERT INTO health_probe (id, at, padding) VALUES (1, $1, $2) \
                         ON CONFLICT (id) DO UPDATE SET at = excluded.at, padding = excluded.padding",
                    )
                    .bind(now)
                    .bind(crate::store::health_probe_bytes())
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn is_empty(&self) -> StoreResult<bool> {
                    let row = sqlx::query("SELECT COUNT(*) AS n FROM partners")
                        .fetch_one(self.reader())
                        .await?;
                    Ok(row.try_get::<i64, _>("n")? == 0)
                }

                async fn seed(&self, seed: &Seed) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    for o in &seed.offers {
                        sqlx::query(
                            "INSERT INTO offers (id, name, min_quantity, max_quantity, price_per_seat_cents, \
                             currency, term, billing_cycle) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        )
                        .bind(&o.id.0)
                        .bind(&o.name)
                        .bind(i64::from(o.min_quantity))
                        .bind(i64::from(o.max_quantity))
                        .bind(i64::from(o.price_per_seat_cents))
                        .bind(&o.currency)
                        .bind(o.term.as_str())
                        .bind(o.billing_cycle.as_str())
                        .execute(&mut *tx)
                        .await?;
                    }
                    for p in &seed.partners {
                        sqlx::query("INSERT INTO partners (id, name) VALUES ($1, $2)")
                            .bind(p.id.to_string())
                            .bind(&p.name)
                            .execute(&mut *tx)
                            .await?;
                        for offer in &p.authorised_offers {
                            sqlx::query(
                                "INSERT INTO partner_offers (partner_id, offer_id) VALUES ($1, $2)",
                            )
                            .bind(p.id.to_string())
                            .bind(&offer.0)
                            .execute(&mut *tx)
                            .await?;
                        }
                        for a in &p.agents {
                            sqlx::query(
                                "INSERT INTO agents (id, partner_id, email, display_name, role, password_hash) \
                                 VALUES ($1, $2, $3, $4, $5, $6)",
                            )
                            .bind(a.id.to_string())
                            .bind(p.id.to_string())
                            .bind(a.email.to_lowercase())
                            .bind(&a.display_name)
                            .bind(a.role.as_str())
                            .bind(&a.password_hash)
                            .execute(&mut *tx)
                            .await?;
                        }
                        // The partner owns the domains its agents' e-mails are in.
                        let mut domains: Vec<String> = p
                            .agents
                            .iter()
                            .map(|a| shared::team::email_domain(&a.email.to_lowercase()).to_owned())
                            .collect();
                        domains.sort();
                        domains.dedup();
                        for d in &domains {
                            sqlx::query(
                                "INSERT INTO partner_domains (domain, partner_id) VALUES ($1, $2)",
                            )
                            .bind(d)
                            .bind(p.id.to_string())
                            .execute(&mut *tx)
                            .await?;
                        }
                        for c in &p.customers {
                            let customer = NewCustomer {
                                id: c.id,
                                name: c.name.clone(),
                                domain: c.domain.clone(),
                                created_at: c.created_at.clone(),
                            };
                            insert_customer(&mut tx, p.id, &customer).await?;
                            for s in &c.subscriptions {
                                insert_subscription(&mut tx, s).await?;
                            }
                        }
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn backfill_short_grams(&self) -> StoreResult<()> {
                    loop {
                        let rows = sqlx::query(
                            "SELECT id, search_text FROM customers WHERE short_grams = '' LIMIT 1000",
                        )
                        .fetch_all(self.writer())
                        .await?;
                        if rows.is_empty() {
                            return Ok(());
                        }
                        let mut tx = self.begin_write().await?;
                        for row in &rows {
                            sqlx::query("UPDATE customers SET short_grams = $1 WHERE id = $2")
                                .bind(customer_short_grams(&row.text("search_text")?))
                                .bind(row.text("id")?)
                                .execute(&mut *tx)
                                .await?;
                        }
                        tx.commit().await?;
                    }
                }
            }
        }
    };
}

pub(crate) use setup_sql;
