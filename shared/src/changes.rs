//! What a change to a subscription becomes: the rule that allows it, the values after it, and
//! the audit event that records it. The server writes exactly this; nothing else decides it.

use crate::api::{EventAction, SubscriptionChange};
use crate::model::{Status, Subscription, SubscriptionSnapshot};
use crate::reduction_window::{SeatBatch, batches_after};
use crate::rules::RuleError;
use crate::seats::check_seat_change;
use crate::status::{ScheduleInput, check_auto_renew_change, check_schedule, check_status_change};

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
///
/// Partner Center drops a change scheduled for the renewal when the seats change, auto-renew
/// goes off or the subscription is suspended or cancelled. So does this — never silently: the
/// after-snapshot shows it gone, the audit trail records it, and the forms warn before Save
/// ([`drops_scheduled_change`]).
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
                    scheduled: None,
                    ..before.clone()
                },
            )
        }
        SubscriptionChange::AutoRenew(on) => {
            let on = check_auto_renew_change(current, *on)?;
            (
                EventAction::AutoRenewChanged,
                SubscriptionSnapshot {
                    auto_renew: on,
                    scheduled: before.scheduled.clone().filter(|_| on),
                    ..before.clone()
                },
            )
        }
        SubscriptionChange::Status(target) => {
            let to = check_status_change(current, *target, now)?;
            (
                EventAction::StatusChanged,
                SubscriptionSnapshot {
                    status: to.status,
                    auto_renew: to.auto_renew,
                    scheduled: before
                        .scheduled
                        .clone()
                        .filter(|_| to.status == Status::Active),
                    ..before.clone()
                },
            )
        }
        SubscriptionChange::Schedule(request) => {
            let input = request.as_ref().map(|r| ScheduleInput {
                quantity: r.quantity.clone(),
                term: r.term.unwrap_or(current.term),
            });
            (
                EventAction::RenewalScheduled,
                SubscriptionSnapshot {
                    scheduled: check_schedule(current, input.as_ref())?,
                    ..before.clone()
                },
            )
        }
    };
    // Cancelling ends every window: nothing is left to remove.
    let seat_batches = if after.status == Status::Cancelled {
        Vec::new()
    } else {
        batches_after(&current.seat_batches, before.quantity, after.quantity, now)
    };
    Ok(PlannedChange {
        action,
        before,
        after,
        seat_batches,
    })
}

/// Whether `change` would drop the change scheduled for the renewal (for the forms' warning).
pub fn drops_scheduled_change(
    current: &Subscription,
    change: &SubscriptionChange,
    now: i64,
) -> bool {
    current.scheduled.is_some()
        && !matches!(change, SubscriptionChange::Schedule(_))
        && plan_change(current, change, now).is_ok_and(|p| p.after.scheduled.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;
    use crate::model::{ScheduledChange, Term};

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

    #[test]
    fn seats_suspension_and_auto_renew_off_drop_the_scheduled_change_openly() {
        let sub = Subscription {
            scheduled: Some(ScheduledChange {
                quantity: 4,
                term: Term::Monthly,
            }),
            ..subscription()
        };
        for change in [
            SubscriptionChange::Quantity(12.into()),
            SubscriptionChange::Status(Status::Suspended),
            SubscriptionChange::AutoRenew(false),
        ] {
            let planned = plan_change(&sub, &change, 0).unwrap();
            assert!(planned.before.scheduled.is_some(), "{change:?}");
            assert_eq!(planned.after.scheduled, None, "{change:?}");
            assert!(drops_scheduled_change(&sub, &change, 0), "{change:?}");
        }
        let removal = plan_change(&sub, &SubscriptionChange::Schedule(None), 0).unwrap();
        assert_eq!(removal.action, EventAction::RenewalScheduled);
        assert_eq!(removal.after.scheduled, None);
        assert!(!drops_scheduled_change(
            &subscription(),
            &SubscriptionChange::Quantity(12.into()),
            0
        ));
    }
}
