//! What a change to a subscription becomes: the rule that allows it, the values after it, and
//! the audit event that records it. The server writes exactly this; nothing else decides it.

use crate::api::{EventAction, SubscriptionChange};
use crate::model::{Subscription, SubscriptionSnapshot};
use crate::reduction_window::{SeatBatch, batches_after};
use crate::rules::RuleError;
use crate::seats::check_seat_change;
use crate::status::{check_auto_renew_change, check_status_change};

/// An allowed change: what the audit trail records, before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedChange {
    pub action: EventAction,
    pub before: SubscriptionSnapshot,
    pub after: SubscriptionSnapshot,
    /// The seats' reduction windows after the change.
    pub seat_batches: Vec<SeatBatch>,
}

/// Checks `change` against the subscription as it is at `now` (Unix seconds) and says what it
/// will become.
pub fn plan_change(
    current: &Subscription,
    change: &SubscriptionChange,
    now: i64,
) -> Result<PlannedChange, RuleError> {
    let before = current.snapshot();
    let (action, after) = match change {
        SubscriptionChange::Quantity(input) => {
            let seats = check_seat_change(current, input, now)?;
            (
                EventAction::QuantityChanged,
                SubscriptionSnapshot {
                    quantity: seats.get(),
                    ..before
                },
            )
        }
        SubscriptionChange::AutoRenew(on) => (
            EventAction::AutoRenewChanged,
            SubscriptionSnapshot {
                auto_renew: check_auto_renew_change(current, *on)?,
                ..before
            },
        ),
        SubscriptionChange::Status(target) => {
            let to = check_status_change(current, *target)?;
            (
                EventAction::StatusChanged,
                SubscriptionSnapshot {
                    status: to.status,
                    auto_renew: to.auto_renew,
                    ..before
                },
            )
        }
    };
    Ok(PlannedChange {
        action,
        before,
        after,
        seat_batches: batches_after(&current.seat_batches, before.quantity, after.quantity, now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;
    use crate::model::Status;

    #[test]
    fn a_seat_change_touches_only_the_seats_and_a_suspension_turns_auto_renew_off() {
        let sub = subscription();
        let seats = plan_change(&sub, &SubscriptionChange::Quantity(12.into()), 0).unwrap();
        assert_eq!(seats.action, EventAction::QuantityChanged);
        assert_eq!(seats.before, sub.snapshot());
        assert_eq!(seats.after.quantity, 12);
        assert_eq!(
            (seats.after.status, seats.after.auto_renew),
            (sub.status, sub.auto_renew)
        );
        let suspend = plan_change(&sub, &SubscriptionChange::Status(Status::Suspended), 0).unwrap();
        assert_eq!(suspend.action, EventAction::StatusChanged);
        assert_eq!(suspend.after.quantity, sub.quantity);
        assert_eq!(
            (suspend.after.status, suspend.after.auto_renew),
            (Status::Suspended, false)
        );
    }
}
