//! Status changes: Active ⇄ Suspended, and Cancel within 7 days of the order, on
//! partner-bought subscriptions only; the auto-renew switch; the change scheduled for the
//! renewal. (The end of a term moves the status on by itself: see `lifecycle`.)

use crate::lifecycle::DAY;
pub use crate::lifecycle::ensure_changeable;
use crate::model::{Channel, ScheduledChange, Status, Subscription, Term};
use crate::rules::RuleError;
use crate::seats::SeatInput;

/// A subscription can be cancelled within this many seconds of its order.
pub const CANCEL_WINDOW: i64 = 7 * DAY;

/// What a permitted status change writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub status: Status,
    pub auto_renew: bool,
}

/// Reads a requested status as the API spells it ("active", "suspended" or "cancelled"; the
/// others are set only by the end of a term).
pub fn parse_status(text: &str) -> Result<Status, RuleError> {
    text.parse()
        .ok()
        .filter(|s| matches!(s, Status::Active | Status::Suspended | Status::Cancelled))
        .ok_or_else(|| RuleError::UnknownStatus {
            given: text.chars().take(40).collect(),
        })
}

/// Until when (Unix seconds) a subscription can be cancelled: 7 days after its order here
/// (`None` for one imported: its order happened elsewhere).
pub fn cancellable_until(sub: &Subscription) -> Option<i64> {
    sub.ordered_at
        .as_deref()
        .and_then(crate::calendar::parse_rfc3339)
        .map(|t| t + CANCEL_WINDOW)
}

/// The rule for *Change status* at `now`. Suspending starts the customer's cancellation process
/// and turns auto-renew off; activating leaves auto-renew off until someone turns it back on;
/// cancelling (within 7 days of the order) ends the subscription at once.
pub fn check_status_change(
    sub: &Subscription,
    target: Status,
    now: i64,
) -> Result<StatusChange, RuleError> {
    if sub.channel == Channel::Direct {
        return Err(RuleError::BoughtDirectly);
    }
    if !sub.status.is_live() {
        return Err(RuleError::SubscriptionEnded { status: sub.status });
    }
    if sub.status == target {
        return Err(RuleError::StatusUnchanged { status: target });
    }
    match target {
        Status::Active => Ok(StatusChange {
            status: target,
            auto_renew: sub.auto_renew,
        }),
        Status::Suspended => Ok(StatusChange {
            status: target,
            auto_renew: false,
        }),
        Status::Cancelled if sub.status != Status::Active => Err(RuleError::CancelOnlyActive),
        Status::Cancelled => match cancellable_until(sub) {
            Some(until) if now < until => Ok(StatusChange {
                status: target,
                auto_renew: false,
            }),
            Some(until) => Err(RuleError::CancellationWindowClosed {
                closed_at: crate::calendar::rfc3339(until),
            }),
            None => Err(RuleError::NotOrderedHere),
        },
        _ => Err(RuleError::UnknownStatus {
            given: target.as_str().to_owned(),
        }),
    }
}

/// The rule for the auto-renew switch: an active, partner-bought subscription, and a change.
/// (Suspending turns it off; a suspended subscription does not renew, so it stays off.)
pub fn check_auto_renew_change(sub: &Subscription, on: bool) -> Result<bool, RuleError> {
    ensure_changeable(sub, RuleError::AutoRenewWhileSuspended)?;
    if sub.auto_renew == on {
        return Err(RuleError::AutoRenewUnchanged { on });
    }
    Ok(on)
}

/// A change for the renewal as asked: seats and term (`None`: remove the scheduled change).
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleInput {
    pub quantity: SeatInput,
    pub term: Term,
}

/// The rule for *Manage renewal*: active, auto-renew on, seats within the offer's bounds (lower
/// than today's is fine: that is what it is for), and a change from what the renewal would do.
/// Whether a change for the renewal can be scheduled (or removed) at all: active, partner-bought,
/// auto-renew on.
pub fn schedule_possible(sub: &Subscription) -> Result<(), RuleError> {
    // Suspended means auto-renew off: the same reason, about the renewal.
    ensure_changeable(sub, RuleError::ScheduleNeedsAutoRenew)?;
    if !sub.auto_renew {
        return Err(RuleError::ScheduleNeedsAutoRenew);
    }
    Ok(())
}

pub fn check_schedule(
    sub: &Subscription,
    input: Option<&ScheduleInput>,
) -> Result<Option<ScheduledChange>, RuleError> {
    schedule_possible(sub)?;
    let Some(input) = input else {
        return match sub.scheduled {
            Some(_) => Ok(None),
            None => Err(RuleError::NothingScheduled),
        };
    };
    let seats = input
        .quantity
        .for_offer(sub.seat_bounds())
        .map_err(RuleError::Seats)?;
    let asked = ScheduledChange {
        quantity: seats.get(),
        term: input.term,
    };
    let renewal_does = sub.scheduled.clone().unwrap_or(ScheduledChange {
        quantity: sub.quantity,
        term: sub.term,
    });
    if asked == renewal_does {
        return Err(RuleError::ScheduleUnchanged {
            quantity: asked.quantity,
            term: asked.term,
        });
    }
    // Asking for exactly today's seats and term removes the scheduled change.
    Ok((asked.quantity != sub.quantity || asked.term != sub.term).then_some(asked))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;

    #[test]
    fn suspending_turns_auto_renew_off_and_activating_keeps_it() {
        let active = subscription();
        assert_eq!(
            check_status_change(&active, Status::Suspended, 0),
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
            check_status_change(&suspended, Status::Active, 0),
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
            check_status_change(&active, Status::Active, 0),
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
                check_status_change(&direct, *target, 0),
                Err(RuleError::BoughtDirectly)
            );
        }
    }

    #[test]
    fn only_the_two_spellings_parse() {
        assert_eq!(parse_status("suspended"), Ok(Status::Suspended));
        assert_eq!(parse_status("active"), Ok(Status::Active));
        assert_eq!(parse_status("cancelled"), Ok(Status::Cancelled));
        for bad in ["", "Active", "expired", "disabled", "deleted", " active"] {
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

    #[test]
    fn cancel_only_within_seven_days_of_the_order_and_only_when_active() {
        use crate::calendar::parse_rfc3339;
        let sub = subscription(); // ordered 2026-01-05T09:30:00Z
        let ordered = parse_rfc3339(sub.ordered_at.as_deref().unwrap()).unwrap();
        let last = ordered + CANCEL_WINDOW - 1;
        assert_eq!(
            check_status_change(&sub, Status::Cancelled, last),
            Ok(StatusChange {
                status: Status::Cancelled,
                auto_renew: false
            })
        );
        assert_eq!(
            check_status_change(&sub, Status::Cancelled, last + 1),
            Err(RuleError::CancellationWindowClosed {
                closed_at: "2026-01-12T09:30:00Z".into()
            })
        );
        let suspended = Subscription {
            status: Status::Suspended,
            ..subscription()
        };
        assert_eq!(
            check_status_change(&suspended, Status::Cancelled, ordered),
            Err(RuleError::CancelOnlyActive)
        );
        let imported = Subscription {
            ordered_at: None,
            ..subscription()
        };
        assert_eq!(
            check_status_change(&imported, Status::Cancelled, ordered),
            Err(RuleError::NotOrderedHere)
        );
        for ended in [Status::Cancelled, Status::Expired, Status::Disabled] {
            let sub = Subscription {
                status: ended,
                ..subscription()
            };
            assert_eq!(
                check_status_change(&sub, Status::Active, ordered),
                Err(RuleError::SubscriptionEnded { status: ended })
            );
            assert_eq!(
                check_auto_renew_change(&sub, false),
                Err(RuleError::SubscriptionEnded { status: ended })
            );
        }
    }

    #[test]
    fn a_renewal_change_needs_auto_renew_and_a_difference() {
        let sub = subscription(); // 10 seats, annual, auto-renew on
        let ask = |q: u32, term| ScheduleInput {
            quantity: q.into(),
            term,
        };
        assert_eq!(
            check_schedule(&sub, Some(&ask(4, Term::Annual))),
            Ok(Some(ScheduledChange {
                quantity: 4,
                term: Term::Annual
            }))
        );
        assert_eq!(
            check_schedule(&sub, Some(&ask(10, Term::Annual))),
            Err(RuleError::ScheduleUnchanged {
                quantity: 10,
                term: Term::Annual
            })
        );
        assert!(matches!(
            check_schedule(&sub, Some(&ask(301, Term::Annual))),
            Err(RuleError::Seats(_))
        ));
        assert_eq!(check_schedule(&sub, None), Err(RuleError::NothingScheduled));
        let scheduled = Subscription {
            scheduled: Some(ScheduledChange {
                quantity: 4,
                term: Term::Monthly,
            }),
            ..subscription()
        };
        assert_eq!(check_schedule(&scheduled, None), Ok(None));
        // Back to today's seats and term: the scheduled change goes.
        assert_eq!(
            check_schedule(&scheduled, Some(&ask(10, Term::Annual))),
            Ok(None)
        );
        let off = Subscription {
            auto_renew: false,
            ..subscription()
        };
        assert_eq!(
            check_schedule(&off, Some(&ask(4, Term::Annual))),
            Err(RuleError::ScheduleNeedsAutoRenew)
        );
    }
}
