//! What an agent may do with a subscription, worked out from the same rules that guard the
//! writes, so the UI never guesses and never shows a button the server would refuse.

use serde::{Deserialize, Serialize};

use crate::model::{Role, Status, Subscription};
use crate::roles::Permission;
use crate::rules::ensure_allowed;
use crate::seats::seat_change_possible;
use crate::status::check_status_change;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionAction {
    ChangeQuantity,
    Suspend,
    Activate,
    /// Turn auto-renew to the other setting.
    SwitchAutoRenew,
    /// Cancel within 7 days of the order, with a refund.
    Cancel,
    /// Schedule (or remove) a change of seats or term for the renewal.
    ManageRenewal,
}

/// An action the agent cannot take right now, and why, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnavailableAction {
    pub action: SubscriptionAction,
    pub code: crate::error_code::ErrorCode,
    pub reason: String,
}

/// Splits every action into allowed ones and unavailable ones with their reasons.
pub fn actions_for(
    sub: &Subscription,
    role: Role,
    now: i64,
) -> (Vec<SubscriptionAction>, Vec<UnavailableAction>) {
    let mut allowed = Vec::new();
    let mut unavailable = Vec::new();
    let checks = [
        (
            SubscriptionAction::ChangeQuantity,
            seat_change_possible(sub),
        ),
        (
            SubscriptionAction::Suspend,
            check_status_change(sub, Status::Suspended, now).map(drop),
        ),
        (
            SubscriptionAction::Activate,
            check_status_change(sub, Status::Active, now).map(drop),
        ),
        (
            SubscriptionAction::SwitchAutoRenew,
            crate::status::check_auto_renew_change(sub, !sub.auto_renew).map(drop),
        ),
        (
            SubscriptionAction::Cancel,
            check_status_change(sub, Status::Cancelled, now).map(drop),
        ),
        (
            SubscriptionAction::ManageRenewal,
            crate::status::schedule_possible(sub),
        ),
    ];
    for (action, check) in checks {
        // The role comes first: a help-desk agent is told about their role, not the subscription.
        match ensure_allowed(role, Permission::Change).and(check) {
            Ok(()) => allowed.push(action),
            Err(e) => unavailable.push(UnavailableAction {
                action,
                code: e.code(),
                reason: e.to_string(),
            }),
        }
    }
    (allowed, unavailable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;
    use crate::model::Channel;
    use SubscriptionAction::*;

    /// A month after the fixture's order: too late to cancel.
    const NOW: i64 = 1_770_000_000;

    fn allowed(sub: &Subscription, role: Role) -> Vec<SubscriptionAction> {
        actions_for(sub, role, NOW).0
    }

    #[test]
    fn admin_on_an_active_partner_subscription() {
        assert_eq!(
            allowed(&subscription(), Role::Admin),
            vec![ChangeQuantity, Suspend, SwitchAutoRenew, ManageRenewal]
        );
        let (_, unavailable) = actions_for(&subscription(), Role::Admin, NOW);
        assert_eq!(unavailable.len(), 2);
        assert_eq!(unavailable[0].action, Activate);
        assert_eq!(unavailable[1].action, Cancel);
        assert!(unavailable[1].reason.contains("within 7 days"));
    }

    #[test]
    fn suspended_allows_only_activate() {
        let sub = Subscription {
            status: Status::Suspended,
            ..subscription()
        };
        assert_eq!(allowed(&sub, Role::Admin), vec![Activate]);
    }

    #[test]
    fn direct_and_read_only_allow_nothing_and_say_why() {
        let direct = Subscription {
            channel: Channel::Direct,
            ..subscription()
        };
        let (ok, no) = actions_for(&direct, Role::Admin, NOW);
        assert!(ok.is_empty());
        assert!(
            no.iter()
                .all(|u| u.reason.contains("bought directly by the customer"))
        );
        let (ok, no) = actions_for(&subscription(), Role::ReadOnly, NOW);
        assert!(ok.is_empty());
        assert_eq!(no.len(), 6);
        assert!(no.iter().all(|u| u.reason.contains("Read-only agent")));
        let (ok, _) = actions_for(&subscription(), Role::Helpdesk, NOW);
        assert_eq!(
            ok,
            vec![ChangeQuantity, Suspend, SwitchAutoRenew, ManageRenewal]
        );
        let (ok, no) = actions_for(&subscription(), Role::Sales, NOW);
        assert!(ok.is_empty());
        assert!(no.iter().all(|u| u.reason.contains("Sales agent")));
    }
}
