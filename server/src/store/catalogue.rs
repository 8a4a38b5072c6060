//! The catalogue: offers, and which ones each partner may sell.
//!
//! [`CatalogueStore`] is the interface; `catalogue_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait CatalogueStore: Send + Sync {
    async fn offers_for_partner(&self, partner: PartnerId) -> StoreResult<Vec<Offer>>;
    async fn all_offers(&self) -> StoreResult<Vec<Offer>>;
    /// Saves offers (added or updated by id) and, if `authorise` names a partner, lets it sell
    /// every offer of `authorise_ids`: one transaction, all or nothing. Answers how many
    /// authorisations were new.
    async fn save_offers_and_authorise(
        &self,
        offers: &[Offer],
        authorise: Option<(PartnerId, &[OfferId])>,
    ) -> StoreResult<usize>;
    /// Authorises (or revokes) offers for a partner; answers how many rows changed.
    async fn set_offer_authorisation(
        &self,
        partner: PartnerId,
        offers: &[OfferId],
        authorised: bool,
    ) -> StoreResult<u64>;
}

/// The SQL of [`CatalogueStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! catalogue_sql {
    ($store:ty, $conn:ty) => {
        mod catalogue_sql {
            use super::sql_common::*;
            use super::*;

            #[async_trait]
            impl crate::store::catalogue::CatalogueStore for $store {
                async fn offers_for_partner(&self, partner: PartnerId) -> StoreResult<Vec<Offer>> {
                    let rows = sqlx::query(
                        "SELECT o.* FROM offers o JOIN partner_offers po ON po.offer_id = o.id \
                         WHERE po.partner_id = $1 ORDER BY o.name, o.id",
                    )
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(offer_from).collect()
                }

                async fn all_offers(&self) -> StoreResult<Vec<Offer>> {
                    let rows = sqlx::query("SELECT * FROM offers ORDER BY id")
                        .fetch_all(self.reader())
                        .await?;
                    rows.iter().map(offer_from).collect()
                }

                async fn save_offers_and_authorise(
                    &self,
                    offers: &[Offer],
                    authorise: Option<(PartnerId, &[OfferId])>,
                ) -> StoreResult<usize> {
                    let mut tx = self.begin_write().await?;
                    for o in offers {
                        sqlx::query(
                            "INSERT INTO offers (id, name, min_quantity, max_quantity, price_per_seat_cents, \
                             currency, term, billing_cycle) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                             ON CONFLICT (id) DO UPDATE SET name = excluded.name, min_quantity = excluded.min_quantity, \
                             max_quantity = excluded.max_quantity, price_per_seat_cents = excluded.price_per_seat_cents, \
                             currency = excluded.currency, term = excluded.term, billing_cycle = excluded.billing_cycle",
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
                    let mut authorised = 0;
                    if let Some((partner, ids)) = authorise {
                        for id in ids {
                            authorised += sqlx::query(
                                "INSERT INTO partner_offers (partner_id, offer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            )
                            .bind(partner.to_string())
                            .bind(&id.0)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        }
                    }
                    tx.commit().await?;
                    Ok(usize::try_from(authorised).unwrap_or(usize::MAX))
                }

                async fn set_offer_authorisation(
                    &self,
                    partner: PartnerId,
                    offers: &[OfferId],
                    authorised: bool,
                ) -> StoreResult<u64> {
                    let statement = if authorised {
                        "INSERT INTO partner_offers (partner_id, offer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                    } else {
                        "DELETE FROM partner_offers WHERE partner_id = $1 AND offer_id = $2"
                    };
                    let mut tx = self.begin_write().await?;
                    let mut changed = 0;
                    for offer in offers {
                        changed += sqlx::query(statement)
                            .bind(partner.to_string())
                            .bind(&offer.0)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    }
                    tx.commit().await?;
                    Ok(changed)
                }
            }
        }
    };
}

pub(crate) use catalogue_sql;
