//! The agent a request or a command acts as: who is named in the audit trail, and whose
//! partner bounds everything they may see.

use shared::api::{PartnerInfo, SessionInfo};
use shared::ids::{AgentId, PartnerId};
use shared::model::Role;

/// The agent behind a request, with the partner that bounds everything they may see.
#[derive(Clone, Debug)]
pub struct SignedInAgent {
    pub agent_id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub partner_id: PartnerId,
    pub partner_name: String,
    /// Signed in with a password someone else chose: must choose their own first.
    pub must_change_password: bool,
}

impl SignedInAgent {
    pub fn session_info(&self) -> SessionInfo {
        SessionInfo {
            agent: shared::api::AgentInfo {
                id: self.agent_id,
                email: self.email.clone(),
                display_name: self.display_name.clone(),
                role: self.role,
            },
            partner: PartnerInfo {
                id: self.partner_id,
                name: self.partner_name.clone(),
            },
            must_change_password: self.must_change_password,
        }
    }
}
