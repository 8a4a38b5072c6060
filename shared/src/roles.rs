//! The role table: what each agent role may do, and the reason a refusal gives. The server
//! enforces it on every route; the UI reads the same table to disable (and explain) what the
//! agent's role cannot do.
//!
//! | role      | view, exports | add customers, order | change seats, status, auto-renew | manage the team | see costs and margins | set prices |
//! |-----------|---------------|----------------------|----------------------------------|-----------------|-----------------------|------------|
//! | Admin     | yes           | yes                  | yes                              | yes             | yes                   | yes        |
//! | Sales     | yes           | yes                  | no                               | no              | yes                   | no         |
//! | Helpdesk  | yes           | no                   | yes                              | no              | no                    | no         |
//! | Read-only | yes           | no                   | no                               | no              | no                    | no         |
//!
//! Everyone sees the customer's price; what the partner pays Microsoft, and so its margin, is
//! for those who sell (a help-desk agent on a call with the customer cannot let it slip).

use serde::{Deserialize, Serialize};

use crate::model::Role;

/// Something an agent may or may not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See customers, subscriptions and their history; download exports.
    View,
    /// Add customers and order new subscriptions.
    Order,
    /// Change an existing subscription: seats, status, auto-renew.
    Change,
    /// Add agents, change their roles, disable them.
    ManageTeam,
    /// See what the partner pays Microsoft, and its margin.
    SeeCosts,
    /// Import price lists and set the partner's prices.
    SetPrices,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::View,
        Permission::Order,
        Permission::Change,
        Permission::ManageTeam,
        Permission::SeeCosts,
        Permission::SetPrices,
    ];
}

/// The table itself.
pub fn role_allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Sales => matches!(permission, View | Order | SeeCosts),
        Role::Helpdesk => matches!(permission, View | Change),
        Role::ReadOnly => permission == View,
    }
}

/// The roles that may do something, for the "ask …" half of a refusal.
pub fn roles_allowed(permission: Permission) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| role_allows(*r, permission))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ensure_allowed;
    use Permission::*;

    #[test]
    fn the_table_as_the_issue_writes_it() {
        let table = [
            (Role::Admin, [true, true, true, true, true, true]),
            (Role::Sales, [true, true, false, false, true, false]),
            (Role::Helpdesk, [true, false, true, false, false, false]),
            (Role::ReadOnly, [true, false, false, false, false, false]),
        ];
        for (role, row) in table {
            for (permission, expected) in [View, Order, Change, ManageTeam, SeeCosts, SetPrices]
                .into_iter()
                .zip(row)
            {
                assert_eq!(
                    role_allows(role, permission),
                    expected,
                    "{role:?} {permission:?}"
                );
            }
        }
    }

    #[test]
    fn refusals_say_which_role_to_ask() {
        let e = ensure_allowed(Role::Sales, Change).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Your role (Sales agent) cannot change existing subscriptions: ask an Admin agent or a Helpdesk agent."
        );
        assert_eq!(e.code().http_status(), 403);
        assert_eq!(
            ensure_allowed(Role::Helpdesk, Order)
                .unwrap_err()
                .to_string(),
            "Your role (Helpdesk agent) cannot add customers or order subscriptions: ask an Admin agent or a Sales agent."
        );
        assert_eq!(
            ensure_allowed(Role::ReadOnly, ManageTeam)
                .unwrap_err()
                .to_string(),
            "Your role (Read-only agent) cannot manage the team: ask an Admin agent."
        );
        assert!(ensure_allowed(Role::ReadOnly, View).is_ok());
    }
}
