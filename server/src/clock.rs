//! Time as the API writes it: RFC 3339 UTC to the second, and term end dates.

use shared::model::Term;
use time::{Date, Duration, Month, OffsetDateTime, format_description::well_known::Rfc3339};

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
}

pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).expect("UTC times always format")
}

pub fn now_rfc3339() -> String {
    rfc3339(now())
}

pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// The day a commitment that starts on `start` ends: one month or one year later, clamped to
/// the month's last day (31 January + 1 month = 28 or 29 February).
pub fn commitment_end(start: Date, term: Term) -> Date {
    let (year, month) = match term {
        Term::Monthly if start.month() == Month::December => (start.year() + 1, Month::January),
        Term::Monthly => (start.year(), start.month().next()),
        Term::Annual => (start.year() + 1, start.month()),
    };
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, start.day().min(last)).expect("clamped to the month")
}

pub fn days_ago(days: i64) -> OffsetDateTime {
    now() - Duration::days(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn term_ends_clamp_to_the_month() {
        assert_eq!(
            commitment_end(date!(2026 - 01 - 31), Term::Monthly),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            commitment_end(date!(2026 - 12 - 15), Term::Monthly),
            date!(2027 - 01 - 15)
        );
        assert_eq!(
            commitment_end(date!(2028 - 02 - 29), Term::Annual),
            date!(2029 - 02 - 28)
        );
        assert_eq!(
            commitment_end(date!(2026 - 11 - 25), Term::Annual),
            date!(2027 - 11 - 25)
        );
    }

    #[test]
    fn timestamps_are_whole_seconds_in_utc() {
        let s = now_rfc3339();
        assert!(s.ends_with('Z') && !s.contains('.'), "{s}");
    }
}
