//! The partner's money: Microsoft's price lists as imported (each month's kept) and the
//! partner's own price rules. What they give is worked out in `shared::pricing`.

use async_trait::async_trait;
use shared::pricing::{PriceBook, PriceListLine, PriceRule};

use super::*;

/// A price list line's key: product, SKU, term, billing plan, first day.
pub type PriceLineKey = (String, String, String, String, String);

pub fn price_line_key(l: &PriceListLine) -> PriceLineKey {
    (
        l.product_id.clone(),
        l.sku_id.clone(),
        l.term_duration.clone(),
        l.billing_plan.clone(),
        l.effective_start.clone(),
    )
}

/// The partner's currency, once it has one: its price lists', else its offers'. Imports and
/// rules hold a partner to it; a partner with neither takes the first list's.
pub async fn partner_currency(
    store: &dyn Store,
    partner: PartnerId,
) -> StoreResult<Option<String>> {
    if let Some(c) = store.price_list_currency(partner).await? {
        return Ok(Some(c));
    }
    let offers = store.offers_for_partner(partner).await?;
    Ok(offers.first().map(|o| o.currency.clone()))
}

/// A month's reconciliation file as imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconciliationFile {
    pub file_name: String,
    pub body: String,
    pub lines: u64,
    pub imported_by: String,
    pub imported_at: String,
}

/// What saving a rule did.
#[derive(Debug, PartialEq, Eq)]
pub enum RuleOutcome {
    /// Saved (replacing the rule of the same scope and day, if there was one).
    Saved(PriceRule),
    /// The customer or the offer is not the partner's.
    UnknownCustomer,
    UnknownOffer,
}

#[async_trait]
pub trait PriceStore: Send + Sync {
    /// Every line the partner has imported, oldest list first.
    async fn price_list(&self, partner: PartnerId) -> StoreResult<Vec<PriceListLine>>;
    /// The currency of the partner's price lists, once it has one.
    async fn price_list_currency(&self, partner: PartnerId) -> StoreResult<Option<String>>;
    /// Saves a list's lines in one transaction: a line of a key and first day already kept is
    /// replaced, others are added beside the earlier lists.
    async fn save_price_list(
        &self,
        partner: PartnerId,
        lines: &[PriceListLine],
        at: &str,
    ) -> StoreResult<()>;
    async fn price_rules(&self, partner: PartnerId) -> StoreResult<Vec<PriceRule>>;
    async fn save_price_rule(
        &self,
        partner: PartnerId,
        rule: &PriceRule,
        by: &str,
        at: &str,
    ) -> StoreResult<RuleOutcome>;
    /// `false` when the partner has no rule of that id.
    async fn remove_price_rule(&self, partner: PartnerId, id: &str) -> StoreResult<bool>;
    /// The rules and, for each offer the partner may sell, the lines of its lists that price it.
    async fn price_book(&self, partner: PartnerId) -> StoreResult<PriceBook>;
    /// Keeps `file` as the month's reconciliation file (replacing an earlier one).
    async fn save_reconciliation_file(
        &self,
        partner: PartnerId,
        month: &str,
        file: &ReconciliationFile,
    ) -> StoreResult<()>;
    async fn reconciliation_file(
        &self,
        partner: PartnerId,
        month: &str,
    ) -> StoreResult<Option<ReconciliationFile>>;
}

/// The SQL of [`PriceStore`].
macro_rules! prices_sql {
    ($store:ty, $conn:ty) => {
        mod prices_sql {
            use super::sql_common::*;
            use super::*;
            use crate::store::prices::RuleOutcome;
            use shared::pricing::{PriceBook, PriceListLine, PriceRule, PriceValue};

            const LINE_COLUMNS: &str = "product_id, sku_id, term_duration, billing_plan, effective_start, \
                 effective_end, market, currency, unit_price, erp_price, product_title, sku_title";
            const RULE_COLUMNS: &str = "id, customer_id, offer_id, kind, amount, effective_from";

            fn line_from(row: &impl ReadRow) -> StoreResult<PriceListLine> {
                Ok(PriceListLine {
                    product_id: row.text("product_id")?,
                    sku_id: row.text("sku_id")?,
                    term_duration: row.text("term_duration")?,
                    billing_plan: row.text("billing_plan")?,
                    effective_start: row.text("effective_start")?,
                    effective_end: row.optional_text("effective_end")?,
                    market: row.text("market")?,
                    currency: row.text("currency")?,
                    unit_price: row.int("unit_price")?,
                    erp_price: row.optional_int("erp_price")?,
                    product_title: row.text("product_title")?,
                    sku_title: row.text("sku_title")?,
                })
            }

            fn rule_from(row: &impl ReadRow) -> StoreResult<PriceRule> {
                let amount = row.int("amount")?;
                let value = match row.text("kind")?.as_str() {
                    "fixed" => PriceValue::Fixed(amount),
                    _ => PriceValue::Markup(i32::try_from(amount).map_err(|_| {
                        StoreError::new(format!("a markup of {amount} points is out of range"))
                    })?),
                };
                Ok(PriceRule {
                    id: row.text("id")?,
                    customer_id: row
                        .optional_text("customer_id")?
                        .map(|t| t.parse().map_err(|_| StoreError::new(format!("bad customer id {t:?}"))))
                        .transpose()?,
                    offer_id: row.optional_text("offer_id")?.map(OfferId),
                    value,
                    effective_from: row.text("effective_from")?,
                })
            }

            #[async_trait]
            impl crate::store::prices::PriceStore for $store {
                async fn price_list(&self, partner: PartnerId) -> StoreResult<Vec<PriceListLine>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {LINE_COLUMNS} FROM price_list_lines WHERE partner_id = $1 \
                         ORDER BY effective_start, product_id, sku_id, term_duration, billing_plan"
                    ))
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(line_from).collect()
                }

                async fn price_list_currency(
                    &self,
                    partner: PartnerId,
                ) -> StoreResult<Option<String>> {
                    let row = sqlx::query(
                        "SELECT currency FROM price_list_lines WHERE partner_id = $1 LIMIT 1",
                    )
                    .bind(partner.to_string())
                    .fetch_optional(self.reader())
                    .await?;
                    row.map(|r| r.text("currency")).transpose()
                }

                async fn save_price_list(
                    &self,
                    partner: PartnerId,
                    lines: &[PriceListLine],
                    at: &str,
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    for chunk in lines.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
                            "INSERT INTO price_list_lines (partner_id, {LINE_COLUMNS}, imported_at) "
                        ));
                        q.push_values(chunk, |mut b, l| {
                            b.push_bind(partner.to_string())
                                .push_bind(l.product_id.clone())
                                .push_bind(l.sku_id.clone())
                                .push_bind(l.term_duration.clone())
                                .push_bind(l.billing_plan.clone())
                                .push_bind(l.effective_start.clone())
                                .push_bind(l.effective_end.clone())
                                .push_bind(l.market.clone())
                                .push_bind(l.currency.clone())
                                .push_bind(l.unit_price)
                                .push_bind(l.erp_price)
                                .push_bind(l.product_title.clone())
                                .push_bind(l.sku_title.clone())
                                .push_bind(at.to_owned());
                        });
                        q.push(
                            " ON CONFLICT (partner_id, product_id, sku_id, term_duration, billing_plan, effective_start) \
                             DO UPDATE SET effective_end = excluded.effective_end, market = excluded.market, \
                             currency = excluded.currency, unit_price = excluded.unit_price, \
                             erp_price = excluded.erp_price, product_title = excluded.product_title, \
                             sku_title = excluded.sku_title, imported_at = excluded.imported_at",
                        );
                        q.build().execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn price_rules(&self, partner: PartnerId) -> StoreResult<Vec<PriceRule>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {RULE_COLUMNS} FROM price_rules WHERE partner_id = $1 \
                         ORDER BY customer_id IS NOT NULL, customer_id, offer_id IS NOT NULL, offer_id, effective_from"
                    ))
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter().map(rule_from).collect()
                }

                async fn save_price_rule(
                    &self,
                    partner: PartnerId,
                    rule: &PriceRule,
                    by: &str,
                    at: &str,
                ) -> StoreResult<RuleOutcome> {
                    let mut tx = self.begin_write().await?;
                    if let Some(customer) = rule.customer_id {
                        let found = sqlx::query("SELECT 1 FROM customers WHERE partner_id = $1 AND id = $2")
                            .bind(partner.to_string())
                            .bind(customer.to_string())
                            .fetch_optional(&mut *tx)
                            .await?;
                        if found.is_none() {
                            return Ok(RuleOutcome::UnknownCustomer);
                        }
                    }
                    if let Some(offer) = &rule.offer_id {
                        let found = sqlx::query(
                            "SELECT 1 FROM partner_offers WHERE partner_id = $1 AND offer_id = $2",
                        )
                        .bind(partner.to_string())
                        .bind(&offer.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if found.is_none() {
                            return Ok(RuleOutcome::UnknownOffer);
                        }
                    }
                    // One rule per scope and day: a new one replaces it.
                    sqlx::query(
                        "DELETE FROM price_rules WHERE partner_id = $1 AND COALESCE(customer_id, '') = $2 \
                         AND COALESCE(offer_id, '') = $3 AND effective_from = $4",
                    )
                    .bind(partner.to_string())
                    .bind(rule.customer_id.map(|c| c.to_string()).unwrap_or_default())
                    .bind(rule.offer_id.as_ref().map(|o| o.0.clone()).unwrap_or_default())
                    .bind(&rule.effective_from)
                    .execute(&mut *tx)
                    .await?;
                    let (kind, amount) = match rule.value {
                        PriceValue::Fixed(p) => ("fixed", p),
                        PriceValue::Markup(m) => ("markup", i64::from(m)),
                    };
                    sqlx::query(
                        "INSERT INTO price_rules (id, partner_id, customer_id, offer_id, kind, amount, \
                         effective_from, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(&rule.id)
                    .bind(partner.to_string())
                    .bind(rule.customer_id.map(|c| c.to_string()))
                    .bind(rule.offer_id.as_ref().map(|o| o.0.clone()))
                    .bind(kind)
                    .bind(amount)
                    .bind(&rule.effective_from)
                    .bind(by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(RuleOutcome::Saved(rule.clone()))
                }

                async fn remove_price_rule(&self, partner: PartnerId, id: &str) -> StoreResult<bool> {
                    let done = sqlx::query("DELETE FROM price_rules WHERE partner_id = $1 AND id = $2")
                        .bind(partner.to_string())
                        .bind(id)
                        .execute(self.writer())
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn price_book(&self, partner: PartnerId) -> StoreResult<PriceBook> {
                    let offers = crate::store::CatalogueStore::offers_for_partner(self, partner).await?;
                    let products: HashSet<String> = offers
                        .iter()
                        .filter_map(|o| shared::partner_center::CatalogItem::parse(&o.id.0).ok())
                        .map(|item| item.product_id)
                        .collect();
                    let mut costs = Vec::new();
                    let products: Vec<String> = products.into_iter().collect();
                    for chunk in products.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
                            "SELECT {LINE_COLUMNS} FROM price_list_lines WHERE partner_id = "
                        ));
                        q.push_bind(partner.to_string()).push(" AND product_id IN (");
                        let mut list = q.separated(", ");
                        for p in chunk {
                            list.push_bind(p.clone());
                        }
                        q.push(")");
                        for row in q.build().fetch_all(self.reader()).await? {
                            let line = line_from(&row)?;
                            costs.extend(offers.iter().filter_map(|o| line.cost_of(o)));
                        }
                    }
                    Ok(PriceBook {
                        rules: self.price_rules(partner).await?,
                        costs,
                    })
                }

                async fn save_reconciliation_file(
                    &self,
                    partner: PartnerId,
                    month: &str,
                    file: &crate::store::prices::ReconciliationFile,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO reconciliation_files (partner_id, month, file_name, body, lines, \
                         imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (partner_id, month) DO UPDATE SET file_name = excluded.file_name, \
                         body = excluded.body, lines = excluded.lines, imported_by = excluded.imported_by, \
                         imported_at = excluded.imported_at",
                    )
                    .bind(partner.to_string())
                    .bind(month)
                    .bind(&file.file_name)
                    .bind(&file.body)
                    .bind(i64::try_from(file.lines).unwrap_or(i64::MAX))
                    .bind(&file.imported_by)
                    .bind(&file.imported_at)
                    .execute(self.writer())
                    .await?;
                    Ok(())
                }

                async fn reconciliation_file(
                    &self,
                    partner: PartnerId,
                    month: &str,
                ) -> StoreResult<Option<crate::store::prices::ReconciliationFile>> {
                    let row = sqlx::query(
                        "SELECT file_name, body, lines, imported_by, imported_at FROM reconciliation_files \
                         WHERE partner_id = $1 AND month = $2",
                    )
                    .bind(partner.to_string())
                    .bind(month)
                    .fetch_optional(self.reader())
                    .await?;
                    row.map(|r| {
                        Ok(crate::store::prices::ReconciliationFile {
                            file_name: r.text("file_name")?,
                            body: r.text("body")?,
                            lines: u64::try_from(r.int("lines")?).unwrap_or(0),
                            imported_by: r.text("imported_by")?,
                            imported_at: r.text("imported_at")?,
                        })
                    })
                    .transpose()
                }
            }
        }
    };
}

pub(super) use prices_sql;
