//! Team changes, as the Team page and `reseller-console agent …` make them.

use shared::api::TeamMember;
use shared::rules::RuleError;

use crate::error::{AppError, AppResult};
use crate::store::TeamOutcome;

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
