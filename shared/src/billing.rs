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
    let next = add_days(end, 1)?;
    let (y, m, d): (i64, u32, u32) = (
        next.get(0..4)?.parse().ok()?,
        next.get(5..7)?.parse().ok()?,
        next.get(8..10)?.parse().ok()?,
    );
    let (y, m) = match term {
        Term::Monthly if m == 1 => (y - 1, 12),
        Term::Monthly => (y, m - 1),
        Term::Annual => (y - 1, m),
    };
    let last = crate::file_values::days_in_month(u32::try_from(y).ok()?, m);
    Some(format!("{y:04}-{m:02}-{:02}", d.min(last)))
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
        // Rounded half away from zero, to the cent.
        let whole = per_month_cents * months * days_left;
        let half = term_days / 2;
        if whole >= 0 {
            (whole + half) / term_days
        } else {
            (whole - half) / term_days
        }
    };
    SeatChangeCost {
        per_month_cents,
        now_cents,
    }
}

/// What cancelling `sub` at `now` (Unix seconds) gives back, in the currency's minor unit: all
/// its term was charged within 24 hours of the order, else the unused days of the term,
/// prorated by day. Never negative, never more than the term's charge.
pub fn cancellation_refund(sub: &crate::model::Subscription, now: i64) -> i64 {
    let paid = i64::from(sub.price_per_seat_cents)
        * i64::from(sub.quantity)
        * crate::lifecycle::months(sub.term);
    let ordered = crate::calendar::parse_rfc3339(&sub.created_at).unwrap_or(i64::MIN);
    if now.saturating_sub(ordered) < crate::lifecycle::DAY {
        return paid;
    }
    let today = crate::calendar::date_text(crate::calendar::date_of(now));
    let unused = seat_change_cost(
        sub.price_per_seat_cents,
        sub.quantity,
        0,
        sub.term,
        &sub.commitment_end,
        &today,
    );
    (-unused.now_cents).clamp(0, paid)
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
        // 10 seats at 6.00, annual, ordered 2026-01-05T09:30:00Z, ending 2027-01-05: 720.00.
        let sub = Subscription {
            commitment_end: "2027-01-05".into(),
            ..crate::fixtures::subscription()
        };
        let ordered = parse_rfc3339(&sub.created_at).unwrap();
        assert_eq!(cancellation_refund(&sub, ordered), 72_000);
        assert_eq!(cancellation_refund(&sub, ordered + 86_399), 72_000);
        // The order's day is a bonus day of the first term: the unused part counts from the next.
        let later = cancellation_refund(&sub, ordered + 3 * 86_400);
        assert!(later < 72_000 && later > 70_000, "{later}");
        assert!(cancellation_refund(&sub, ordered + 6 * 86_400) < later);
    }
}
