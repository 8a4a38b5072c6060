//! Sign-in: credentials, sessions, the sign-in throttle, passwords, portal tokens' ids.
//!
//! [`SessionStore`] is the interface; `sessions_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn agent_credentials(&self, email: &str) -> StoreResult<Option<AgentCredentials>>;
    /// A session; `must_change_password` gates it until the agent chooses a password.
    async fn create_session(
        &self,
        token_hash: &str,
        agent: AgentId,
        now: i64,
        expires_at: i64,
        must_change_password: bool,
    ) -> StoreResult<()>;
    async fn session_agent(&self, token_hash: &str, now: i64)
    -> StoreResult<Option<SignedInAgent>>;
    /// Counts a sign-in attempt under `key` (a fixed-size hash, see `http::routes::session`) unless
    /// `gate.limit` were already made since `gate.window_start`; atomic, so parallel guesses
    /// cannot slip past the limit. Keeps at most about `gate.rows_kept` attempts in all,
    /// dropping the oldest, so no stream of new keys can grow the table without bound.
    async fn gate_sign_in(&self, key: &str, gate: AttemptGate) -> StoreResult<SignInGate>;
    /// Forgets `key`'s attempts (after a successful sign-in).
    async fn clear_sign_in_attempts(&self, key: &str) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// A new password hash; every session of the agent ends except `keep_session` (a hash).
    async fn set_password(
        &self,
        agent: AgentId,
        password_hash: &str,
        keep_session: Option<&str>,
        actor: Actor<'_>,
        at: &str,
    ) -> StoreResult<()>;
    /// Records a sign-in token's `jti` for the partner whose portal signed it; false if that
    /// partner's portal already used it (a replay). Each partner's ids are its own: another
    /// portal choosing the same id blocks nobody.
    async fn claim_token_id(
        &self,
        partner: PartnerId,
        jti: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<bool>;
}

/// The SQL of [`SessionStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! sessions_sql {
    ($store:ty, $conn:ty) => {
        mod sessions_sql {
            use super::sql_common::*;
            use super::sql_helpers::*;
            use super::*;

            #[async_trait]
            impl crate::store::sessions::SessionStore for $store {
                async fn agent_credentials(
                    &self,
                    email: &str,
                ) -> StoreResult<Option<AgentCredentials>> {
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

                async fn gate_sign_in(
                    &self,
                    key: &str,
                    gate: AttemptGate,
                ) -> StoreResult<SignInGate> {
                    let mut tx = self.begin_write().await?;
                    if let Some(lock) = KEY_LOCK {
                        sqlx::query(lock)
                            .bind(format!("sign-in:{key}"))
                            .execute(&mut *tx)
                            .await?;
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
                        Some(oldest) if count >= i64::from(gate.limit) => {
                            SignInGate::Refused { oldest }
                        }
                        _ => {
                            sqlx::query(
                                "INSERT INTO sign_in_attempts (key_hash, at) VALUES ($1, $2)",
                            )
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
                    sqlx::query(
                        "UPDATE sessions SET must_change_password = $1 WHERE token_hash = $2",
                    )
                    .bind(false)
                    .bind(keep_session.unwrap_or(""))
                    .execute(&mut *tx)
                    .await?;
                    let partner: PartnerId = parsed(&row, "partner_id")?;
                    let state = TeamMemberState {
                        role: parsed(&row, "role")?,
                        active: row.flag("active")?,
                    };
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
            }
        }
    };
}

pub(crate) use sessions_sql;
