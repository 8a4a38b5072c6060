//! A partner's team: its agents, their roles, and the audit trail of its changes.
//!
//! [`TeamStore`] is the interface; `team_sql!` writes its SQL once for both databases
//! (invoked by `sql_store!` in `sql.rs`, for each store).

use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait TeamStore: Send + Sync {
    /// The partner's agents, and its latest team changes (newest first).
    async fn team(&self, partner: PartnerId) -> StoreResult<Team>;
    async fn add_agent(&self, agent: NewAgent, actor: Actor<'_>) -> StoreResult<TeamOutcome>;
    /// A new role and/or active flag, keeping one active admin; disabling ends the agent's
    /// sessions in the same transaction.
    async fn change_agent(
        &self,
        partner: PartnerId,
        id: AgentId,
        role: Option<Role>,
        active: Option<bool>,
        actor: Actor<'_>,
        at: &str,
    ) -> StoreResult<TeamOutcome>;
}

/// The SQL of [`TeamStore`]: `$store` is the store type, `$conn` its connection type.
macro_rules! team_sql {
    ($store:ty, $conn:ty) => {
        mod team_sql {
            use super::*;
            use super::sql_common::*;
            use super::sql_helpers::*;
            use crate::store::partners::PartnerStore;

            #[async_trait]
            impl crate::store::team::TeamStore for $store {
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
                        agents: agents
                            .iter()
                            .map(team_member_from)
                            .collect::<StoreResult<_>>()?,
                        events: events
                            .iter()
                            .map(team_event_from)
                            .collect::<StoreResult<_>>()?,
                        domains: self.partner_domains(partner).await?,
                    })
                }

                async fn add_agent(
                    &self,
                    a: NewAgent,
                    actor: Actor<'_>,
                ) -> StoreResult<TeamOutcome> {
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
                    let after = TeamMemberState {
                        role: a.role,
                        active: true,
                    };
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
                        sqlx::query(lock)
                            .bind(format!("team:{partner}"))
                            .execute(&mut *tx)
                            .await?;
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
                    let was = AgentStanding {
                        role: before.role,
                        active: before.active,
                    };
                    let will = AgentStanding {
                        role: role.unwrap_or(before.role),
                        active: active.unwrap_or(before.active),
                    };
                    if check_admin_remains(was, will, usize::try_from(admins).unwrap_or(0)).is_err()
                    {
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
                    let state = |s: AgentStanding| TeamMemberState {
                        role: s.role,
                        active: s.active,
                    };
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
            }
        }
    };
}

pub(crate) use team_sql;
