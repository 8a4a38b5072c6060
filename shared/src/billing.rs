//! What a change of seats costs, shown before Submit: the change per month, and what is charged
//! (or credited) now for the rest of the current term, prorated by day.

use crate::model::Term;
use crate::renewals::{add_days, days_between};

/// A seat change's cost, in the currency's minor unit (negative: a credit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatChangeCost {
    pub per_month_cents: i64,
    /// For the days left of the current term (the end date included).
    pub now_cents: i64,
}

/// The first day of the term that ends on `end` (`YYYY-MM-DD`): one month or one year before
/// the day after the end, clamped to the month's length.
pub fn term_start(end: &str, term: Term) -> Option<String> {
    let next = crate::calendar::parse_date(&add_days(end, 1)?)?;
    let months = crate::lifecycle::months(term);
    Some(crate::calendar::date_text(crate::calendar::add_months(
        next, -months, next.2,
    )))
}

/// The cost of going from `from` to `to` seats at `price_cents` a seat a month, on `today`, in a
/// term of `term` ending on `end` (both `YYYY-MM-DD`).
pub fn seat_change_cost(
    price_cents: u32,
    from: u32,
    to: u32,
    term: Term,
    end: &str,
    today: &str,
) -> SeatChangeCost {
    let per_month_cents = (i64::from(to) - i64::from(from)) * i64::from(price_cents);
    let months = match term {
        Term::Monthly => 1,
        Term::Annual => 12,
    };
    let term_days = term_start(end, term)
        .and_then(|start| days_between(&start, end))
        .map_or(0, |d| d + 1);
    let days_left = days_between(today, end).map_or(0, |d| (d + 1).clamp(0, term_days));
    let now_cents = if term_days == 0 {
        0
    } else {
        crate::money::divide(
            i128::from(per_month_cents * months * days_left),
            i128::from(term_days),
        )
    };
    SeatChangeCost {
        per_month_cents,
        now_cents,
    }
}

/// What cancelling `sub` at `now` (Unix seconds) gives back, in the currency's minor unit: what
/// was invoiced for the current billing period (a month, or the term when billed annually) —
/// all of it within 24 hours of the order, else the share of the term's days still unused,
/// prorated by day. Never negative, never more than was invoiced; nothing for a subscription
/// not ordered here (see [`crate::status::cancellable_until`]).
pub fn cancellation_refund(sub: &crate::model::Subscription, now: i64) -> i64 {
    use crate::lifecycle::months;
    let Some(ordered) = sub
        .ordered_at
        .as_deref()
        .and_then(crate::calendar::parse_rfc3339)
    else {
        return 0;
    };
    let per_month = i64::from(sub.price_per_seat_cents) * i64::from(sub.quantity);
    let invoiced = per_month
        * match sub.billing_cycle {
            crate::model::BillingCycle::Monthly => 1,
            crate::model::BillingCycle::Annual => months(sub.term),
        };
    if now.saturating_sub(ordered) < crate::lifecycle::DAY {
        return invoiced;
    }
    let today = crate::calendar::date_text(crate::calendar::date_of(now));
    // The unused share of the term, as the credit a drop to no seats would bring.
    let unused = -seat_change_cost(
        sub.price_per_seat_cents,
        sub.quantity,
        0,
        sub.term,
        &sub.commitment_end,
        &today,
    )
    .now_cents;
    let whole_term = per_month * months(sub.term);
    if whole_term == 0 {
        return 0;
    }
    let share = crate::money::divide(
        i128::from(invoiced) * i128::from(unused.clamp(0, whole_term)),
        i128::from(whole_term),
    );
    share.clamp(0, invoiced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_start_a_month_or_a_year_before_the_day_after_their_end() {
        assert_eq!(
            term_start("2027-03-14", Term::Annual).as_deref(),
            Some("2026-03-15")
        );
        assert_eq!(
            term_start("2027-03-30", Term::Monthly).as_deref(),
            Some("2027-02-28")
        );
        assert_eq!(
            term_start("2027-01-31", Term::Monthly).as_deref(),
            Some("2027-01-01")
        );
        assert_eq!(
            term_start("2028-02-28", Term::Annual).as_deref(),
            Some("2027-02-28")
        );
    }

    #[test]
    fn a_change_costs_per_month_and_now_for_the_days_left() {
        // 3 seats more at 6.00 a month, annual term: +18.00 a month; the whole term left → 216.00.
        let full = seat_change_cost(600, 27, 30, Term::Annual, "2027-03-14", "2026-03-15");
        assert_eq!(
            full,
            SeatChangeCost {
                per_month_cents: 1800,
                now_cents: 21600
            }
        );
        // The last day of the term: one day's worth (216.00 / 365 = 0.59).
        let last = seat_change_cost(600, 27, 30, Term::Annual, "2027-03-14", "2027-03-14");
        assert_eq!(last.now_cents, 59);
        // A decrease is a credit; past the end nothing is charged.
        let down = seat_change_cost(600, 30, 27, Term::Monthly, "2027-03-14", "2027-03-01");
        assert_eq!(down.per_month_cents, -1800);
        assert!(down.now_cents < 0 && down.now_cents >= -1800);
        assert_eq!(
            seat_change_cost(600, 27, 30, Term::Annual, "2027-03-14", "2027-04-01").now_cents,
            0
        );
    }

    #[test]
    fn a_cancellation_refunds_all_within_a_day_then_the_unused_days() {
        use crate::calendar::parse_rfc3339;
        use crate::model::Subscription;
        // 10 seats at 6.00, annual term billed annually, ordered 2026-01-05T09:30:00Z: 720.00.
        let sub = Subscription {
            commitment_end: "2027-01-05".into(),
            billing_cycle: crate::model::BillingCycle::Annual,
            ..crate::fixtures::subscription()
        };
        let ordered = parse_rfc3339(sub.ordered_at.as_deref().unwrap()).unwrap();
        assert_eq!(cancellation_refund(&sub, ordered), 72_000);
        assert_eq!(cancellation_refund(&sub, ordered + 86_399), 72_000);
        // The order's day is a bonus day of the first term: the unused part counts from the next.
        let later = cancellation_refund(&sub, ordered + 3 * 86_400);
        assert!(later < 72_000 && later > 70_000, "{later}");
        assert!(cancellation_refund(&sub, ordered + 6 * 86_400) < later);
        // Billed monthly, one month was invoiced: that is what comes back.
        let monthly = Subscription {
            billing_cycle: crate::model::BillingCycle::Monthly,
            ..sub.clone()
        };
        assert_eq!(cancellation_refund(&monthly, ordered), 6_000);
        assert!((5_800..6_000).contains(&cancellation_refund(&monthly, ordered + 3 * 86_400)));
        // Imported: not cancellable here, nothing refunded.
        let imported = Subscription {
            ordered_at: None,
            ..sub
        };
        assert_eq!(cancellation_refund(&imported, ordered), 0);
    }
}
