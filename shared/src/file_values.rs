//! Values as files bring them in (Partner Center's exports, the catalogue CSV): prices, dates,
//! on/off flags, statuses and terms in the spellings those files use. Each reader names what is
//! wrong, so an import can say it per line; the seat counts in files go through
//! [`crate::seats::SeatInput`] like everything a person types.

use crate::calendar::days_in_month;
use crate::model::{BillingCycle, Status, Term};

/// A price such as `12.50` or `12` (a dot, at most two decimals) in cents.
pub fn parse_price_cents(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let fail =
        || format!("\"{t}\" is not a price: write it like 12.50 (a dot, at most two decimals)");
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return Err(fail());
    }
    let cents = format!("{whole}{frac:0<2}");
    cents
        .parse::<u64>()
        .ok()
        .and_then(|c| u32::try_from(c).ok())
        .ok_or_else(|| format!("\"{t}\" is too large a price"))
}

/// A currency code: three capital letters (ISO 4217), e.g. EUR.
pub fn parse_currency(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "\"{t}\" is not a currency code: write three capital letters, e.g. EUR"
        ))
    }
}

/// A calendar date `YYYY-MM-DD` that exists (29 February only in leap years), from the year
/// [`FIRST_YEAR`](crate::calendar::FIRST_YEAR) on.
pub fn parse_date(text: &str) -> Result<String, String> {
    let t = text.trim();
    let fail = || format!("\"{t}\" is not a date: write it as YYYY-MM-DD, e.g. 2027-01-31");
    let parts: Vec<&str> = t.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(fail());
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !digits(y) || !digits(m) || !digits(d) {
        return Err(fail());
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(fail());
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(format!("{t} is not a day of the calendar"));
    }
    let first = crate::calendar::FIRST_YEAR;
    if crate::calendar::parse_given_date(t).is_none() {
        return Err(format!(
            "{t} is before the year {first}: the console takes dates from {first}-01-01 (a typo?)"
        ));
    }
    Ok(t.to_owned())
}

/// An on/off flag as exports write it: On/Off, Yes/No, True/False, 1/0 (any case).
pub fn parse_flag(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" | "1" => Ok(true),
        "off" | "no" | "false" | "0" => Ok(false),
        _ => Err(format!(
            "\"{}\" is not on or off: write On or Off",
            text.trim()
        )),
    }
}

/// A subscription status as Partner Center's export writes it ("Active", "Suspended").
pub fn parse_exported_status(text: &str) -> Result<Status, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "active" => Ok(Status::Active),
        "suspended" => Ok(Status::Suspended),
        other => Err(format!(
            "status \"{other}\" cannot be imported: only Active and Suspended subscriptions are"
        )),
    }
}

/// A term as exports and the catalogue write it: Monthly/Annual, P1M/P1Y, 1 month/1 year.
pub fn parse_term(text: &str) -> Result<Term, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "monthly" | "p1m" | "1 month" | "month" => Ok(Term::Monthly),
        "annual" | "yearly" | "p1y" | "1 year" | "year" => Ok(Term::Annual),
        other => Err(format!(
            "\"{other}\" is not a term: write Monthly or Annual"
        )),
    }
}

/// A billing cycle: Monthly or Annual.
pub fn parse_billing_cycle(text: &str) -> Result<BillingCycle, String> {
    match parse_term(text) {
        Ok(Term::Monthly) => Ok(BillingCycle::Monthly),
        Ok(Term::Annual) => Ok(BillingCycle::Annual),
        Err(_) => Err(format!(
            "\"{}\" is not a billing cycle: write Monthly or Annual",
            text.trim()
        )),
    }
}

/// A catalogue offer id: 1–100 characters, no spaces or control characters (ids appear in
/// URLs and CSV files).
pub fn parse_offer_id(text: &str) -> Result<String, String> {
    parse_identifier("an offer id", text)
}

/// Longest id a file may bring in.
pub const MAX_ID_CHARS: usize = 100;

/// An id a file brings in (the catalogue's offer ids, Partner Center's product ids): 1 to
/// [`MAX_ID_CHARS`] visible ASCII characters — letters, digits, punctuation. Nothing invisible
/// (a zero-width space makes `m365-e3` a second offer that looks exactly like the first),
/// nothing that looks like another character.
pub fn parse_identifier(what: &str, text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_ID_CHARS || !t.bytes().all(|b| b.is_ascii_graphic()) {
        let shown: String = t
            .chars()
            .take(60)
            .flat_map(|c| match c {
                ' ' | '!'..='~' => vec![c],
                other => format!("\\u{{{:04X}}}", u32::from(other)).chars().collect(),
            })
            .collect();
        Err(format!(
            "\"{shown}\" is not {what}: 1 to {MAX_ID_CHARS} letters, digits or punctuation (ASCII), without spaces or invisible characters"
        ))
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_to_the_cent() {
        assert_eq!(parse_price_cents("12.50"), Ok(1250));
        assert_eq!(parse_price_cents("12.5"), Ok(1250));
        assert_eq!(parse_price_cents("7"), Ok(700));
        assert_eq!(parse_price_cents(" 0.99 "), Ok(99));
        for bad in ["", "12,50", "1.234", "-1", "abc", ".5", "99999999999"] {
            assert!(parse_price_cents(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_exist_on_the_calendar() {
        assert!(parse_date("2028-02-29").is_ok());
        assert!(parse_date("2027-02-29").is_err());
        assert!(parse_date("2100-02-29").is_err());
        assert!(parse_date("2000-02-29").is_ok());
        assert!(parse_date("2027-04-31").is_err());
        assert!(parse_date("31/01/2027").is_err());
        assert!(parse_date("2027-1-31").is_err());
        assert!(parse_date("+202-01-01").is_err());
        assert!(
            parse_date("0207-01-31")
                .unwrap_err()
                .contains("before the year 2000")
        );
    }

    #[test]
    fn ids_are_visible_ascii_only() {
        assert_eq!(parse_offer_id(" m365-e3 "), Ok("m365-e3".into()));
        assert_eq!(
            parse_offer_id("CFQ7TTC0LF8Q:0001"),
            Ok("CFQ7TTC0LF8Q:0001".into())
        );
        let hidden = parse_offer_id("m365-e3\u{200B}").unwrap_err();
        assert!(hidden.contains("\\u{200B}"), "{hidden}");
        for bad in [
            "",
            "m365 e3",
            "m365-é3",
            "ｍ365",
            "a\u{00AD}b",
            &"x".repeat(101),
        ] {
            assert!(parse_offer_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn flags_statuses_and_terms_in_export_spellings() {
        assert_eq!(parse_flag("On"), Ok(true));
        assert_eq!(parse_flag("no"), Ok(false));
        assert!(parse_flag("maybe").is_err());
        assert_eq!(parse_exported_status("Suspended"), Ok(Status::Suspended));
        assert!(
            parse_exported_status("Expired")
                .unwrap_err()
                .contains("only Active")
        );
        assert_eq!(parse_term("P1Y"), Ok(Term::Annual));
        assert_eq!(parse_billing_cycle("monthly"), Ok(BillingCycle::Monthly));
        assert_eq!(parse_currency("EUR"), Ok("EUR".into()));
        assert!(parse_currency("eur").is_err());
    }
}
