//! Money: whole minor units of a currency (cents), never floating point, and the one rounding
//! rule every division of money uses — a prorated charge, a monthly share of an annual price, a
//! markup.
//!
//! **The rounding rule**: the exact quotient, rounded to the nearest minor unit, a half away
//! from zero (2.5 cents → 3, −2.5 → −3). [`divide`] is the only place money is divided.

/// `numerator / denominator` in minor units, rounded by the rule above. A zero denominator
/// gives 0 (nothing to share out); a quotient beyond `i64` saturates.
pub fn divide(numerator: i128, denominator: i128) -> i64 {
    if denominator == 0 {
        return 0;
    }
    let (n, d) = if denominator < 0 {
        (-numerator, -denominator)
    } else {
        (numerator, denominator)
    };
    // Twice the remainder against the divisor decides an exact half (odd divisors have none).
    let q = n / d;
    let r = n % d;
    let rounded = if 2 * r.abs() >= d { q + n.signum() } else { q };
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

/// How many decimals a currency's minor unit has (ISO 4217): 0 for the yen and the won, 3 for
/// the Gulf dinars, 2 for the others.
pub fn decimals(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "CLP" | "ISK" | "VND" | "HUF" | "TWD" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
        _ => 2,
    }
}

/// An amount as a file or a person writes it (`12.50`, `7`, `-3.5`, `6.0000`) in minor units of
/// `currency`; more decimals than the currency has are rounded by the rule. Refused: no
/// digits, a comma, a thousands separator, an exponent, more than 12 decimals, too large.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, String> {
    let t = text.trim();
    let fail = || {
        format!(
            "\"{t}\" is not an amount: write it with a dot and digits only, e.g. {}",
            format_amount(1250 * 10_i64.pow(decimals(currency)) / 100, currency)
        )
    };
    let (negative, digits_text) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (whole, frac) = digits_text.split_once('.').unwrap_or((digits_text, "0"));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || frac.is_empty()
        || !all_digits(whole)
        || !all_digits(frac)
        || frac.len() > 12
    {
        return Err(fail());
    }
    if whole.len() > 15 {
        return Err(format!("\"{t}\" is too large an amount"));
    }
    let scale = 10_i128.pow(u32::try_from(frac.len()).unwrap_or(0));
    let units: i128 = format!("{whole}{frac}").parse().map_err(|_| fail())?;
    let signed = if negative { -units } else { units };
    Ok(divide(signed * 10_i128.pow(decimals(currency)), scale))
}

/// An amount that may not be negative (a price, a cost): [`parse_amount`], then refused below
/// zero.
pub fn parse_price(text: &str, currency: &str) -> Result<i64, String> {
    let amount = parse_amount(text, currency)?;
    if amount < 0 {
        return Err(format!(
            "\"{}\" is a negative price: a price is zero or more",
            text.trim()
        ));
    }
    Ok(amount)
}

/// Minor units written as a file (and an accounting import) expects: `12.50`, `-0.05`, `1500`
/// for yen. No currency sign, no thousands separator.
pub fn format_amount(minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    if places == 0 {
        return minor.to_string();
    }
    let scale = 10_u64.pow(places);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

/// A markup over cost in hundredths of a percent (basis points): `15` → 1500, `12.5` → 1250,
/// `-10` → −1000 (a discount). From −100 % (exclusive: a price of nothing is a fixed price of
/// 0) to 1000 %.
pub fn parse_markup(text: &str) -> Result<i32, String> {
    let t = text.trim().trim_end_matches('%').trim_end();
    let fail = || {
        format!(
            "\"{}\" is not a markup: write a percentage such as 15 or 12.5",
            text.trim()
        )
    };
    let (negative, rest) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 5 || !all_digits(whole) || !all_digits(frac) {
        return Err(fail());
    }
    if frac.len() > 2 {
        return Err(format!(
            "\"{}\" has more than two decimals: a markup is counted to a hundredth of a percent",
            text.trim()
        ));
    }
    let points: i32 = format!("{whole}{frac:0<2}").parse().map_err(|_| fail())?;
    let points = if negative { -points } else { points };
    if points <= -10_000 || points > 100_000 {
        return Err(format!(
            "a markup of {}% is out of range: from above -100% to 1000%",
            text.trim().trim_end_matches('%')
        ));
    }
    Ok(points)
}

/// `cost` raised by `basis_points` hundredths of a percent, rounded by the rule.
pub fn apply_markup(cost: i64, basis_points: i32) -> i64 {
    divide(
        i128::from(cost) * i128::from(10_000 + i64::from(basis_points)),
        10_000,
    )
}

/// A markup as people read it: `15%`, `12.5%`, `-2.25%`.
pub fn format_markup(basis_points: i32) -> String {
    let sign = if basis_points < 0 { "-" } else { "" };
    let abs = basis_points.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{whole}%"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}%", f / 10),
        f => format!("{sign}{whole}.{f:02}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn halves_go_away_from_zero() {
        assert_eq!(divide(5, 2), 3);
        assert_eq!(divide(-5, 2), -3);
        assert_eq!(divide(4, 3), 1);
        assert_eq!(divide(5, 3), 2);
        assert_eq!(divide(-5, 3), -2);
        assert_eq!(divide(7, -2), -4);
        assert_eq!(divide(1, 0), 0);
    }

    #[test]
    fn amounts_read_to_the_minor_unit() {
        assert_eq!(parse_amount("12.50", "EUR"), Ok(1250));
        assert_eq!(parse_amount("12.5", "EUR"), Ok(1250));
        assert_eq!(parse_amount("7", "EUR"), Ok(700));
        assert_eq!(parse_amount("6.0000", "USD"), Ok(600));
        assert_eq!(parse_amount("10.125", "EUR"), Ok(1013));
        assert_eq!(parse_amount("-0.005", "EUR"), Ok(-1));
        assert_eq!(parse_amount("1500", "JPY"), Ok(1500));
        assert_eq!(parse_amount("1.2345", "KWD"), Ok(1235));
        for bad in [
            "", "abc", "1,50", "1.5e3", "12.", ".5", "1 000", "--1", "+3",
        ] {
            assert!(parse_amount(bad, "EUR").is_err(), "{bad:?}");
        }
        assert!(parse_price("-1", "EUR").unwrap_err().contains("negative"));
    }

    #[test]
    fn markups_are_basis_points() {
        assert_eq!(parse_markup("15"), Ok(1500));
        assert_eq!(parse_markup("12.5%"), Ok(1250));
        assert_eq!(parse_markup("-2.25"), Ok(-225));
        assert!(parse_markup("-100").is_err());
        assert!(parse_markup("1000.01").is_err());
        assert!(parse_markup("1.234").unwrap_err().contains("two decimals"));
        assert!(parse_markup("ten").is_err());
        assert_eq!(apply_markup(600, 1500), 690);
        assert_eq!(apply_markup(333, 1250), 375); // 374.625 → 375
        assert_eq!(format_markup(1250), "12.5%");
        assert_eq!(format_markup(-225), "-2.25%");
        assert_eq!(format_markup(1500), "15%");
    }

    proptest! {
        /// The rule against exact rational arithmetic: the result is the nearest whole number,
        /// and an exact half is never rounded towards zero.
        #[test]
        fn divide_is_the_nearest_whole_number(n in -1_000_000_000_000i128..1_000_000_000_000, d in 1i128..100_000) {
            let q = i128::from(divide(n, d));
            // |n/d - q| <= 1/2  ⇔  |n - q·d| · 2 <= d
            prop_assert!((n - q * d).abs() * 2 <= d);
            if (n - q * d).abs() * 2 == d {
                prop_assert!(q.abs() * d > n.abs(), "a half went towards zero");
            }
            prop_assert_eq!(divide(-n, d), -divide(n, d));
        }

        #[test]
        fn formatted_amounts_read_back(minor in -10_000_000_000i64..10_000_000_000, c in prop::sample::select(vec!["EUR", "JPY", "KWD"])) {
            prop_assert_eq!(parse_amount(&format_amount(minor, c), c), Ok(minor));
        }

        #[test]
        fn markups_read_back_and_never_fall_below_cost_when_positive(points in -9_999i32..=100_000, cost in 0i64..10_000_000) {
            let text = format_markup(points);
            prop_assert_eq!(parse_markup(&text), Ok(points));
            let price = apply_markup(cost, points);
            if points >= 0 { prop_assert!(price >= cost); } else { prop_assert!(price <= cost); }
        }
    }
}
