//! The SQL both databases run, written once: one file per concern (`store/<concern>.rs`, its
//! trait and its `<concern>_sql!`), and here what they share. `$1`-style placeholders work on
//! both; numbers are bound as i64 (SQLite INTEGER, PostgreSQL BIGINT); names order bytewise on
//! both (SQLite's default, a "C" collation on PostgreSQL's columns). [`sql_store!`] writes every
//! concern's impl for a store, which provides what differs: `reader()` and `writer()` (its
//! pools), `begin_write()` (how a write transaction starts) and its [`Dialect`](super::dialect::Dialect).

macro_rules! sql_store {
    ($store:ty, $conn:ty) => {
        /// What every concern's SQL uses: the imports, the dialect's pieces, the helpers.
        mod sql_common {
            // A prelude: each concern uses part of it.
            #![allow(unused_imports)]
            use super::*;
            pub(super) use crate::store::dialect::Dialect;
            pub(super) use async_trait::async_trait;
            pub(super) use std::collections::HashSet;

            pub(super) use shared::activity::{ActivityAgent, ActivityEntry, ActivityFilter};
            pub(super) use shared::api::{
                EventAction, Page, PageRequest, SubscriptionEvent, Team, TeamMember,
                TeamMemberState,
            };
            pub(super) use shared::ids::{AgentId, CustomerId, OfferId, PartnerId, SubscriptionId};
            pub(super) use shared::model::{
                Customer, Offer, Role, Subscription, SubscriptionSnapshot,
            };
            pub(super) use shared::reduction_window::SeatBatch;
            pub(super) use shared::team::{AgentStanding, check_admin_remains};
            pub(super) use sqlx::Row;

            pub(super) type Db = <$conn as sqlx::Connection>::Database;
            /// Rows per multi-row INSERT in imports: well under both databases' bind limits.
            pub(super) const IMPORT_BATCH: usize = 500;

            pub(super) use crate::store::rows::{
                CUSTOMER_COLUMNS, ReadRow, SUBSCRIPTION_COLUMNS, TEAM_MEMBER_COLUMNS, agent_from,
                customer_from, event_from, offer_from, parsed, scheduled_from, seat_batch_from,
                subscription_from, team_event_from, team_member_from, to_json,
            };
            pub(super) use crate::store::{
                Actor, AddCustomerOutcome, AgentCredentials, AttemptGate, CustomerSearch,
                DomainOutcome, IdempotencyClaim, ImportedBy, ImportedSubscription, NewAgent,
                NewCustomer, NewEvent, NewSubscription, OrderOutcome, Owned, SEARCH_LIMIT, Seed,
                SignInGate, SignedInAgent, Store, StoreError, StoreResult, SubscriptionKey,
                TeamOutcome, UpdateOutcome, customer_search_text, customer_short_grams,
                customer_sort_key,
            };

            pub(super) const KEY_LOCK: Option<&str> = <$store as Dialect>::KEY_LOCK;
            pub(super) const AFTER_IMPORT: Option<&[&str]> = <$store as Dialect>::AFTER_IMPORT;
            pub(super) const TRIGRAM_MATCH: &str = <$store as Dialect>::TRIGRAM_MATCH;
            pub(super) const GRAM_MATCH: &str = <$store as Dialect>::GRAM_MATCH;
            pub(super) const POSITION_OF: &str = <$store as Dialect>::POSITION_OF;

            pub(super) fn match_argument(search: &CustomerSearch) -> String {
                <$store as Dialect>::match_argument(search)
            }
        }

        crate::store::sql::sql_helpers!($store, $conn);
        crate::store::setup::setup_sql!($store, $conn);
        crate::store::sessions::sessions_sql!($store, $conn);
        crate::store::customers::customers_sql!($store, $conn);
        crate::store::subscriptions::subscriptions_sql!($store, $conn);
        crate::store::events::events_sql!($store, $conn);
        crate::store::partners::partners_sql!($store, $conn);
        crate::store::team::team_sql!($store, $conn);
        crate::store::catalogue::catalogue_sql!($store, $conn);
        crate::store::imports::imports_sql!($store, $conn);
        crate::store::partner_center::partner_center_sql!($store, $conn);
        crate::store::partner_center_orders::partner_center_orders_sql!($store, $conn);
        crate::store::partner_center_queue::partner_center_queue_sql!($store, $conn);
        crate::store::prices::prices_sql!($store, $conn);
    };
}

pub(super) use sql_store;

/// The helpers more than one concern's SQL uses: reading and writing subscriptions, seat
/// batches, customers, events and team changes inside a transaction.
macro_rules! sql_helpers {
    ($store:ty, $conn:ty) => {
        mod sql_helpers {
            use super::*;
            use super::sql_common::*;

            pub(super) async fn team_member(
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
            pub(super) struct TeamChange<'a> {
                pub(super) partner: PartnerId,
                pub(super) agent: AgentId,
                pub(super) actor: Actor<'a>,
                pub(super) at: &'a str,
                pub(super) action: &'a str,
                pub(super) before: Option<TeamMemberState>,
                pub(super) after: TeamMemberState,
            }

            pub(super) async fn insert_team_event(
                conn: &mut $conn,
                change: TeamChange<'_>,
            ) -> StoreResult<()> {
                let TeamChange {
                    partner,
                    agent,
                    actor,
                    at,
                    action,
                    before,
                    after,
                } = change;
                let json =
                    |s: &TeamMemberState| serde_json::to_string(s).expect("states serialise");
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

            pub(super) async fn insert_customer(
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

            pub(super) async fn fetch_subscription(
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

            /// The compare-and-set write of a change, inside the caller's transaction (which
            /// commits on `Updated` and rolls back otherwise): `after`, the seat batches and the
            /// event, iff the subscription is still at `expected_version`.
            pub(super) async fn update_in_tx(
                conn: &mut $conn,
                partner: PartnerId,
                id: SubscriptionId,
                expected_version: u64,
                after: &SubscriptionSnapshot,
                seat_batches: &[SeatBatch],
                event: &NewEvent,
            ) -> StoreResult<UpdateOutcome> {
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
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if updated == 0 {
                    let current = fetch_subscription(conn, partner, id).await?;
                    return Ok(match current {
                        Some(current) => UpdateOutcome::Conflict(current),
                        None => UpdateOutcome::NotFound,
                    });
                }
                write_seat_batches(conn, id, seat_batches).await?;
                insert_event(conn, partner, id, event).await?;
                let sub = fetch_subscription(conn, partner, id)
                    .await?
                    .ok_or_else(|| StoreError::new("updated subscription vanished"))?;
                Ok(UpdateOutcome::Updated(sub))
            }


            pub(super) async fn seat_batches(
                conn: &mut $conn,
                id: SubscriptionId,
            ) -> StoreResult<Vec<SeatBatch>> {
                let rows = sqlx::query(
                    "SELECT quantity, added_at FROM seat_batches WHERE subscription_id = $1 ORDER BY added_at",
                )
                .bind(id.to_string())
                .fetch_all(&mut *conn)
                .await?;
                rows.iter().map(seat_batch_from).collect()
            }

            /// Replaces a subscription's batches (closed ones are simply not written again).
            pub(super) async fn write_seat_batches(
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
            pub(super) async fn tidy_after_import(
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

            pub(super) fn partner_id_of(text: &str) -> StoreResult<PartnerId> {
                text.parse().map_err(|_| {
                    StoreError::new(format!("stored partner id {text:?} is not an id"))
                })
            }

            pub(super) async fn insert_event(
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

            pub(super) async fn insert_subscription(
                conn: &mut $conn,
                s: &NewSubscription,
            ) -> StoreResult<()> {
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
        }
    };
}

pub(crate) use sql_helpers;
