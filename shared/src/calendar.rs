//! Dates and times as the API writes them (RFC 3339 UTC to the second, `YYYY-MM-DD`), from
//! Unix seconds and back, without a date library: the browser app pays nothing for them.

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-11-28T04:37:16Z`.
pub fn rfc3339(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Reads `YYYY-MM-DDTHH:MM:SSZ` (what [`rfc3339`] writes) back into Unix seconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u32>().ok();
    let (y, mo, d, h, mi, s) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59
    {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + s))
}

/// The years the console takes in a date it is given (typed, in a file, in a filter): a year
/// 0207 is a typo for 2027, and would make centuries of terms to renew.
pub const FIRST_YEAR: i64 = 2000;
pub const LAST_YEAR: i64 = 9999;

/// Reads a date the console is given: [`parse_date`], in the years [`FIRST_YEAR`] to
/// [`LAST_YEAR`]. (Dates the console computes or stored before the bound keep [`parse_date`],
/// so a term end written by an older version still renews or expires.)
pub fn parse_given_date(text: &str) -> Option<(i64, u32, u32)> {
    parse_date(text).filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&d.0))
}

/// Reads `YYYY-MM-DD` (a real day) into its parts.
pub fn parse_date(text: &str) -> Option<(i64, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: u32 = text.get(0..4)?.parse().ok()?;
    let m: u32 = text.get(5..7)?.parse().ok()?;
    let d: u32 = text.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((i64::from(y), m, d))
}

/// `YYYY-MM-DD`.
pub fn date_text((y, m, d): (i64, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date of a Unix time, UTC.
pub fn date_of(unix: i64) -> (i64, u32, u32) {
    civil_from_days(unix.div_euclid(86_400))
}

/// Midnight UTC at the start of a date, in Unix seconds.
pub fn midnight(date: (i64, u32, u32)) -> i64 {
    days_from_civil(date.0, date.1, date.2) * 86_400
}

/// `months` months after (or before) the month of `date`, on `day` — or that month's last day
/// if it is shorter (31 January + 1 month, day 31 = 28 or 29 February).
pub fn add_months(date: (i64, u32, u32), months: i64, day: u32) -> (i64, u32, u32) {
    let index = date.0 * 12 + i64::from(date.1) - 1 + months;
    let (y, m) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    let last = days_in_month(u32::try_from(y).unwrap_or(0), m);
    (y, m, day.clamp(1, last))
}

/// Days in a month of the Gregorian calendar.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_across_leap_days_and_epochs() {
        for (text, unix) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2000-02-29T12:00:00Z", 951_825_600),
            ("2026-11-28T04:37:16Z", 1_795_840_636),
            ("2028-02-29T23:59:59Z", 1_835_481_599),
        ] {
            assert_eq!(rfc3339(unix), text);
            assert_eq!(parse_rfc3339(text), Some(unix));
        }
        assert_eq!(parse_rfc3339("2027-02-29T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2027-01-01 00:00:00"), None);
        assert_eq!(add_months((2027, 1, 31), 1, 31), (2027, 2, 28));
        assert_eq!(add_months((2028, 1, 31), 1, 31), (2028, 2, 29));
        assert_eq!(add_months((2027, 2, 28), 1, 31), (2027, 3, 31));
        assert_eq!(add_months((2026, 12, 15), 1, 15), (2027, 1, 15));
        assert_eq!(add_months((2027, 1, 15), -1, 15), (2026, 12, 15));
        assert_eq!(add_months((2028, 2, 29), 12, 29), (2029, 2, 28));
        assert_eq!(parse_date("2027-02-29"), None);
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
        assert_eq!(
            parse_given_date("0207-01-31"),
            None,
            "before the first year"
        );
        assert_eq!(parse_given_date("1999-12-31"), None);
        assert_eq!(parse_date("1999-12-31"), Some((1999, 12, 31)));
        assert_eq!(parse_given_date("2000-01-01"), Some((2000, 1, 1)));
        assert_eq!(midnight((1970, 1, 2)), 86_400);
        assert_eq!(date_of(86_399), (1970, 1, 1));
        for days in -800_000..800_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
