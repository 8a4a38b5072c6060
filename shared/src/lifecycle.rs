//! What time does to a subscription, as pure functions of "now" (Unix seconds): its term's end
//! date, the renewal at that end, and what follows a term that does not renew (Partner Center's
//! new-commerce rules, simplified).
//!
//! - A term ends on its end date (`commitment_end`, `YYYY-MM-DD`): it is over at the next
//!   day's 00:00:00 UTC — the end date's last second still belongs to it.
//! - Terms run from one anniversary to the next: the day of the month of the order, or the
//!   month's last day when it is shorter (31 January → 28/29 February → 31 March).
//! - When a term is over: Active with auto-renew on **renews** (new end date, the scheduled
//!   change applied and cleared, a new 7-day reduction window for all its seats); Active with
//!   auto-renew off **expires**; Suspended is **disabled**. An Expired one is disabled 30 days
//!   later, a Disabled one deleted 90 days after that. Cancelled stays as it is.
//!
//! Each step happens at its due instant, whenever the server gets to it: a server that was
//! down applies the missed steps one by one, each dated when it was due.

use crate::calendar::{add_months, date_of, date_text, midnight, parse_date};
use crate::model::{Channel, SeatBatch};
use crate::model::{Status, Subscription, SubscriptionSnapshot, Term};
use crate::rules::RuleError;

pub const DAY: i64 = 86_400;
/// An Expired subscription is disabled this many days after it expired.
pub const DISABLED_AFTER_DAYS: i64 = 30;
/// A Disabled subscription is deleted this many days after it was disabled.
pub const DELETED_AFTER_DAYS: i64 = 90;

pub fn months(term: Term) -> i64 {
    match term {
        Term::Monthly => 1,
        Term::Annual => 12,
    }
}

/// The end date of the first term of a subscription ordered at `start` (Unix seconds).
pub fn first_term_end(start: i64, term: Term) -> String {
    let day = date_of(start);
    date_text(add_months(day, months(term), day.2))
}

/// The instant a term ending on `end` is over: the next day's midnight, UTC.
pub fn term_over_at(end: &str) -> Option<i64> {
    parse_date(end).map(|d| midnight(d) + DAY)
}

/// The day of the month a subscription's terms end on: its order's, or for one imported the
/// day of the end date its file gave (kept as `anniversary_day`) — unless the current end
/// date says otherwise (then its own day).
pub fn anniversary_day(sub: &Subscription) -> u32 {
    let end = parse_date(&sub.commitment_end);
    let ordered = sub
        .ordered_at
        .as_deref()
        .and_then(|t| parse_date(t.get(..10)?))
        .map(|d| d.2);
    let kept = ordered.or(sub.anniversary_day);
    match (end, kept) {
        (Some(end), Some(day)) if add_months(end, 0, day) == end => day,
        (Some(end), _) => end.2,
        (None, _) => 1,
    }
}

/// Why an end date from a file cannot be a subscription's term end at `now`: before
/// [`FIRST_YEAR`](crate::calendar::FIRST_YEAR) (refused when read), more than one term in the
/// past (its renewals would have to catch up term after term: a typo, or a stale export), or
/// more than one term ahead (no term of `term` ends that late).
pub fn check_file_end_date(end: &str, term: Term, now: i64) -> Result<(), String> {
    let date = parse_date(end).ok_or_else(|| format!("{end} is not a day the console takes"))?;
    let today = date_of(now);
    let earliest = add_months(today, -months(term), today.2);
    let latest = add_months(today, months(term), today.2);
    let term_name = match term {
        Term::Monthly => "a monthly",
        Term::Annual => "an annual",
    };
    if date < earliest {
        Err(format!(
            "the end date {end} is more than one term in the past for {term_name} term (the earliest taken today is {}): is it a typo, or an old export?",
            date_text(earliest)
        ))
    } else if date > latest {
        Err(format!(
            "the end date {end} is more than one term ahead for {term_name} term (the latest taken today is {}): is it a typo?",
            date_text(latest)
        ))
    } else {
        Ok(())
    }
}

/// The end date of the term that follows one ending on `end`, for a term of `term`.
pub fn next_term_end(end: &str, term: Term, anniversary: u32) -> Option<String> {
    parse_date(end).map(|d| date_text(add_months(d, months(term), anniversary)))
}

/// What the end of the term did (or does) to a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Renewed,
    Expired,
    Disabled,
    Deleted,
}

/// A step that is due, and what the subscription becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueStep {
    pub step: Step,
    /// When it was due (Unix seconds): the audit event's time.
    pub at: i64,
    pub after: SubscriptionSnapshot,
    pub seat_batches: Vec<SeatBatch>,
}

/// When the subscription took its current status: recorded, or else its term's end.
fn status_since(sub: &Subscription) -> Option<i64> {
    sub.status_since
        .as_deref()
        .and_then(crate::calendar::parse_rfc3339)
        .or_else(|| term_over_at(&sub.commitment_end))
}

/// The next step due for `sub` at `now`, if any. Applying it and asking again gives the step
/// after (a server catching up after downtime); at most one step is due per term and status.
pub fn due_step(sub: &Subscription, now: i64) -> Option<DueStep> {
    let over = term_over_at(&sub.commitment_end)?;
    let before = sub.snapshot();
    let ended = |status: Status, at: i64| DueStep {
        step: match status {
            Status::Expired => Step::Expired,
            Status::Disabled => Step::Disabled,
            _ => Step::Deleted,
        },
        at,
        after: SubscriptionSnapshot {
            status,
            auto_renew: false,
            scheduled: None,
            ..before.clone()
        },
        seat_batches: Vec::new(),
    };
    let step = match sub.status {
        Status::Active if sub.auto_renew => {
            let next = sub.scheduled.clone();
            let term = next.as_ref().map_or(sub.term, |n| n.term);
            let quantity = next.as_ref().map_or(sub.quantity, |n| n.quantity);
            let end = next_term_end(&sub.commitment_end, term, anniversary_day(sub))?;
            DueStep {
                step: Step::Renewed,
                at: over,
                after: SubscriptionSnapshot {
                    quantity,
                    commitment_end: Some(end),
                    term: Some(term),
                    scheduled: None,
                    ..before.clone()
                },
                seat_batches: vec![SeatBatch {
                    quantity,
                    added_at: over,
                }],
            }
        }
        Status::Active => ended(Status::Expired, over),
        Status::Suspended => ended(Status::Disabled, over),
        Status::Expired => ended(
            Status::Disabled,
            status_since(sub)? + DISABLED_AFTER_DAYS * DAY,
        ),
        Status::Disabled => ended(
            Status::Deleted,
            status_since(sub)? + DELETED_AFTER_DAYS * DAY,
        ),
        Status::Cancelled | Status::Deleted => return None,
    };
    (now >= step.at).then_some(step)
}

/// What happens next to a subscription and when (for the page and the action pane): the
/// step the end of its term brings, or the next one after an expiry.
pub fn next_step(sub: &Subscription) -> Option<(Step, i64)> {
    // Asked at the end of time, the step that would be due says what and when.
    due_step(sub, i64::MAX).map(|s| (s.step, s.at))
}

/// Partner-bought and still within a term; `suspended` is the refusal when it is suspended.
pub fn ensure_changeable(sub: &Subscription, suspended: RuleError) -> Result<(), RuleError> {
    if sub.channel == Channel::Direct {
        return Err(RuleError::BoughtDirectly);
    }
    match sub.status {
        Status::Active => Ok(()),
        Status::Suspended => Err(suspended),
        status => Err(RuleError::SubscriptionEnded { status }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_rfc3339;
    use crate::fixtures::subscription;
    use crate::model::ScheduledChange;

    fn at(text: &str) -> i64 {
        parse_rfc3339(text).unwrap()
    }

    /// Applies due steps until none is, as the server does.
    fn run(mut sub: Subscription, now: i64) -> (Subscription, Vec<(Step, String)>) {
        let mut steps = Vec::new();
        while let Some(s) = due_step(&sub, now) {
            steps.push((s.step, crate::calendar::rfc3339(s.at)));
            sub.quantity = s.after.quantity;
            sub.status = s.after.status;
            sub.auto_renew = s.after.auto_renew;
            sub.commitment_end = s.after.commitment_end.clone().unwrap();
            sub.term = s.after.term.unwrap();
            sub.scheduled = s.after.scheduled;
            sub.seat_batches = s.seat_batches;
            if sub.status != Status::Active {
                sub.status_since = Some(crate::calendar::rfc3339(s.at));
            }
            assert!(steps.len() < 1000);
        }
        (sub, steps)
    }

    #[test]
    fn a_term_is_over_after_the_last_second_of_its_end_date() {
        let sub = subscription(); // ends 2027-01-05, auto-renew on
        assert_eq!(due_step(&sub, at("2027-01-05T23:59:59Z")), None);
        let renewal = due_step(&sub, at("2027-01-06T00:00:00Z")).unwrap();
        assert_eq!(renewal.step, Step::Renewed);
        assert_eq!(renewal.after.commitment_end.as_deref(), Some("2028-01-05"));
        assert_eq!(
            renewal.seat_batches,
            vec![SeatBatch {
                quantity: 10,
                added_at: at("2027-01-06T00:00:00Z")
            }]
        );
    }

    #[test]
    fn monthly_terms_keep_the_31st_across_short_months_and_leap_days() {
        let sub = Subscription {
            term: Term::Monthly,
            ordered_at: Some("2027-12-31T10:00:00Z".into()),
            commitment_end: "2028-01-31".into(),
            ..subscription()
        };
        let (sub, steps) = run(sub, at("2028-05-01T00:00:00Z"));
        let ends: Vec<_> = steps.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(
            ends,
            [
                "2028-02-01T00:00:00Z",
                "2028-03-01T00:00:00Z",
                "2028-04-01T00:00:00Z",
                "2028-05-01T00:00:00Z"
            ]
        );
        assert_eq!(sub.commitment_end, "2028-05-31");
        assert_eq!(
            first_term_end(at("2028-01-31T12:00:00Z"), Term::Monthly),
            "2028-02-29"
        );
        assert_eq!(
            first_term_end(at("2028-02-29T12:00:00Z"), Term::Annual),
            "2029-02-28"
        );
        assert_eq!(
            next_term_end("2029-02-28", Term::Annual, 29).as_deref(),
            Some("2030-02-28")
        );
        assert_eq!(
            next_term_end("2031-02-28", Term::Annual, 29).as_deref(),
            Some("2032-02-29")
        );
    }

    #[test]
    fn a_renewal_applies_the_scheduled_change_once() {
        let sub = Subscription {
            scheduled: Some(ScheduledChange {
                quantity: 4,
                term: Term::Monthly,
            }),
            ..subscription()
        };
        let (sub, steps) = run(sub, at("2027-02-06T00:00:00Z"));
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert_eq!(sub.quantity, 4);
        assert_eq!(sub.term, Term::Monthly);
        assert_eq!(sub.scheduled, None);
        assert_eq!(sub.commitment_end, "2027-03-05");
    }

    #[test]
    fn without_auto_renew_it_expires_then_is_disabled_then_deleted() {
        let sub = Subscription {
            auto_renew: false,
            ..subscription()
        };
        let (sub, steps) = run(sub, at("2030-01-01T00:00:00Z"));
        assert_eq!(
            steps,
            [
                (Step::Expired, "2027-01-06T00:00:00Z".to_owned()),
                (Step::Disabled, "2027-02-05T00:00:00Z".to_owned()),
                (Step::Deleted, "2027-05-06T00:00:00Z".to_owned()),
            ]
        );
        assert_eq!(sub.status, Status::Deleted);
        assert_eq!(due_step(&sub, i64::MAX), None);
        let suspended = Subscription {
            status: Status::Suspended,
            ..subscription()
        };
        assert_eq!(
            next_step(&suspended),
            Some((Step::Disabled, at("2027-01-06T00:00:00Z")))
        );
        let cancelled = Subscription {
            status: Status::Cancelled,
            ..subscription()
        };
        assert_eq!(next_step(&cancelled), None);
    }

    #[test]
    fn imported_end_dates_set_the_anniversary() {
        let sub = Subscription {
            ordered_at: Some("2026-03-10T00:00:00Z".into()),
            commitment_end: "2027-01-05".into(),
            ..subscription()
        };
        assert_eq!(anniversary_day(&sub), 5);
        assert_eq!(anniversary_day(&subscription()), 5);
        // Imported on the 30th, ending on 28 February: the end date decides, not the import.
        let imported = Subscription {
            ordered_at: None,
            created_at: "2026-11-30T10:00:00Z".into(),
            commitment_end: "2027-02-28".into(),
            ..subscription()
        };
        assert_eq!(anniversary_day(&imported), 28);
        // Imported ending on 31 January: 28 February, then back to 31 March.
        let mut imported = Subscription {
            ordered_at: None,
            term: Term::Monthly,
            commitment_end: "2027-02-28".into(),
            anniversary_day: Some(31),
            ..subscription()
        };
        assert_eq!(anniversary_day(&imported), 31);
        let next = next_term_end(&imported.commitment_end, Term::Monthly, 31).unwrap();
        assert_eq!(next, "2027-03-31");
        imported.commitment_end = next;
        assert_eq!(anniversary_day(&imported), 31);
        // A kept day that no longer fits the end date (an agent's change moved it) yields.
        imported.commitment_end = "2027-03-15".into();
        assert_eq!(anniversary_day(&imported), 15);
    }

    #[test]
    fn file_end_dates_are_within_a_term_of_today() {
        let now = crate::calendar::parse_rfc3339("2026-12-02T10:00:00Z").unwrap();
        assert!(check_file_end_date("2026-11-02", Term::Monthly, now).is_ok());
        assert!(check_file_end_date("2027-01-02", Term::Monthly, now).is_ok());
        assert!(check_file_end_date("2026-11-01", Term::Monthly, now).is_err());
        assert!(check_file_end_date("2027-01-03", Term::Monthly, now).is_err());
        assert!(check_file_end_date("2025-12-02", Term::Annual, now).is_ok());
        assert!(check_file_end_date("2027-12-02", Term::Annual, now).is_ok());
        let typo = check_file_end_date("2207-01-31", Term::Annual, now).unwrap_err();
        assert!(typo.contains("2027-12-02"), "{typo}");
        assert!(check_file_end_date("0207-01-31", Term::Monthly, now).is_err());
    }
}
