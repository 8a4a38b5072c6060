//! Signing in: the request, the session it opens, a host portal's token, a new password.

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, PartnerId};
use crate::model::Role;

/// `POST /api/session`
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

/// `GET /api/session`: who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub agent: AgentInfo,
    pub partner: PartnerInfo,
    /// The agent signed in with a password someone else chose (a one-time password): until
    /// they choose their own (`POST /api/session/password`), every other request is refused
    /// with `password_change_required`.
    #[serde(default)]
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentInfo {
    pub id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerInfo {
    pub id: PartnerId,
    pub name: String,
}

/// `POST /api/session/password`: the signed-in agent changes their own password.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/session/exchange`: a host portal's signed token for the console's session.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenExchangeRequest {
    pub token: String,
}
