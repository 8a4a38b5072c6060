//! Partners: their names and the e-mail domains they own.
//!
//! [`PartnerStore`] is the interface; `partners_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait PartnerStore: Send + Sync {
    async fn create_partner(&self, id: PartnerId, name: &str) -> StoreResult<()>;
    async fn partner_name(&self, id: PartnerId) -> StoreResult<Option<String>>;
    /// The e-mail domains `partner` owns, in order.
    async fn partner_domains(&self, partner: PartnerId) -> StoreResult<Vec<String>>;
    /// Gives `domain` (normalised) to `partner`, unless another partner owns or uses it.
    async fn add_partner_domain(
        &self,
        partner: PartnerId,
        domain: &str,
    ) -> StoreResult<DomainOutcome>;
    /// Takes `domain` from `partner` (its agents keep their e-mails); false if it was not its.
    async fn remove_partner_domain(&self, partner: PartnerId, domain: &str) -> StoreResult<bool>;
}

/// The SQL of [`PartnerStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! partners_sql {
    ($store:ty, $conn:ty) => {
        mod partners_sql {
            use super::*;
            use super::sql_common::*;
            use super::sql_helpers::*;

            #[async_trait]
            impl crate::store::partners::PartnerStore for $store {
                async fn create_partner(&self, id: PartnerId, name: &str) -> StoreResult<()> {
                    sqlx::query("INSERT INTO partners (id, name) VALUES ($1, $2)")
                        .bind(id.to_string())
                        .bind(name)
                        .execute(self.writer())
                        .await?;
                    Ok(())
                }

                async fn partner_name(&self, id: PartnerId) -> StoreResult<Option<String>> {
                    let row = sqlx::query("SELECT name FROM partners WHERE id = $1")
                        .bind(id.to_string())
                        .fetch_optional(self.reader())
                        .await?;
                    row.map(|r| r.text("name")).transpose()
                }

                async fn partner_domains(&self, partner: PartnerId) -> StoreResult<Vec<String>> {
                    Ok(sqlx::query_scalar(
                        "SELECT domain FROM partner_domains WHERE partner_id = $1 ORDER BY domain",
                    )
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?)
                }

                async fn add_partner_domain(
                    &self,
                    partner: PartnerId,
                    domain: &str,
                ) -> StoreResult<DomainOutcome> {
                    let mut tx = self.begin_write().await?;
                    let owner: Option<String> = sqlx::query_scalar(
                        "SELECT partner_id FROM partner_domains WHERE domain = $1",
                    )
                    .bind(domain)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let outcome = match owner {
                        Some(o) if o == partner.to_string() => DomainOutcome::Unchanged,
                        Some(o) => DomainOutcome::OwnedBy(partner_id_of(&o)?),
                        None => {
                            // Agents' e-mails are stored lower-case, so this finds them all.
                            let user: Option<String> = sqlx::query_scalar(
                                "SELECT partner_id FROM agents WHERE partner_id <> $1 \
                                 AND substr(email, length(email) - length($2) + 1) = $2 \
                                 AND substr(email, length(email) - length($2), 1) = '@' LIMIT 1",
                            )
                            .bind(partner.to_string())
                            .bind(domain)
                            .fetch_optional(&mut *tx)
                            .await?;
                            match user {
                                Some(u) => DomainOutcome::UsedBy(partner_id_of(&u)?),
                                None => {
                                    // Two operators racing: the primary key lets one win.
                                    let added = sqlx::query(
                                        "INSERT INTO partner_domains (domain, partner_id) VALUES ($1, $2) \
                                         ON CONFLICT (domain) DO NOTHING",
                                    )
                                    .bind(domain)
                                    .bind(partner.to_string())
                                    .execute(&mut *tx)
                                    .await?
                                    .rows_affected();
                                    if added == 1 {
                                        DomainOutcome::Added
                                    } else {
                                        return Err(StoreError::unavailable(
                                            "another process gave this domain to a partner just now: try again",
                                        ));
                                    }
                                }
                            }
                        }
                    };
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn remove_partner_domain(
                    &self,
                    partner: PartnerId,
                    domain: &str,
                ) -> StoreResult<bool> {
                    let removed = sqlx::query(
                        "DELETE FROM partner_domains WHERE domain = $1 AND partner_id = $2",
                    )
                    .bind(domain)
                    .bind(partner.to_string())
                    .execute(self.writer())
                    .await?
                    .rows_affected();
                    Ok(removed == 1)
                }
            }
        }
    };
}

pub(crate) use partners_sql;
