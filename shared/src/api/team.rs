//! The Team page: agents, their changes, and the requests that make them.

use serde::{Deserialize, Serialize};

use crate::ids::AgentId;
use crate::model::Role;

/// One agent of the partner, as the Team page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// False once an admin disabled the agent: no sign-in, no session.
    pub active: bool,
    /// RFC 3339, UTC; none if the agent never signed in.
    pub last_sign_in_at: Option<String>,
}

/// A change to the team, for its audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamEvent {
    pub at: String,
    /// The admin's e-mail, or "command line".
    pub actor: String,
    pub agent_email: String,
    /// `added`, `role_changed`, `disabled`, `enabled`, `password_set`.
    pub action: String,
    pub before: Option<TeamMemberState>,
    pub after: TeamMemberState,
}

/// The part of an agent a team change touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberState {
    pub role: Role,
    pub active: bool,
}

/// `GET /api/team`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub agents: Vec<TeamMember>,
    /// The latest changes, newest first.
    pub events: Vec<TeamEvent>,
    /// The e-mail domains the partner owns: new agents have e-mails in these only.
    #[serde(default)]
    pub domains: Vec<String>,
}

/// `POST /api/team`: add an agent. Without `password`, the server makes a one-time one.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAgentRequest {
    pub email: String,
    pub display_name: String,
    /// `admin`, `sales`, `helpdesk` or `read_only`.
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The new agent, and the one-time password if the server made it (shown once, never again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAgentResponse {
    pub agent: TeamMember,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_time_password: Option<String>,
}

/// `PATCH /api/team/{id}`: a new role, or disable (`active: false`) / re-enable.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeAgentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}
