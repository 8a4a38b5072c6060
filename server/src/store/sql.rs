//! The SQL both databases run, written once. `$1`-style placeholders work on both; numbers are
//! bound as i64 (SQLite INTEGER, PostgreSQL BIGINT); names order bytewise on both (SQLite's
//! default, a "C" collation on PostgreSQL's columns). [`sql_store!`] writes the whole
//! `impl Store` for a store, which provides what differs: `reader()` and `writer()` (its
//! pools), `begin_write()` (how a write transaction starts) and `KEY_LOCK` (the statement,
//! if any, that serialises work on one key — an e-mail's sign-in attempts, a partner's
//! team — across processes).

macro_rules! sql_store {
    ($store:ty, $conn:ty) => {
        // A module of its own, so its imports never clash with the store's.
        mod shared_sql {
            use super::*;
            use async_trait::async_trait;
            use std::collections::HashSet;

            use shared::activity::{ActivityAgent, ActivityEntry, ActivityFilter};
            use shared::api::{EventAction, Page, PageRequest, SubscriptionEvent, Team, TeamMember, TeamMemberState};
            use shared::ids::{AgentId, CustomerId, OfferId, PartnerId, SubscriptionId};
            use shared::model::{Customer, Offer, Role, Subscription, SubscriptionSnapshot};
            use shared::reduction_window::SeatBatch;
            use shared::team::{AgentStanding, check_admin_remains};
            use sqlx::Row;

            type Db = <$conn as sqlx::Connection>::Database;
            /// Rows per multi-row INSERT in imports: well under both databases' bind limits.
            const IMPORT_BATCH: usize = 500;

            use crate::store::rows::{
                CUSTOMER_COLUMNS, SUBSCRIPTION_COLUMNS, TEAM_MEMBER_COLUMNS, agent_from, scheduled_from, seat_batch_from,
                customer_from, event_from, offer_from, parsed, subscription_from,
                team_event_from, team_member_from, to_json, ReadRow,
            };
            use crate::store::{
                Actor, AddCustomerOutcome, AgentCredentials, AttemptGate, DomainOutcome, IdempotencyClaim, NewAgent,
                NewCustomer, NewEvent, NewSubscription, ImportedSubscription, OrderOutcome, Owned, Seed, SignInGate,
                SignedInAgent, Store, StoreError, StoreResult, SubscriptionKey, TeamOutcome,
                UpdateOutcome, CustomerSearch, SEARCH_LIMIT, customer_search_text, customer_short_grams, customer_sort_key,
            };

            async fn team_member(
                conn: &mut $conn,
                partner: PartnerId,
                id: AgentId,
            ) -> StoreResult<Option<TeamMember>> {
                let row = sqlx::query(&format!(
                    "SELECT {TEAM_MEMBER_COLUMNS} FROM agents WHERE partner_id = $1 AND id = $2"
                ))
                .bind(partner.to_string())
                .bind(id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
                row.as_ref().map(team_member_from).transpose()
            }

            /// One change to the team, for its audit trail.
            struct TeamChange<'a> {
                partner: PartnerId,
                agent: AgentId,
                actor: Actor<'a>,
                at: &'a str,
                action: &'a str,
                before: Option<TeamMemberState>,
                after: TeamMemberState,
            }

            async fn insert_team_event(conn: &mut $conn, change: TeamChange<'_>) -> StoreResult<()> {
                let TeamChange { partner, agent, actor, at, action, before, after } = change;
                let json = |s: &TeamMemberState| serde_json::to_string(s).expect("states serialise");
                sqlx::query(
                    "INSERT INTO agent_events (partner_id, agent_id, actor, at, action, before_json, after_json) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(partner.to_string())
                .bind(agent.to_string())
                .bind(actor)
                .bind(at)
                .bind(action)
                .bind(before.as_ref().map(json))
                .bind(json(&after))
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn insert_customer(
                conn: &mut $conn,
                partner: PartnerId,
                c: &NewCustomer,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO customers (id, partner_id, name, domain, sort_key, search_text, short_grams, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(c.id.to_string())
                .bind(partner.to_string())
                .bind(&c.name)
                .bind(&c.domain)
                .bind(customer_sort_key(&c.name))
                .bind(customer_search_text(&c.name, &c.domain))
                .bind(customer_short_grams(&customer_search_text(&c.name, &c.domain)))
                .bind(&c.created_at)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn fetch_subscription(
                conn: &mut $conn,
                partner: PartnerId,
                id: SubscriptionId,
            ) -> StoreResult<Option<Subscription>> {
                let row = sqlx::query(&format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} WHERE c.partner_id = $1 AND s.id = $2"
                ))
                .bind(partner.to_string())
                .bind(id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
                let Some(mut sub) = row.as_ref().map(subscription_from).transpose()? else {
                    return Ok(None);
                };
                sub.seat_batches = seat_batches(conn, id).await?;
                Ok(Some(sub))
            }

            async fn seat_batches(conn: &mut $conn, id: SubscriptionId) -> StoreResult<Vec<SeatBatch>> {
                let rows = sqlx::query(
                    "SELECT quantity, added_at FROM seat_batches WHERE subscription_id = $1 ORDER BY added_at",
                )
                .bind(id.to_string())
                .fetch_all(&mut *conn)
                .await?;
                rows.iter().map(seat_batch_from).collect()
            }

            /// Replaces a subscription's batches (closed ones are simply not written again).
            async fn write_seat_batches(
                conn: &mut $conn,
                id: SubscriptionId,
                batches: &[SeatBatch],
            ) -> StoreResult<()> {
                sqlx::query("DELETE FROM seat_batches WHERE subscription_id = $1")
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                for b in batches.iter().filter(|b| b.quantity > 0) {
                    sqlx::query("INSERT INTO seat_batches (subscription_id, added_at, quantity) VALUES ($1, $2, $3)")
                        .bind(id.to_string())
                        .bind(b.added_at)
                        .bind(i64::from(b.quantity))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            /// [`AFTER_IMPORT`] on each table an import filled, after its commit. The import is
            /// done whatever happens here: a failure is a warning, not the import's.
            async fn tidy_after_import(
                pool: &sqlx::Pool<Db>,
                tables: &[&str],
            ) -> StoreResult<()> {
                let Some(statements) = AFTER_IMPORT else {
                    return Ok(());
                };
                for table in tables {
                    let result: Result<(), sqlx::Error> = async {
                        let mut conn = pool.acquire().await?;
                        for statement in statements {
                            sqlx::query(&statement.replace("{table}", table))
                                .execute(&mut *conn)
                                .await?;
                        }
                        Ok(())
                    }
                    .await;
                    if let Err(e) = result {
                        tracing::warn!(table, error = %e, "statistics after the import not refreshed (autovacuum will)");
                    }
                }
                Ok(())
            }

            fn partner_id_of(text: &str) -> StoreResult<PartnerId> {
                text.parse()
                    .map_err(|_| StoreError::new(format!("stored partner id {text:?} is not an id")))
            }

            async fn insert_event(
                conn: &mut $conn,
                partner: PartnerId,
                subscription: SubscriptionId,
                event: &NewEvent,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO subscription_events \
                     (partner_id, subscription_id, agent_id, agent_email, at, action, before_json, after_json, \
                     source, refund_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(partner.to_string())
                .bind(subscription.to_string())
                .bind(event.agent_id.map(|a| a.to_string()))
                .bind(&event.agent_email)
                .bind(&event.at)
                .bind(event.action.as_str())
                .bind(event.before.as_ref().map(to_json))
                .bind(to_json(&event.after))
                .bind(event.source.as_deref())
                .bind(event.refund_cents)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn insert_subscription(conn: &mut $conn, s: &NewSubscription) -> StoreResult<()> {
                sqlx::query(
                    // Its own term (the offer's today): a later catalogue change does not rewrite it.
                    "INSERT INTO subscriptions (id, customer_id, offer_id, quantity, status, channel, \
                     auto_renew, created_at, commitment_end, version, scheduled_quantity, scheduled_term, \
                     term, ordered_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, \
                     (SELECT o.term FROM offers o WHERE o.id = $3), $12)",
                )
                .bind(s.id.to_string())
                .bind(s.customer_id.to_string())
                .bind(&s.offer_id.0)
                .bind(i64::from(s.quantity))
                .bind(s.status.as_str())
                .bind(s.channel.as_str())
                .bind(s.auto_renew)
                .bind(&s.created_at)
                .bind(&s.commitment_end)
                .bind(s.scheduled.as_ref().map(|c| i64::from(c.quantity)))
                .bind(s.scheduled.as_ref().map(|c| c.term.as_str()))
                .bind(s.ordered_here.then(|| s.created_at.clone()))
                .execute(&mut *conn)
                .await?;
                write_seat_batches(conn, s.id, &s.seat_batches).await?;
                Ok(())
            }

            #[async_trait]
            impl Store for $store {
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
                            sqlx::query("INSERT INTO partner_offers (partner_id, offer_id) VALUES ($1, $2)")
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
                            sqlx::query("INSERT INTO partner_domains (domain, partner_id) VALUES ($1, $2)")
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

                async fn agent_credentials(&self, email: &str) -> StoreResult<Option<AgentCredentials>> {
                    let row = sqlx::query(
                        "SELECT a.id, a.email, a.display_name, a.role, a.password_hash, a.active, a.must_change_password, \
                         p.id AS partner_id, p.name AS partner_name FROM agents a \
                         JOIN partners p ON p.id = a.partner_id WHERE a.email = $1",
                    )
                    .bind(shared::team::email_key(email))
                    .fetch_optional(self.reader())
                    .await?;
                    let Some(row) = row else { return Ok(None) };
                    Ok(Some(AgentCredentials {
                        agent: agent_from(&row)?,
                        password_hash: row.try_get("password_hash")?,
                        active: row.flag("active")?,
                    }))
                }

                async fn create_session(
                    &self,
                    token_hash: &str,
                    agent: AgentId,
                    now: i64,
                    expires_at: i64,
                    must_change_password: bool,
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    // Sign-ins sweep expired sessions, so the table does not grow for ever.
                    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, agent_id, created_at, expires_at, must_change_password) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(token_hash)
                    .bind(agent.to_string())
                    .bind(now)
                    .bind(expires_at)
                    .bind(must_change_password)
                    .execute(&mut *tx)
                    .await?;
                    let at = time::OffsetDateTime::from_unix_timestamp(now)
                        .map(crate::clock::rfc3339)
                        .unwrap_or_default();
                    sqlx::query("UPDATE agents SET last_sign_in_at = $1 WHERE id = $2")
                        .bind(at)
                        .bind(agent.to_string())
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn session_agent(
                    &self,
                    token_hash: &str,
                    now: i64,
                ) -> StoreResult<Option<SignedInAgent>> {
                    let row = sqlx::query(
                        "SELECT a.id, a.email, a.display_name, a.role, s.must_change_password, p.id AS partner_id, p.name AS partner_name \
                         FROM sessions s JOIN agents a ON a.id = s.agent_id JOIN partners p ON p.id = a.partner_id \
                         WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(agent_from).transpose()
                }

                async fn gate_sign_in(&self, key: &str, gate: AttemptGate) -> StoreResult<SignInGate> {
                    let mut tx = self.begin_write().await?;
                    if let Some(lock) = KEY_LOCK {
                        sqlx::query(lock).bind(format!("sign-in:{key}")).execute(&mut *tx).await?;
                    }
                    // Attempts older than the window no longer count, for any e-mail.
                    sqlx::query("DELETE FROM sign_in_attempts WHERE at < $1")
                        .bind(gate.window_start)
                        .execute(&mut *tx)
                        .await?;
                    let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
                        "SELECT COUNT(*), MIN(at) FROM sign_in_attempts WHERE key_hash = $1",
                    )
                    .bind(key)
                    .fetch_one(&mut *tx)
                    .await?;
                    let outcome = match oldest {
                        Some(oldest) if count >= i64::from(gate.limit) => SignInGate::Refused { oldest },
                        _ => {
                            sqlx::query("INSERT INTO sign_in_attempts (key_hash, at) VALUES ($1, $2)")
                                .bind(key)
                                .bind(gate.now)
                                .execute(&mut *tx)
                                .await?;
                            // The oldest go first once the table holds more than it keeps.
                            sqlx::query(
                                "DELETE FROM sign_in_attempts WHERE id <= (SELECT id FROM sign_in_attempts \
                                 ORDER BY id DESC LIMIT 1 OFFSET $1)",
                            )
                            .bind(i64::from(gate.rows_kept))
                            .execute(&mut *tx)
                            .await?;
                            SignInGate::Allowed
                        }
                    };
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn clear_sign_in_attempts(&self, key: &str) -> StoreResult<()> {
                    sqlx::query("DELETE FROM sign_in_attempts WHERE key_hash = $1")
                        .bind(key)
                        .execute(self.writer())
                        .await?;
                    Ok(())
                }

                async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(self.writer())
                        .await?;
                    Ok(())
                }

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
                    q.push(" ORDER BY e.at DESC, e.id DESC LIMIT ").push_bind(i64::from(limit));
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

                async fn backfill_short_grams(&self) -> StoreResult<()> {
                    loop {
                        let rows = sqlx::query("SELECT id, search_text FROM customers WHERE short_grams = '' LIMIT 1000")
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
                        return Ok(Page::from_rows(items, u64::try_from(counted).unwrap_or(0), limit, page));
                    };
                    let matches = if search.is_short() { GRAM_MATCH } else { TRIGRAM_MATCH };
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
                    let room = limit.saturating_sub(page.offset()).min(u64::from(page.per_page) + 1);
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
                            let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
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
                    let (sort_key, id) = after.map(|(k, id)| (k.to_owned(), id.to_string())).unwrap_or_default();
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
                    rows.iter().map(|r| Ok((r.text("cursor_key")?, customer_from(r)?))).collect()
                }

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
                    rows.iter().map(|r| Ok((r.text("cursor_key")?, subscription_from(r)?))).collect()
                }

                async fn customer(&self, partner: PartnerId, id: CustomerId) -> StoreResult<Option<Customer>> {
                    let row = sqlx::query(&format!(
                        "SELECT {CUSTOMER_COLUMNS} WHERE c.partner_id = $1 AND c.id = $2"
                    ))
                    .bind(partner.to_string())
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await?;
                    row.as_ref().map(customer_from).transpose()
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
                    let mut subs: Vec<Subscription> = rows.iter().map(subscription_from).collect::<StoreResult<_>>()?;
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
                        return Ok(shared::api::EventPage { items, earlier: None });
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
                    let earlier = if more { items.first().map(|e| e.id) } else { None };
                    Ok(shared::api::EventPage { items, earlier })
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
                    // Compare-and-set: changes nothing unless the version is still the one seen.
                    // Absent from an after-snapshot (never, since renewals exist): kept as is.
                    let updated = sqlx::query(
                        "UPDATE subscriptions SET quantity = $1, status = $2, auto_renew = $3, \
                         commitment_end = COALESCE($7, commitment_end), term = COALESCE($8, term), \
                         scheduled_quantity = $9, scheduled_term = $10, \
                         status_since = CASE WHEN status = $2 THEN status_since ELSE $11 END, \
                         version = version + 1 \
                         WHERE id = $4 AND version = $5 \
                         AND customer_id IN (SELECT id FROM customers WHERE partner_id = $6)",
                    )
                    .bind(i64::from(after.quantity))
                    .bind(after.status.as_str())
                    .bind(after.auto_renew)
                    .bind(id.to_string())
                    .bind(i64::try_from(expected_version).unwrap_or(-1))
                    .bind(partner.to_string())
                    .bind(after.commitment_end.as_deref())
                    .bind(after.term.map(|t| t.as_str()))
                    .bind(after.scheduled.as_ref().map(|c| i64::from(c.quantity)))
                    .bind(after.scheduled.as_ref().map(|c| c.term.as_str()))
                    .bind(&event.at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if updated == 0 {
                        let current = fetch_subscription(&mut tx, partner, id).await?;
                        tx.rollback().await?;
                        return Ok(match current {
                            Some(current) => UpdateOutcome::Conflict(current),
                            None => UpdateOutcome::NotFound,
                        });
                    }
                    write_seat_batches(&mut tx, id, &seat_batches).await?;
                    insert_event(&mut tx, partner, id, &event).await?;
                    let sub = fetch_subscription(&mut tx, partner, id)
                        .await?
                        .ok_or_else(|| StoreError::new("updated subscription vanished"))?;
                    tx.commit().await?;
                    Ok(UpdateOutcome::Updated(sub))
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
                            .ok_or_else(|| StoreError::new("idempotency key without its subscription"))?;
                        return Ok(OrderOutcome::Replayed(sub));
                    }
                    insert_event(&mut tx, partner, subscription.id, &event).await?;
                    let sub = fetch_subscription(&mut tx, partner, subscription.id)
                        .await?
                        .ok_or_else(|| StoreError::new("new subscription not readable"))?;
                    tx.commit().await?;
                    Ok(OrderOutcome::Created(sub))
                }

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

                async fn team(&self, partner: PartnerId) -> StoreResult<Team> {
                    let agents = sqlx::query(&format!(
                        "SELECT {TEAM_MEMBER_COLUMNS} FROM agents WHERE partner_id = $1 ORDER BY email"
                    ))
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    let events = sqlx::query(
                        "SELECT e.at, e.actor, a.email AS agent_email, e.action, e.before_json, e.after_json \
                         FROM agent_events e JOIN agents a ON a.id = e.agent_id \
                         WHERE e.partner_id = $1 ORDER BY e.id DESC LIMIT 50",
                    )
                    .bind(partner.to_string())
                    .fetch_all(self.reader())
                    .await?;
                    Ok(Team {
                        agents: agents.iter().map(team_member_from).collect::<StoreResult<_>>()?,
                        events: events.iter().map(team_event_from).collect::<StoreResult<_>>()?,
                        domains: self.partner_domains(partner).await?,
                    })
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
                    let owner: Option<String> =
                        sqlx::query_scalar("SELECT partner_id FROM partner_domains WHERE domain = $1")
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

                async fn remove_partner_domain(&self, partner: PartnerId, domain: &str) -> StoreResult<bool> {
                    let removed = sqlx::query("DELETE FROM partner_domains WHERE domain = $1 AND partner_id = $2")
                        .bind(domain)
                        .bind(partner.to_string())
                        .execute(self.writer())
                        .await?
                        .rows_affected();
                    Ok(removed == 1)
                }

                async fn add_agent(&self, a: NewAgent, actor: Actor<'_>) -> StoreResult<TeamOutcome> {
                    let mut tx = self.begin_write().await?;
                    // First the domain: an address outside the partner's own domains is refused
                    // the same way whether or not someone else's agent has it.
                    let owned: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM partner_domains WHERE domain = $1 AND partner_id = $2",
                    )
                    .bind(shared::team::email_domain(&a.email))
                    .bind(a.partner_id.to_string())
                    .fetch_one(&mut *tx)
                    .await?;
                    if owned == 0 {
                        tx.rollback().await?;
                        let owned = self.partner_domains(a.partner_id).await?;
                        return Ok(TeamOutcome::DomainNotOwned(owned));
                    }
                    let inserted = sqlx::query(
                        "INSERT INTO agents (id, partner_id, email, display_name, role, password_hash, active, created_at, must_change_password) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (email) DO NOTHING",
                    )
                    .bind(a.id.to_string())
                    .bind(a.partner_id.to_string())
                    .bind(&a.email)
                    .bind(&a.display_name)
                    .bind(a.role.as_str())
                    .bind(&a.password_hash)
                    .bind(true)
                    .bind(&a.created_at)
                    .bind(a.must_change_password)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if inserted == 0 {
                        tx.rollback().await?;
                        return Ok(TeamOutcome::EmailTaken);
                    }
                    let after = TeamMemberState { role: a.role, active: true };
                    let change = TeamChange {
                        partner: a.partner_id,
                        agent: a.id,
                        actor,
                        at: &a.created_at,
                        action: "added",
                        before: None,
                        after,
                    };
                    insert_team_event(&mut tx, change).await?;
                    let member = team_member(&mut tx, a.partner_id, a.id)
                        .await?
                        .ok_or_else(|| StoreError::new("new agent not readable"))?;
                    tx.commit().await?;
                    Ok(TeamOutcome::Done(member))
                }

                async fn change_agent(
                    &self,
                    partner: PartnerId,
                    id: AgentId,
                    role: Option<Role>,
                    active: Option<bool>,
                    actor: Actor<'_>,
                    at: &str,
                ) -> StoreResult<TeamOutcome> {
                    let mut tx = self.begin_write().await?;
                    // One team change at a time per partner, so two admins cannot demote
                    // each other at once and leave nobody.
                    if let Some(lock) = KEY_LOCK {
                        sqlx::query(lock).bind(format!("team:{partner}")).execute(&mut *tx).await?;
                    }
                    let Some(before) = team_member(&mut tx, partner, id).await? else {
                        tx.rollback().await?;
                        return Ok(TeamOutcome::NotFound);
                    };
                    let admins: i64 = sqlx::query(
                        "SELECT COUNT(*) AS n FROM agents WHERE partner_id = $1 AND role = 'admin' AND active",
                    )
                    .bind(partner.to_string())
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("n")?;
                    let was = AgentStanding { role: before.role, active: before.active };
                    let will = AgentStanding {
                        role: role.unwrap_or(before.role),
                        active: active.unwrap_or(before.active),
                    };
                    if check_admin_remains(was, will, usize::try_from(admins).unwrap_or(0)).is_err() {
                        tx.rollback().await?;
                        return Ok(TeamOutcome::LastAdmin);
                    }
                    if was == will {
                        tx.rollback().await?;
                        return Ok(TeamOutcome::Done(before));
                    }
                    sqlx::query("UPDATE agents SET role = $1, active = $2 WHERE id = $3")
                        .bind(will.role.as_str())
                        .bind(will.active)
                        .bind(id.to_string())
                        .execute(&mut *tx)
                        .await?;
                    if !will.active {
                        sqlx::query("DELETE FROM sessions WHERE agent_id = $1")
                            .bind(id.to_string())
                            .execute(&mut *tx)
                            .await?;
                    }
                    let action = match (was.active, will.active) {
                        (true, false) => "disabled",
                        (false, true) => "enabled",
                        _ => "role_changed",
                    };
                    let state = |s: AgentStanding| TeamMemberState { role: s.role, active: s.active };
                    let change = TeamChange {
                        partner,
                        agent: id,
                        actor,
                        at,
                        action,
                        before: Some(state(was)),
                        after: state(will),
                    };
                    insert_team_event(&mut tx, change).await?;
                    let member = team_member(&mut tx, partner, id)
                        .await?
                        .ok_or_else(|| StoreError::new("changed agent vanished"))?;
                    tx.commit().await?;
                    Ok(TeamOutcome::Done(member))
                }

                async fn set_password(
                    &self,
                    agent: AgentId,
                    password_hash: &str,
                    keep_session: Option<&str>,
                    actor: Actor<'_>,
                    at: &str,
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    let row = sqlx::query(
                        "UPDATE agents SET password_hash = $1, must_change_password = $3 WHERE id = $2 \
                         RETURNING partner_id, role, active",
                    )
                    .bind(password_hash)
                    .bind(agent.to_string())
                    .bind(false)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::new("no such agent"))?;
                    sqlx::query("DELETE FROM sessions WHERE agent_id = $1 AND token_hash <> $2")
                        .bind(agent.to_string())
                        .bind(keep_session.unwrap_or(""))
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("UPDATE sessions SET must_change_password = $1 WHERE token_hash = $2")
                        .bind(false)
                        .bind(keep_session.unwrap_or(""))
                        .execute(&mut *tx)
                        .await?;
                    let partner: PartnerId = parsed(&row, "partner_id")?;
                    let state = TeamMemberState { role: parsed(&row, "role")?, active: row.flag("active")? };
                    let change = TeamChange {
                        partner,
                        agent,
                        actor,
                        at,
                        action: "password_set",
                        before: Some(state),
                        after: state,
                    };
                    insert_team_event(&mut tx, change).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn claim_token_id(
                    &self,
                    partner: PartnerId,
                    jti: &str,
                    expires_at: i64,
                    now: i64,
                ) -> StoreResult<bool> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM used_sign_in_tokens WHERE expires_at < $1")
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    let claimed = sqlx::query(
                        "INSERT INTO used_sign_in_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
                    )
                    // One key space per partner (a partner id holds no ':').
                    .bind(format!("{partner}:{jti}"))
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    tx.commit().await?;
                    Ok(claimed == 1)
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

                async fn customer_keys(&self, partner: PartnerId) -> StoreResult<Vec<NewCustomer>> {
                    let rows = sqlx::query("SELECT id, name, domain, created_at FROM customers WHERE partner_id = $1")
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

                async fn subscription_keys(&self, partner: PartnerId) -> StoreResult<Vec<SubscriptionKey>> {
                    let rows = sqlx::query(
                        "SELECT s.id, s.customer_id, s.offer_id, s.quantity, s.status, s.auto_renew, s.commitment_end, s.channel, \
                         s.scheduled_quantity, s.scheduled_term, s.version, s.anniversary_day \
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
                        Owned::Subscriptions => "SELECT s.id FROM subscriptions s JOIN customers c \
                                                 ON c.id = s.customer_id WHERE c.partner_id <> ",
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

                async fn import_customers(&self, partner: PartnerId, rows: &[NewCustomer]) -> StoreResult<()> {
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
                                .push_bind(customer_short_grams(&customer_search_text(&c.name, &c.domain)))
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
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    for chunk in rows.chunks(IMPORT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<Db>::new(
                            "INSERT INTO subscriptions (id, customer_id, offer_id, quantity, status, channel, \
                             auto_renew, created_at, commitment_end, version, anniversary_day) ",
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
                                .push_bind(line.expected_version.map_or(1, |v| i64::try_from(v).unwrap_or(-1)))
                                .push_bind(line.anniversary_day.map(i64::from));
                        });
                        q.push(
                            // A change of seats, a suspension or auto-renew off drops the change
                            // scheduled for the renewal, as in the console (the audit event's
                            // after-snapshot says the same); an ended subscription is never
                            // revived (the import refuses such lines first).
                            " ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, status = excluded.status, \
                             auto_renew = excluded.auto_renew, commitment_end = excluded.commitment_end, \
                             anniversary_day = COALESCE(excluded.anniversary_day, subscriptions.anniversary_day), \
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
                                .push_bind(shared::api::IMPORT_ACTOR)
                                .push_bind(at.to_owned())
                                .push_bind(EventAction::Imported.as_str())
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

pub(super) use sql_store;
