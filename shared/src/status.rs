//! Status changes: Active ⇄ Suspended, on partner-bought subscriptions only.

use crate::model::{Channel, Status, Subscription};
use crate::rules::RuleError;

/// What a permitted status change writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub status: Status,
    pub auto_renew: bool,
}

/// Reads a requested status as the API spells it ("active" or "suspended").
pub fn parse_status(text: &str) -> Result<Status, RuleError> {
    text.parse().map_err(|()| RuleError::UnknownStatus {
        given: text.chars().take(40).collect(),
    })
}

/// The rule for *Change status*. Suspending starts the customer's cancellation process and
/// turns auto-renew off; activating leaves auto-renew off until someone turns it back on.
pub fn check_status_change(sub: &Subscription, target: Status) -> Result<StatusChange, RuleError> {
    if sub.channel == Channel::Direct {
        return Err(RuleError::BoughtDirectly);
    }
    if sub.status == target {
        return Err(RuleError::StatusUnchanged { status: target });
    }
    Ok(StatusChange {
        status: target,
        auto_renew: match target {
            Status::Suspended => false,
            Status::Active => sub.auto_renew,
        },
    })
}

/// The rule for the auto-renew switch: an active, partner-bought subscription, and a change.
/// (Suspending turns it off; a suspended subscription does not renew, so it stays off.)
pub fn check_auto_renew_change(sub: &Subscription, on: bool) -> Result<bool, RuleError> {
    if sub.channel == Channel::Direct {
        return Err(RuleError::BoughtDirectly);
    }
    if sub.status != Status::Active {
        return Err(RuleError::AutoRenewWhileSuspended);
    }
    if sub.auto_renew == on {
        return Err(RuleError::AutoRenewUnchanged { on });
    }
    Ok(on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;

    #[test]
    fn suspending_turns_auto_renew_off_and_activating_keeps_it() {
        let active = subscription();
        assert_eq!(
            check_status_change(&active, Status::Suspended),
            Ok(StatusChange {
                status: Status::Suspended,
                auto_renew: false
            })
        );
        let suspended = Subscription {
            status: Status::Suspended,
            auto_renew: false,
            ..active
        };
        assert_eq!(
            check_status_change(&suspended, Status::Active),
            Ok(StatusChange {
                status: Status::Active,
                auto_renew: false
            })
        );
    }

    #[test]
    fn no_change_to_the_same_status_or_on_direct_subscriptions() {
        let active = subscription();
        assert_eq!(
            check_status_change(&active, Status::Active),
            Err(RuleError::StatusUnchanged {
                status: Status::Active
            })
        );
        let direct = Subscription {
            channel: Channel::Direct,
            ..active
        };
        for target in Status::ALL {
            assert_eq!(
                check_status_change(&direct, *target),
                Err(RuleError::BoughtDirectly)
            );
        }
    }

    #[test]
    fn only_the_two_spellings_parse() {
        assert_eq!(parse_status("suspended"), Ok(Status::Suspended));
        assert_eq!(parse_status("active"), Ok(Status::Active));
        for bad in ["", "Active", "cancelled", "deleted", " active"] {
            assert!(
                matches!(parse_status(bad), Err(RuleError::UnknownStatus { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn auto_renew_switches_only_on_active_partner_subscriptions() {
        use crate::fixtures::subscription;
        let sub = subscription();
        assert_eq!(check_auto_renew_change(&sub, false), Ok(false));
        assert_eq!(
            check_auto_renew_change(&sub, true),
            Err(RuleError::AutoRenewUnchanged { on: true })
        );
        let suspended = Subscription {
            status: Status::Suspended,
            auto_renew: false,
            ..subscription()
        };
        assert_eq!(
            check_auto_renew_change(&suspended, true),
            Err(RuleError::AutoRenewWhileSuspended)
        );
        let direct = Subscription {
            channel: Channel::Direct,
            ..subscription()
        };
        assert_eq!(
            check_auto_renew_change(&direct, false),
            Err(RuleError::BoughtDirectly)
        );
    }
}
