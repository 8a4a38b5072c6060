//! Statements: what a customer owes the partner for a calendar month, line by line, worked out
//! from each subscription's history (its audit trail) — so a past month, produced again, gives
//! the same figures.
//!
//! **How a month is charged** (the partner bills its customers by calendar month):
//! - The price of a seat is the customer's price on the first day of the subscription's term:
//!   fixed for the term, as Microsoft fixes the partner's; a renewal brings its new term's.
//! - **Billed monthly**: each day the subscription is Active or Suspended (Microsoft charges
//!   the partner for suspended seats too) costs seats × price ÷ the month's days. The lines
//!   say how that adds up: the seats held on the 1st, for the whole month; then each change,
//!   from its day to the month's last — an order or an increase charged, a decrease or a
//!   cancellation credited, a renewal at another price as the old term's days credited and
//!   the new term's charged.
//! - **Billed annually**: a term is charged whole in the month it starts (seats × price × the
//!   term's months); an increase or a decrease is charged or credited for the days left of the
//!   term ([`crate::billing::seat_change_cost`], as Edit quantity showed it before Submit); a
//!   cancellation credits what it refunded ([`crate::billing::cancellation_refund`], recorded
//!   with the event).
//!
//! Each line is rounded once, by [`crate::money::divide`]; a subtotal is the sum of its lines,
//! the total the sum of the subtotals.

use serde::{Deserialize, Serialize};

use crate::calendar::{date_text, days_in_month, parse_date};
use crate::ids::{CustomerId, SubscriptionId};
use crate::model::{BillingCycle, Status, Term};
use crate::renewals::days_between;

/// A calendar month, as `--month 2026-11` and `?month=2026-11` give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i64,
    pub month: u32,
}

impl Month {
    /// `YYYY-MM`, a month from 01 to 12 of a year the calendar knows.
    pub fn parse(text: &str) -> Result<Month, String> {
        let text = text.trim();
        let bad = || format!("\"{text}\" is not a month: write it as YYYY-MM, e.g. 2026-11.");
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if y.len() != 4 || m.len() != 2 || !digits(y) || !digits(m) {
            return Err(bad());
        }
        let (year, month): (i64, u32) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(1..=12).contains(&month) {
            return Err(format!("\"{text}\" is not a month: the month is 01 to 12."));
        }
        if !(crate::calendar::FIRST_YEAR..=crate::calendar::LAST_YEAR).contains(&year) {
            return Err(format!(
                "\"{text}\" is out of range: years {} to {}.",
                crate::calendar::FIRST_YEAR,
                crate::calendar::LAST_YEAR
            ));
        }
        Ok(Month { year, month })
    }

    /// The month of a day `YYYY-MM-DD`.
    pub fn of_day(day: &str) -> Option<Month> {
        parse_date(day).map(|(year, month, _)| Month { year, month })
    }

    pub fn days(self) -> u32 {
        days_in_month(u32::try_from(self.year).unwrap_or(0), self.month)
    }

    pub fn first_day(self) -> String {
        date_text((self.year, self.month, 1))
    }

    pub fn last_day(self) -> String {
        date_text((self.year, self.month, self.days()))
    }

    /// The month after: its first instant ends this one.
    pub fn next(self) -> Month {
        let (year, month, _) = crate::calendar::add_months((self.year, self.month, 1), 1, 1);
        Month { year, month }
    }

    /// The month before.
    pub fn previous(self) -> Month {
        let (year, month, _) = crate::calendar::add_months((self.year, self.month, 1), -1, 1);
        Month { year, month }
    }

    /// The first instant after the month, RFC 3339: events before it belong to it or earlier.
    pub fn end_rfc3339(self) -> String {
        let next = self.next();
        crate::calendar::rfc3339(crate::calendar::midnight((next.year, next.month, 1)))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A subscription as it stood from `day` on: one point of its history (an event's "after").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryPoint {
    /// The day of the change, `YYYY-MM-DD` (UTC).
    pub day: String,
    pub quantity: u32,
    pub status: Status,
    pub commitment_end: String,
    pub term: Term,
    /// What a cancellation refunded, as recorded with it.
    pub refund_cents: Option<i64>,
}

/// What a statement line is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The seats held on the month's first day, for the whole month (billed monthly).
    Month,
    /// Ordered (or first recorded here) during the month.
    Order,
    Increase,
    Decrease,
    Cancellation,
    /// The term ended without renewal: its days after the end are credited (billed monthly).
    Ended,
    /// The old term's days after its end, credited, when the new term has another price.
    TermEnd,
    /// A new term: billed monthly, its days at its own price; billed annually, the whole term.
    Renewal,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Month => "month",
            LineKind::Order => "order",
            LineKind::Increase => "increase",
            LineKind::Decrease => "decrease",
            LineKind::Cancellation => "cancellation",
            LineKind::Ended => "ended",
            LineKind::TermEnd => "term_end",
            LineKind::Renewal => "renewal",
        }
    }
}

/// One charge (or, below zero, a credit) of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLine {
    pub kind: LineKind,
    /// The days it covers, both included (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    /// The seats it charges: a change's seats added (below zero: removed).
    pub seats: i64,
    /// The customer's price of a seat a month, in the currency's minor unit.
    pub price_per_seat_cents: i64,
    pub amount_cents: i64,
}

/// One subscription's part of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionCharges {
    pub subscription_id: SubscriptionId,
    pub offer_name: String,
    pub billing_cycle: BillingCycle,
    pub lines: Vec<StatementLine>,
    pub subtotal_cents: i64,
}

/// `GET /api/statements`: what one customer owes for a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    /// Only the subscriptions with a line this month.
    pub subscriptions: Vec<SubscriptionCharges>,
    pub total_cents: i64,
}

impl Statement {
    /// The statement of `parts`, each subscription's subtotal and the total added up.
    pub fn new(
        customer_id: CustomerId,
        customer_name: String,
        month: Month,
        currency: String,
        parts: Vec<SubscriptionCharges>,
    ) -> Statement {
        let subscriptions: Vec<SubscriptionCharges> =
            parts.into_iter().filter(|s| !s.lines.is_empty()).collect();
        Statement {
            customer_id,
            customer_name,
            month: month.to_string(),
            currency,
            total_cents: subscriptions.iter().map(|s| s.subtotal_cents).sum(),
            subscriptions,
        }
    }
}

/// The charges of one subscription.
pub fn charges(
    subscription_id: SubscriptionId,
    offer_name: String,
    billing_cycle: BillingCycle,
    lines: Vec<StatementLine>,
) -> SubscriptionCharges {
    SubscriptionCharges {
        subscription_id,
        offer_name,
        billing_cycle,
        subtotal_cents: lines.iter().map(|l| l.amount_cents).sum(),
        lines,
    }
}

/// What a point is billed at, when it is billed at all (Active or Suspended).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Billed {
    seats: i64,
    price: i64,
    end: String,
    term: Term,
}

fn billed(point: &HistoryPoint, price_of_term: &dyn Fn(&str) -> i64) -> Option<Billed> {
    if !point.status.is_live() {
        return None;
    }
    let start = crate::billing::term_start(&point.commitment_end, point.term)
        .unwrap_or_else(|| point.day.clone());
    Some(Billed {
        seats: i64::from(point.quantity),
        price: price_of_term(&start),
        end: point.commitment_end.clone(),
        term: point.term,
    })
}

/// The lines of `month` for a subscription with `history` (oldest first). `price_of_term`
/// gives the customer's price of a seat a month for a term that starts on the day it is given.
pub fn month_lines(
    history: &[HistoryPoint],
    billing_cycle: BillingCycle,
    month: Month,
    price_of_term: &dyn Fn(&str) -> i64,
) -> Vec<StatementLine> {
    let (first, last) = (month.first_day(), month.last_day());
    let before = history.iter().rev().find(|p| p.day < first);
    let mut previous = before.and_then(|p| billed(p, price_of_term));
    let days = i64::from(month.days());
    let mut lines = Vec::new();
    if billing_cycle == BillingCycle::Monthly
        && let Some(b) = &previous
    {
        lines.push(StatementLine {
            kind: LineKind::Month,
            from: first.clone(),
            to: last.clone(),
            seats: b.seats,
            price_per_seat_cents: b.price,
            amount_cents: b.seats * b.price,
        });
    }
    for point in history.iter().filter(|p| p.day >= first && p.day <= last) {
        let current = billed(point, price_of_term);
        let left = days_between(&point.day, &last).map_or(0, |d| d + 1);
        let line = |kind, seats: i64, price: i64, amount_cents| StatementLine {
            kind,
            from: point.day.clone(),
            to: last.clone(),
            seats,
            price_per_seat_cents: price,
            amount_cents,
        };
        match billing_cycle {
            BillingCycle::Monthly => {
                // A share of the month: seats × price × the days left ÷ the month's days.
                let share = |seats: i64, price: i64| {
                    crate::money::divide(
                        i128::from(seats) * i128::from(price) * i128::from(left),
                        i128::from(days),
                    )
                };
                match (&previous, &current) {
                    (None, Some(c)) => lines.push(line(
                        LineKind::Order,
                        c.seats,
                        c.price,
                        share(c.seats, c.price),
                    )),
                    (Some(p), None) => {
                        let kind = if point.status == Status::Cancelled {
                            LineKind::Cancellation
                        } else {
                            LineKind::Ended
                        };
                        lines.push(line(kind, -p.seats, p.price, share(-p.seats, p.price)));
                    }
                    (Some(p), Some(c)) if p.price == c.price => {
                        let added = c.seats - p.seats;
                        if added != 0 {
                            let kind = if added > 0 {
                                LineKind::Increase
                            } else {
                                LineKind::Decrease
                            };
                            lines.push(line(kind, added, c.price, share(added, c.price)));
                        }
                    }
                    (Some(p), Some(c)) => {
                        let old = share(-p.seats, p.price);
                        lines.push(line(LineKind::TermEnd, -p.seats, p.price, old));
                        let new = share(c.seats, c.price);
                        lines.push(line(LineKind::Renewal, c.seats, c.price, new));
                    }
                    (None, None) => {}
                }
            }
            BillingCycle::Annual => {
                let whole_term = |b: &Billed| b.seats * b.price * crate::lifecycle::months(b.term);
                let to_end = |kind, seats, price, amount| StatementLine {
                    to: point.commitment_end.clone(),
                    ..line(kind, seats, price, amount)
                };
                match (&previous, &current) {
                    (None, Some(c)) => {
                        lines.push(to_end(LineKind::Order, c.seats, c.price, whole_term(c)))
                    }
                    (Some(p), None) if point.status == Status::Cancelled => {
                        // What the cancellation refunded; for one recorded without it (a sync),
                        // the term's days left, as a drop to no seats.
                        let refund = point
                            .refund_cents
                            .unwrap_or_else(|| -seat_change(p, p.seats, 0, &point.day));
                        lines.push(to_end(LineKind::Cancellation, -p.seats, p.price, -refund));
                    }
                    (Some(p), Some(c)) if p.end != c.end => {
                        lines.push(to_end(LineKind::Renewal, c.seats, c.price, whole_term(c)))
                    }
                    (Some(p), Some(c)) if p.seats != c.seats => {
                        let added = c.seats - p.seats;
                        let kind = if added > 0 {
                            LineKind::Increase
                        } else {
                            LineKind::Decrease
                        };
                        let amount = seat_change(c, p.seats, c.seats, &point.day);
                        lines.push(to_end(kind, added, c.price, amount));
                    }
                    // Ended, or nothing billed changed: the term was charged when it began.
                    _ => {}
                }
            }
        }
        previous = current;
    }
    lines
}

/// Going from `from` to `to` seats on `day` in `b`'s term, for its days left.
fn seat_change(b: &Billed, from: i64, to: i64, day: &str) -> i64 {
    let seats = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    let price = u32::try_from(b.price.max(0)).unwrap_or(u32::MAX);
    crate::billing::seat_change_cost(price, seats(from), seats(to), b.term, &b.end, day).now_cents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(day: &str, quantity: u32, status: Status, end: &str) -> HistoryPoint {
        HistoryPoint {
            day: day.into(),
            quantity,
            status,
            commitment_end: end.into(),
            term: Term::Annual,
            refund_cents: None,
        }
    }

    fn flat(price: i64) -> impl Fn(&str) -> i64 {
        move |_| price
    }

    #[test]
    fn months_are_read_strictly_and_refused_in_words() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(
            (nov.first_day(), nov.last_day()),
            ("2026-11-01".into(), "2026-11-30".into())
        );
        assert_eq!(nov.end_rfc3339(), "2026-12-01T00:00:00Z");
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(Month::parse("2028-02").unwrap().days(), 29);
        assert!(Month::parse("2026-13").unwrap_err().contains("01 to 12"));
        for bad in [
            "2026-1",
            "26-11",
            "2026/11",
            "",
            "2026-11-01",
            "abcd-ef",
            "2026-+1",
        ] {
            assert!(Month::parse(bad).unwrap_err().contains("YYYY-MM"), "{bad}");
        }
        assert!(
            Month::parse("1999-12")
                .unwrap_err()
                .contains("out of range")
        );
    }

    #[test]
    fn a_quiet_month_is_its_seats_at_the_terms_price() {
        let history = [point("2026-03-15", 10, Status::Active, "2027-03-14")];
        let lines = month_lines(
            &history,
            BillingCycle::Monthly,
            Month::parse("2026-11").unwrap(),
            &flat(600),
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(
            (lines[0].kind, lines[0].amount_cents),
            (LineKind::Month, 6_000)
        );
        // Before it existed, and after it was cancelled, nothing.
        let early = month_lines(
            &history,
            BillingCycle::Monthly,
            Month::parse("2026-02").unwrap(),
            &flat(600),
        );
        assert!(early.is_empty());
        // Suspended seats are still charged, as Microsoft charges the partner.
        let suspended = [
            point("2026-03-15", 10, Status::Active, "2027-03-14"),
            point("2026-10-02", 10, Status::Suspended, "2027-03-14"),
        ];
        let lines = month_lines(
            &suspended,
            BillingCycle::Monthly,
            Month::parse("2026-11").unwrap(),
            &flat(600),
        );
        assert_eq!(lines.iter().map(|l| l.amount_cents).sum::<i64>(), 6_000);
    }

    #[test]
    fn a_month_of_changes_billed_monthly_adds_up_to_the_cent() {
        // November: 30 days; 10 seats at 6.00 on the 1st (60.00); +5 on the 11th (20 days
        // left: 5 × 6.00 × 20/30 = 20.00); −2 on the 16th, within the window (15 days:
        // −2 × 6.00 × 15/30 = −6.00); cancelled on the 21st (10 days, 13 seats: −26.00).
        let end = "2027-03-14";
        let history = [
            point("2026-03-15", 10, Status::Active, end),
            point("2026-11-11", 15, Status::Active, end),
            point("2026-11-16", 13, Status::Active, end),
            point("2026-11-21", 13, Status::Cancelled, end),
        ];
        let lines = month_lines(
            &history,
            BillingCycle::Monthly,
            Month::parse("2026-11").unwrap(),
            &flat(600),
        );
        let got: Vec<(LineKind, i64, i64)> = lines
            .iter()
            .map(|l| (l.kind, l.seats, l.amount_cents))
            .collect();
        assert_eq!(
            got,
            [
                (LineKind::Month, 10, 6_000),
                (LineKind::Increase, 5, 2_000),
                (LineKind::Decrease, -2, -600),
                (LineKind::Cancellation, -13, -2_600),
            ]
        );
        assert_eq!(lines[1].from, "2026-11-11");
        assert_eq!(lines[1].to, "2026-11-30");
        // December: nothing (cancelled).
        assert!(
            month_lines(
                &history,
                BillingCycle::Monthly,
                Month::parse("2026-12").unwrap(),
                &flat(600)
            )
            .is_empty()
        );
    }

    #[test]
    fn a_renewal_brings_its_new_terms_price_from_its_first_day() {
        // The term ends on 14 March 2027; the new one starts on the 15th at 6.60 (17 days of
        // March left): the old term's 17 days credited, the new term's charged.
        let price = |term_start: &str| if term_start >= "2027-03-15" { 660 } else { 600 };
        let history = [
            point("2026-03-15", 10, Status::Active, "2027-03-14"),
            point("2027-03-15", 10, Status::Active, "2028-03-14"),
        ];
        let march = Month::parse("2027-03").unwrap();
        let lines = month_lines(&history, BillingCycle::Monthly, march, &price);
        let got: Vec<(LineKind, i64, i64)> = lines
            .iter()
            .map(|l| (l.kind, l.price_per_seat_cents, l.amount_cents))
            .collect();
        // 10 × 6.00 × 17/31 = 32.903… → 32.90; 10 × 6.60 × 17/31 = 36.193… → 36.19.
        assert_eq!(
            got,
            [
                (LineKind::Month, 600, 6_000),
                (LineKind::TermEnd, 600, -3_290),
                (LineKind::Renewal, 660, 3_619),
            ]
        );
        // April is at the new price, whole.
        let april = month_lines(&history, BillingCycle::Monthly, march.next(), &price);
        assert_eq!(april[0].amount_cents, 6_600);
        // A renewal at the same price changes nothing on the statement.
        let same = month_lines(&history, BillingCycle::Monthly, march, &flat(600));
        assert_eq!(same.len(), 1);
    }

    #[test]
    fn billed_annually_a_term_is_charged_when_it_starts_and_changes_for_its_days_left() {
        let mut cancelled = point("2026-11-20", 12, Status::Cancelled, "2027-11-09");
        cancelled.refund_cents = Some(50_000);
        let history = [
            point("2026-11-09", 10, Status::Active, "2027-11-09"),
            point("2026-11-12", 12, Status::Active, "2027-11-09"),
            cancelled,
        ];
        let lines = month_lines(
            &history,
            BillingCycle::Annual,
            Month::parse("2026-11").unwrap(),
            &flat(600),
        );
        let increase =
            crate::billing::seat_change_cost(600, 10, 12, Term::Annual, "2027-11-09", "2026-11-12");
        let got: Vec<(LineKind, i64)> = lines.iter().map(|l| (l.kind, l.amount_cents)).collect();
        assert_eq!(
            got,
            [
                (LineKind::Order, 72_000),
                (LineKind::Increase, increase.now_cents),
                (LineKind::Cancellation, -50_000),
            ]
        );
        assert_eq!(lines[0].to, "2027-11-09");
        // The months after: nothing more.
        assert!(
            month_lines(
                &history,
                BillingCycle::Annual,
                Month::parse("2026-12").unwrap(),
                &flat(600)
            )
            .is_empty()
        );
    }

    #[test]
    fn a_statement_adds_its_subscriptions_and_leaves_out_those_without_lines() {
        let line = |amount_cents| StatementLine {
            kind: LineKind::Month,
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            seats: 1,
            price_per_seat_cents: amount_cents,
            amount_cents,
        };
        let id = |n: u128| SubscriptionId(uuid::Uuid::from_u128(n));
        let parts = vec![
            charges(
                id(1),
                "A".into(),
                BillingCycle::Monthly,
                vec![line(100), line(-30)],
            ),
            charges(id(2), "B".into(), BillingCycle::Monthly, vec![]),
            charges(id(3), "C".into(), BillingCycle::Monthly, vec![line(5)]),
        ];
        let s = Statement::new(
            CustomerId(uuid::Uuid::from_u128(9)),
            "Contoso".into(),
            Month::parse("2026-11").unwrap(),
            "EUR".into(),
            parts,
        );
        assert_eq!(s.subscriptions.len(), 2);
        assert_eq!(s.subscriptions[0].subtotal_cents, 70);
        assert_eq!(s.total_cents, 75);
    }
}
