//! Seat counts: what a valid number of licences is, and when seats may change.

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::model::SeatBounds;
use crate::model::Subscription;
use crate::reduction_window::check_reduction;
use crate::rules::RuleError;
pub use crate::rules::{SeatError, SeatErrorKind};

/// A seat count that has passed its offer's bounds. Only [`SeatInput::for_offer`] makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SeatCount(u32);

impl SeatCount {
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for SeatCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A seat count as a client sent it, before any rule: a JSON number of any size or sign, a
/// JSON string, the text of a form field, or a value of the wrong kind. Keeping it raw lets
/// the rule, not the JSON parser, answer "0", "-3", "2.5" or "lots" with the offer's bounds.
#[derive(Clone, Debug, PartialEq)]
pub enum SeatInput {
    /// A JSON integer.
    Whole(i128),
    /// A JSON number with a fraction or exponent.
    Number(f64),
    /// A JSON string or what the agent typed.
    Text(String),
    /// A JSON value that is not a number at all ("true", "a list", …).
    Other(&'static str),
}

impl From<u32> for SeatInput {
    fn from(n: u32) -> Self {
        SeatInput::Whole(n.into())
    }
}

impl From<&str> for SeatInput {
    fn from(s: &str) -> Self {
        SeatInput::Text(s.to_owned())
    }
}

impl SeatInput {
    /// The seat count this input stands for, if it is a whole number within `bounds`.
    pub fn for_offer(&self, bounds: SeatBounds) -> Result<SeatCount, SeatError> {
        let fail = |kind| Err(SeatError { kind, bounds });
        let whole = match self {
            SeatInput::Whole(n) => *n,
            SeatInput::Number(x) => {
                if !x.is_finite() {
                    return fail(SeatErrorKind::NotANumber);
                }
                if x.fract() != 0.0 {
                    return fail(SeatErrorKind::NotWhole);
                }
                // Saturates for absurd magnitudes, which the bounds then refuse.
                *x as i128
            }
            SeatInput::Text(text) => match parse_typed_seats(text) {
                Typed::Empty => return fail(SeatErrorKind::Missing),
                Typed::Whole(n) => n,
                Typed::Fraction => return fail(SeatErrorKind::NotWhole),
                Typed::Junk => return fail(SeatErrorKind::NotANumber),
            },
            SeatInput::Other(_) => return fail(SeatErrorKind::NotANumber),
        };
        if whole < i128::from(bounds.min) {
            fail(SeatErrorKind::TooFew)
        } else if whole > i128::from(bounds.max) {
            fail(SeatErrorKind::TooMany)
        } else {
            Ok(SeatCount(whole as u32))
        }
    }
}

enum Typed {
    Empty,
    Whole(i128),
    Fraction,
    Junk,
}

/// Reads what a person typed. Only plain digits count as a whole number: "1.000" or "1,5"
/// is refused as not whole rather than guessed at, because "1.000" means a thousand in Italian.
fn parse_typed_seats(text: &str) -> Typed {
    let t = text.trim();
    if t.is_empty() {
        return Typed::Empty;
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let negative = t.starts_with('-');
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        // Digits beyond i128 are absurdly large: saturate so the bounds refuse them.
        let n = unsigned.parse::<i128>().unwrap_or(i128::MAX);
        return Typed::Whole(if negative { -n } else { n });
    }
    let mut parts = unsigned.split(['.', ',']);
    let (int, frac) = (parts.next().unwrap_or(""), parts.next());
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match frac {
        Some(frac)
            if parts.next().is_none()
                && digits(int)
                && digits(frac)
                && !(int.is_empty() && frac.is_empty()) =>
        {
            Typed::Fraction
        }
        _ => Typed::Junk,
    }
}

/// Whether a subscription's seats can be changed at all, whatever the new number.
pub fn seat_change_possible(sub: &Subscription) -> Result<(), RuleError> {
    crate::lifecycle::ensure_changeable(sub, RuleError::SeatsWhileSuspended)
}

/// The rule for *Edit quantity*: an active, partner-bought subscription, a valid count for its
/// offer, a value different from the current one, and — for a decrease — no more seats removed
/// than are still inside their 7-day reduction window at `now` (Unix seconds).
pub fn check_seat_change(
    sub: &Subscription,
    input: &SeatInput,
    now: i64,
) -> Result<SeatCount, RuleError> {
    seat_change_possible(sub)?;
    let seats = input
        .for_offer(sub.seat_bounds())
        .map_err(RuleError::Seats)?;
    if seats.get() == sub.quantity {
        return Err(RuleError::QuantityUnchanged {
            quantity: sub.quantity,
        });
    }
    check_reduction(&sub.seat_batches, sub.quantity, seats.get(), now)?;
    Ok(seats)
}

impl Serialize for SeatInput {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SeatInput::Whole(n) => match i64::try_from(*n) {
                Ok(n) => s.serialize_i64(n),
                Err(_) => s.serialize_str(&n.to_string()),
            },
            SeatInput::Number(x) => s.serialize_f64(*x),
            SeatInput::Text(t) => s.serialize_str(t),
            SeatInput::Other(_) => s.serialize_unit(),
        }
    }
}

impl<'de> Deserialize<'de> for SeatInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SeatInputVisitor)
    }
}

struct SeatInputVisitor;

impl<'de> Visitor<'de> for SeatInputVisitor {
    type Value = SeatInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number of seats")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<SeatInput, E> {
        Ok(SeatInput::Whole(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<SeatInput, E> {
        Ok(SeatInput::Whole(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<SeatInput, E> {
        Ok(SeatInput::Whole(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<SeatInput, E> {
        Ok(SeatInput::Whole(i128::try_from(v).unwrap_or(i128::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<SeatInput, E> {
        Ok(SeatInput::Number(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<SeatInput, E> {
        Ok(SeatInput::Text(v.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<SeatInput, E> {
        Ok(SeatInput::Other("a true/false value"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<SeatInput, E> {
        Ok(SeatInput::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SeatInput, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(SeatInput::Other("a list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SeatInput, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(SeatInput::Other("an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::subscription;
    use crate::model::{Channel, Status};

    const BUSINESS: SeatBounds = SeatBounds { min: 1, max: 300 };

    fn kind(input: SeatInput) -> Result<u32, SeatErrorKind> {
        input
            .for_offer(BUSINESS)
            .map(SeatCount::get)
            .map_err(|e| e.kind)
    }

    #[test]
    fn whole_numbers_at_and_around_the_bounds() {
        assert_eq!(kind(0.into()), Err(SeatErrorKind::TooFew));
        assert_eq!(kind(1.into()), Ok(1));
        assert_eq!(kind(2.into()), Ok(2));
        assert_eq!(kind(299.into()), Ok(299));
        assert_eq!(kind(300.into()), Ok(300));
        assert_eq!(kind(301.into()), Err(SeatErrorKind::TooMany));
        assert_eq!(kind(SeatInput::Whole(-1)), Err(SeatErrorKind::TooFew));
        assert_eq!(
            kind(SeatInput::Whole(i128::MAX)),
            Err(SeatErrorKind::TooMany)
        );
        assert_eq!(
            kind(SeatInput::Whole(i128::MIN)),
            Err(SeatErrorKind::TooFew)
        );
        assert_eq!(
            kind(SeatInput::Whole(u32::MAX as i128 + 1)),
            Err(SeatErrorKind::TooMany)
        );
    }

    #[test]
    fn json_numbers_with_fractions() {
        assert_eq!(kind(SeatInput::Number(2.5)), Err(SeatErrorKind::NotWhole));
        assert_eq!(kind(SeatInput::Number(0.999)), Err(SeatErrorKind::NotWhole));
        assert_eq!(kind(SeatInput::Number(12.0)), Ok(12));
        assert_eq!(kind(SeatInput::Number(1e300)), Err(SeatErrorKind::TooMany));
        assert_eq!(kind(SeatInput::Number(-1e300)), Err(SeatErrorKind::TooFew));
        assert_eq!(
            kind(SeatInput::Number(f64::NAN)),
            Err(SeatErrorKind::NotANumber)
        );
        assert_eq!(
            kind(SeatInput::Number(f64::INFINITY)),
            Err(SeatErrorKind::NotANumber)
        );
    }

    #[test]
    fn typed_text() {
        assert_eq!(kind("".into()), Err(SeatErrorKind::Missing));
        assert_eq!(kind("   ".into()), Err(SeatErrorKind::Missing));
        assert_eq!(kind(" 12 ".into()), Ok(12));
        assert_eq!(kind("+12".into()), Ok(12));
        assert_eq!(kind("0".into()), Err(SeatErrorKind::TooFew));
        assert_eq!(kind("-5".into()), Err(SeatErrorKind::TooFew));
        assert_eq!(kind("301".into()), Err(SeatErrorKind::TooMany));
        assert_eq!(
            kind("99999999999999999999999999999999999999999999".into()),
            Err(SeatErrorKind::TooMany)
        );
        assert_eq!(kind("2.5".into()), Err(SeatErrorKind::NotWhole));
        assert_eq!(kind("1.000".into()), Err(SeatErrorKind::NotWhole));
        assert_eq!(kind("1,5".into()), Err(SeatErrorKind::NotWhole));
        assert_eq!(kind(".5".into()), Err(SeatErrorKind::NotWhole));
        assert_eq!(kind("abc".into()), Err(SeatErrorKind::NotANumber));
        assert_eq!(kind("1e3".into()), Err(SeatErrorKind::NotANumber));
        assert_eq!(kind("NaN".into()), Err(SeatErrorKind::NotANumber));
        assert_eq!(kind(".".into()), Err(SeatErrorKind::NotANumber));
        assert_eq!(kind("1.2.3".into()), Err(SeatErrorKind::NotANumber));
        assert_eq!(kind("-".into()), Err(SeatErrorKind::NotANumber));
        assert_eq!(
            kind(SeatInput::Other("null")),
            Err(SeatErrorKind::NotANumber)
        );
    }

    #[test]
    fn every_message_names_the_bounds() {
        for kind in SeatErrorKind::ALL {
            let msg = SeatError {
                kind,
                bounds: BUSINESS,
            }
            .to_string();
            assert!(msg.contains("between 1 and 300 seats"), "{msg}");
        }
        let one = SeatError {
            kind: SeatErrorKind::TooMany,
            bounds: SeatBounds::new(1, 1),
        };
        assert_eq!(
            one.to_string(),
            "Too many: this offer allows exactly 1 seat."
        );
    }

    #[test]
    fn json_of_any_kind_becomes_an_input_not_a_parse_error() {
        let parse = |j: &str| serde_json::from_str::<SeatInput>(j).unwrap();
        assert_eq!(parse("7"), SeatInput::Whole(7));
        assert_eq!(parse("-7"), SeatInput::Whole(-7));
        assert_eq!(parse("2.5"), SeatInput::Number(2.5));
        assert_eq!(parse("\"12\""), SeatInput::Text("12".into()));
        assert_eq!(parse("true"), SeatInput::Other("a true/false value"));
        assert_eq!(parse("[1,2]"), SeatInput::Other("a list"));
        assert_eq!(parse("{\"a\":1}"), SeatInput::Other("an object"));
        assert_eq!(
            parse("18446744073709551615"),
            SeatInput::Whole(u64::MAX.into())
        );
        assert_eq!(serde_json::to_string(&SeatInput::from(5)).unwrap(), "5");
    }

    #[test]
    fn seat_change_rules() {
        let sub = subscription(); // active, partner-bought, 10 seats of 1..=300
        assert_eq!(
            check_seat_change(&sub, &12.into(), 0).map(SeatCount::get),
            Ok(12)
        );
        assert_eq!(
            check_seat_change(&sub, &10.into(), 0),
            Err(RuleError::QuantityUnchanged { quantity: 10 })
        );
        assert!(matches!(
            check_seat_change(&sub, &301.into(), 0),
            Err(RuleError::Seats(SeatError {
                kind: SeatErrorKind::TooMany,
                ..
            }))
        ));
        let direct = Subscription {
            channel: Channel::Direct,
            ..sub.clone()
        };
        assert_eq!(
            check_seat_change(&direct, &12.into(), 0),
            Err(RuleError::BoughtDirectly)
        );
        let suspended = Subscription {
            status: Status::Suspended,
            ..sub.clone()
        };
        assert_eq!(
            check_seat_change(&suspended, &12.into(), 0),
            Err(RuleError::SeatsWhileSuspended)
        );
        // A direct subscription is refused for being direct, whatever else is wrong with it.
        let both = Subscription {
            status: Status::Suspended,
            ..direct
        };
        assert_eq!(
            check_seat_change(&both, &0.into(), 0),
            Err(RuleError::BoughtDirectly)
        );
    }
}
