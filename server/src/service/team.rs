//! Team changes, as the Team page and `reseller-console agent …` make them.

use shared::ErrorCode;
use shared::api::TeamMember;
use shared::ids::{AgentId, PartnerId};
use shared::model::Role;
use shared::rules::RuleError;
use shared::team::{check_new_password, normalise_email, normalise_name, parse_role};
use uuid::Uuid;

use crate::clock::Clock;
use crate::credentials::generate_password;
use crate::error::{AppError, AppResult};
use crate::store::{NewAgent, Store, TeamOutcome};

/// What a refused team change answers, for the API and the command line alike.
pub fn outcome(outcome: TeamOutcome, email: &str) -> AppResult<TeamMember> {
    match outcome {
        TeamOutcome::Done(member) => Ok(member),
        TeamOutcome::NotFound => Err(AppError::not_found("agent")),
        TeamOutcome::EmailTaken => Err(RuleError::EmailTaken {
            email: email.to_owned(),
        }
        .into()),
        TeamOutcome::DomainNotOwned(owned) => Err(RuleError::EmailDomainNotOwned {
            domain: shared::team::email_domain(email).to_owned(),
            owned: owned.join(", "),
        }
        .into()),
        TeamOutcome::LastAdmin => Err(RuleError::LastAdmin.into()),
    }
}

/// An agent to add, as typed on the Team page or given to `agent add`.
pub struct AgentToAdd<'a> {
    pub email: &'a str,
    /// `None`: the part of the e-mail before `@`.
    pub display_name: Option<&'a str>,
    pub role: &'a str,
    /// `None`: a one-time password is generated.
    pub password: Option<String>,
}

/// An agent that passed the team rules, with the password it will sign in with.
pub struct CheckedAgent {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    /// The password was generated here (and is shown once).
    pub generated: bool,
}

/// The rules of `shared::team` on a new agent. The caller then hashes the password (on its own
/// workers: the API's pool, the command line's thread) and calls [`add_agent`].
pub fn check_new_agent(agent: AgentToAdd<'_>) -> Result<CheckedAgent, RuleError> {
    let email = normalise_email(agent.email)?;
    let fallback = email.split('@').next().unwrap_or_default().to_owned();
    let display_name = normalise_name("display_name", agent.display_name.unwrap_or(&fallback))?;
    let role = parse_role(agent.role)?;
    let (password, generated) = match agent.password {
        Some(p) => {
            check_new_password(&p)?;
            (p, false)
        }
        None => (generate_password(), true),
    };
    Ok(CheckedAgent {
        email,
        display_name,
        role,
        password,
        generated,
    })
}

/// Adds `agent` to `partner`'s team (its e-mail in one of the partner's domains, unique),
/// audited as by `actor`. `must_change_password`: the agent replaces the password at first
/// sign-in (someone else knows it).
pub async fn add_agent(
    store: &dyn Store,
    clock: &Clock,
    partner: PartnerId,
    agent: &CheckedAgent,
    password_hash: String,
    must_change_password: bool,
    actor: &str,
) -> AppResult<TeamMember> {
    let new = NewAgent {
        id: AgentId(Uuid::new_v4()),
        partner_id: partner,
        email: agent.email.clone(),
        display_name: agent.display_name.clone(),
        role: agent.role,
        password_hash,
        created_at: clock.now_rfc3339(),
        must_change_password,
    };
    let member = outcome(store.add_agent(new, actor).await?, &agent.email)?;
    tracing::info!(actor = %actor, agent = %member.email, role = %member.role, "agent added");
    Ok(member)
}

/// A new role and/or active flag for agent `id` of `partner`; the partner keeps an active
/// admin, and disabling ends the agent's sessions.
pub async fn change_agent(
    store: &dyn Store,
    clock: &Clock,
    partner: PartnerId,
    id: AgentId,
    role: Option<Role>,
    active: Option<bool>,
    actor: &str,
) -> AppResult<TeamMember> {
    if role.is_none() && active.is_none() {
        return Err(AppError::new(
            ErrorCode::InvalidChange,
            "Nothing to change: send a new \"role\" or \"active\".",
        ));
    }
    let changed = store
        .change_agent(partner, id, role, active, actor, &clock.now_rfc3339())
        .await?;
    let member = outcome(changed, "")?;
    tracing::info!(actor = %actor, agent = %member.email, role = %member.role, active = member.active, "agent changed");
    Ok(member)
}
