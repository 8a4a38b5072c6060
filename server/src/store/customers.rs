//! Customers: the list and its search, one customer, adding one.
//!
//! [`CustomerStore`] is the interface; `customers_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait CustomerStore: Send + Sync {
    async fn list_customers(
        &self,
        partner: PartnerId,
        search: Option<&CustomerSearch>,
        page: PageRequest,
    ) -> StoreResult<Page<Customer>>;
    /// Up to `limit` customers after `after` (a sort key and id; `None`: from the first), in
    /// name order, whose search text contains `search`, each with its stored sort key (the
    /// next cursor): for exports, any number, chunk by chunk.
    async fn customers_after(
        &self,
        partner: PartnerId,
        search: Option<&CustomerSearch>,
        after: Option<(&str, CustomerId)>,
        limit: u32,
    ) -> StoreResult<Vec<(String, Customer)>>;
    async fn customer(&self, partner: PartnerId, id: CustomerId) -> StoreResult<Option<Customer>>;
    async fn add_customer(
        &self,
        partner: PartnerId,
        customer: NewCustomer,
    ) -> StoreResult<AddCustomerOutcome>;
}

/// The SQL of [`CustomerStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! customers_sql {
    ($store:ty, $conn:ty) => {
        mod customers_sql {
            use super::sql_common::*;
            use super::*;

            #[async_trait]
            impl crate::store::customers::CustomerStore for $store {
                async fn list_customers(
                    &self,
                    partner: PartnerId,
                    search: Option<&CustomerSearch>,
                    page: PageRequest,
                ) -> StoreResult<Page<Customer>> {
                    let limit = u64::from(SEARCH_LIMIT);
                    let offset = i64::try_from(page.offset()).unwrap_or(i64::MAX);
                    let Some(search) = search else {
                        // Counted up to the limit; the page's ids read from the index alone,
                        // so a deep page skips index entries, not rows.
                        let counted: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM (SELECT 1 FROM customers WHERE partner_id = $1 LIMIT $2) AS n",
                        )
                        .bind(partner.to_string())
                        .bind(i64::from(SEARCH_LIMIT) + 1)
                        .fetch_one(self.reader())
                        .await?;
                        let rows = sqlx::query(&format!(
                            "SELECT {CUSTOMER_COLUMNS} WHERE c.id IN (SELECT id FROM customers WHERE partner_id = $1 \
                             ORDER BY sort_key, id LIMIT $2 OFFSET $3) ORDER BY c.sort_key, c.id"
                        ))
                        .bind(partner.to_string())
                        .bind(i64::from(page.per_page) + 1)
                        .bind(offset)
                        .fetch_all(self.reader())
                        .await?;
                        let items = rows.iter().map(customer_from).collect::<StoreResult<_>>()?;
                        return Ok(Page::from_rows(
                            items,
                            u64::try_from(counted).unwrap_or(0),
                            limit,
                            page,
                        ));
                    };
                    let matches = if search.is_short() {
                        GRAM_MATCH
                    } else {
                        TRIGRAM_MATCH
                    };
                    // One pass over the index: the ids of up to one past the limit of matches
                    // (what the index gives may only contain the search's pieces, so each is
                    // checked). Few, and the page is cut from them, sorted here: in SQL, the
                    // sort of a thousand rows took longer than finding them (16 ms against 1).
                    // Byte order, as both databases sort `sort_key`.
                    let mut found: Vec<(String, String)> = sqlx::query_as(&format!(
                        "SELECT sort_key, id FROM (SELECT m.sort_key, m.id {matches} AND m.partner_id = $1 \
                         AND {POSITION_OF}(m.search_text, $3) > 0 LIMIT $4) AS found \
                         UNION ALL SELECT sort_key, id FROM customers WHERE partner_id = $1 AND id = $5"
                    ))
                    .bind(partner.to_string())
                    .bind(match_argument(search))
                    .bind(&search.text)
                    .bind(i64::from(SEARCH_LIMIT) + 1)
                    .bind(&search.exact_id)
                    .fetch_all(self.reader())
                    .await?;
                    found.sort_unstable();
                    found.dedup();
                    let counted = found.len() as u64;
                    // A page never reaches past the limit: the page and the one row that says
                    // another follows, or only what is left before the limit (no next page).
                    let room = limit
                        .saturating_sub(page.offset())
                        .min(u64::from(page.per_page) + 1);
                    let rows = if counted <= limit {
                        let ids: Vec<&str> = found
                            .iter()
                            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
                            .take(usize::try_from(room).unwrap_or(0))
                            .map(|(_, id)| id.as_str())
                            .collect();
                        if ids.is_empty() {
                            Vec::new()
                        } else {
                            let marks: Vec<String> =
                                (1..=ids.len()).map(|i| format!("${i}")).collect();
                            let sql = format!(
                                "SELECT {CUSTOMER_COLUMNS} WHERE c.id IN ({}) ORDER BY c.sort_key, c.id",
                                marks.join(", ")
                            );
                            let mut query = sqlx::query(&sql);
                            for id in ids {
                                query = query.bind(id);
                            }
                            query.fetch_all(self.reader()).await?
                        }
                    } else {
                        // Many: walking the name order, they come often enough that a page
                        // fills after a few dozen rows.
                        sqlx::query(&format!(
                            "SELECT {CUSTOMER_COLUMNS} WHERE c.id IN (SELECT id FROM customers WHERE partner_id = $1 \
                             AND ({POSITION_OF}(search_text, $2) > 0 OR id = $3) \
                             ORDER BY sort_key, id LIMIT $4 OFFSET $5) ORDER BY c.sort_key, c.id"
                        ))
                        .bind(partner.to_string())
                        .bind(&search.text)
                        .bind(&search.exact_id)
                        .bind(i64::try_from(room).unwrap_or(0))
                        .bind(offset)
                        .fetch_all(self.reader())
                        .await?
                    };
                    let items = rows.iter().map(customer_from).collect::<StoreResult<_>>()?;
                    Ok(Page::from_rows(items, counted, limit, page))
                }

                async fn customers_after(
                    &self,
                    partner: PartnerId,
                    search: Option<&CustomerSearch>,
                    after: Option<(&str, CustomerId)>,
                    limit: u32,
                ) -> StoreResult<Vec<(String, Customer)>> {
                    let (sort_key, id) = after
                        .map(|(k, id)| (k.to_owned(), id.to_string()))
                        .unwrap_or_default();
                    let rows = sqlx::query(&format!(
                        "SELECT c.sort_key AS cursor_key, {CUSTOMER_COLUMNS} WHERE c.partner_id = $1 AND (c.sort_key, c.id) > ($2, $3) \
                         AND (CAST($4 AS TEXT) IS NULL OR {POSITION_OF}(c.search_text, $4) > 0 OR c.id = $5) \
                         ORDER BY c.sort_key, c.id LIMIT $6"
                    ))
                    .bind(partner.to_string())
                    .bind(sort_key)
                    .bind(id)
                    .bind(search.map(|s| s.text.clone()))
                    .bind(search.and_then(|s| s.exact_id.clone()))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
                    rows.iter()
                        .map(|r| Ok((r.text("cursor_key")?, customer_from(r)?)))
                        .collect()
                }

                async fn customer(
                    &self,
                    partner: PartnerId,
                    id: CustomerId,
                ) -> StoreResult<Option<Customer>> {
                    let row = sqlx::query(&format!(
                        "SELECT {CUSTOMER_COLUMNS} WHERE c.partner_id = $1 AND c.id = $2"
                    ))
                    .bind(partner.to_string())
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(customer_from).transpose()
                }

                async fn add_customer(
                    &self,
                    partner: PartnerId,
                    customer: NewCustomer,
                ) -> StoreResult<AddCustomerOutcome> {
                    let mut tx = self.begin_write().await?;
                    // The unique index decides, also for two adds racing on PostgreSQL.
                    let added = sqlx::query(
                        "INSERT INTO customers (id, partner_id, name, domain, sort_key, search_text, short_grams, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (partner_id, domain) DO NOTHING",
                    )
                    .bind(customer.id.to_string())
                    .bind(partner.to_string())
                    .bind(&customer.name)
                    .bind(&customer.domain)
                    .bind(customer_sort_key(&customer.name))
                    .bind(customer_search_text(&customer.name, &customer.domain))
                    .bind(customer_short_grams(&customer_search_text(&customer.name, &customer.domain)))
                    .bind(&customer.created_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if added == 0 {
                        tx.rollback().await?;
                        return Ok(AddCustomerOutcome::DomainTaken);
                    }
                    let row = sqlx::query(&format!(
                        "SELECT {CUSTOMER_COLUMNS} WHERE c.partner_id = $1 AND c.id = $2"
                    ))
                    .bind(partner.to_string())
                    .bind(customer.id.to_string())
                    .fetch_one(&mut *tx)
                    .await?;
                    let added = customer_from(&row)?;
                    tx.commit().await?;
                    Ok(AddCustomerOutcome::Added(added))
                }
            }
        }
    };
}

pub(crate) use customers_sql;
