//! Reconciliation against Microsoft's invoice: each line of the new-commerce licence-based
//! reconciliation file (its columns as documented at
//! learn.microsoft.com/partner-center/billing/modern-invoice-reconciliation-file) checked
//! against the console's record of its subscription on the day the charge starts.
//!
//! What is flagged, and nothing else: a subscription the console does not hold; a quantity
//! other than the console's for that day; a unit price other than the partner's price list
//! for that day; a charge for a subscription the console holds as cancelled or expired; and a
//! subscription the console charges for the month with no line of Microsoft's.

use serde::{Deserialize, Serialize};

use crate::ids::CustomerId;
use crate::model::Term;
use crate::statements::HistoryPoint;

/// What a line of the file charges (its `ChargeType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChargeType {
    /// A subscription bought.
    New,
    /// A new term.
    Renew,
    /// The periodic charge of a term billed monthly (or yearly).
    CycleCharge,
    /// Seats added: the line's quantity is the seats added.
    AddQuantity,
    /// Seats removed within the window: a credit for the seats removed.
    RemoveQuantity,
    /// The subscription cancelled: a credit for its seats.
    Cancel,
}

impl ChargeType {
    /// The file's `ChargeType`, however it is spelled ("Cycle charge", "cycleCharge",
    /// "cycle_charge"; "Cancel immediate" is a cancellation).
    pub fn parse(text: &str) -> Result<ChargeType, String> {
        let key: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Ok(match key.as_str() {
            "new" | "purchase" => ChargeType::New,
            "renew" | "renewal" => ChargeType::Renew,
            "cyclecharge" | "cyclefee" => ChargeType::CycleCharge,
            "addquantity" => ChargeType::AddQuantity,
            "removequantity" => ChargeType::RemoveQuantity,
            "cancel" | "cancelimmediate" => ChargeType::Cancel,
            _ => {
                return Err(format!(
                    "\"{}\" is not a charge type of a licence-based line: New, Renew, Cycle charge, Add quantity, Remove quantity or Cancel",
                    text.trim().chars().take(40).collect::<String>()
                ));
            }
        })
    }

    /// A credit: what it counts are seats given back.
    pub fn is_credit(self) -> bool {
        matches!(self, ChargeType::RemoveQuantity | ChargeType::Cancel)
    }
}

/// Most seats a line may count: a subscription's largest offer bound.
pub const MAX_LINE_QUANTITY: u32 = 1_000_000;

/// A line's `BillableQuantity` (or `Quantity`): a whole number of seats; a credit may write it
/// below zero. Gives the number of seats it counts.
pub fn parse_line_quantity(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    // Microsoft writes whole quantities of licences, sometimes as "5.0".
    let whole = digits
        .strip_suffix(".0")
        .or_else(|| digits.strip_suffix(".00"))
        .unwrap_or(digits);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "\"{}\" is not a number of seats: a whole number, e.g. 5",
            t.chars().take(20).collect::<String>()
        ));
    }
    match whole.parse::<u32>() {
        Ok(n) if n <= MAX_LINE_QUANTITY => Ok(n),
        _ => Err(format!(
            "{t} seats is more than a subscription can hold ({MAX_LINE_QUANTITY})"
        )),
    }
}

/// A charge's day (`ChargeStartDate`, `ChargeEndDate`) as `YYYY-MM-DD`: the file writes
/// `11/3/2026` (month first, as Partner Center does), `2026-11-03` or either with a time.
pub fn parse_charge_date(text: &str) -> Result<String, String> {
    crate::pricing::parse_price_list_date(text).map_err(|_| {
        format!(
            "\"{}\" is not a date: write it as YYYY-MM-DD or M/D/YYYY (e.g. 11/3/2026)",
            text.trim().chars().take(30).collect::<String>()
        )
    })
}

/// One line of Microsoft's file, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    /// Its line number in the file.
    pub line: u64,
    /// Microsoft's customer id and name, as the file writes them.
    pub customer_id: String,
    pub customer_name: String,
    /// The subscription's id, as the file writes it.
    pub subscription_id: String,
    pub charge_type: ChargeType,
    /// Microsoft's price of a unit for the billing period, in minor units.
    pub unit_price: i64,
    /// The seats it counts (a credit's seats given back).
    pub quantity: u32,
    /// What Microsoft charges (below zero: credits) before tax, in minor units.
    pub subtotal: i64,
    /// `YYYY-MM-DD`, both included.
    pub charge_start: String,
    pub charge_end: String,
}

/// What is wrong with a line, or with the console's charge that has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Microsoft charges for a subscription the console does not hold (for this partner).
    UnknownSubscription,
    /// The line's seats are not the console's for that day.
    QuantityDiffers,
    /// The line's unit price is not the partner's price list's for that day.
    UnitPriceDiffers,
    /// Microsoft charges for a subscription the console holds as cancelled or expired.
    ChargedWhileEnded,
    /// The console charges the customer for a subscription Microsoft has no line for.
    NoMicrosoftLine,
}

impl FlagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::UnknownSubscription => "unknown_subscription",
            FlagKind::QuantityDiffers => "quantity_differs",
            FlagKind::UnitPriceDiffers => "unit_price_differs",
            FlagKind::ChargedWhileEnded => "charged_while_ended",
            FlagKind::NoMicrosoftLine => "no_microsoft_line",
        }
    }
}

/// One mismatch: Microsoft's figure beside the console's (seats, a unit price in minor units,
/// or for `no_microsoft_line` the console's charge for the month).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    pub kind: FlagKind,
    /// The file's line, when there is one.
    pub line: Option<u64>,
    pub subscription_id: String,
    /// The console's customer; for an unknown subscription, `None` (the file's name is kept).
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub offer_name: Option<String>,
    /// The day the charge starts (`YYYY-MM-DD`).
    pub day: Option<String>,
    pub microsoft: Option<i64>,
    pub console: Option<i64>,
}

/// The point of `history` in force at the end of `day`: the last change on or before it.
pub fn point_on<'a>(history: &'a [HistoryPoint], day: &str) -> Option<&'a HistoryPoint> {
    history.iter().rev().find(|p| p.day.as_str() <= day)
}

/// The seats the console counts for a line of `charge` starting on `day`: the seats held
/// (a purchase, a new term, a cycle), or the seats added, removed or cancelled that day.
pub fn console_quantity(history: &[HistoryPoint], charge: ChargeType, day: &str) -> u32 {
    let changes = history
        .windows(2)
        .filter(|w| w[1].day == day)
        .map(|w| (&w[0], &w[1]));
    match charge {
        ChargeType::New | ChargeType::Renew | ChargeType::CycleCharge => {
            point_on(history, day).map_or(0, |p| p.quantity)
        }
        ChargeType::AddQuantity => changes
            .filter(|(a, b)| b.status.is_live() && b.quantity > a.quantity)
            .map(|(a, b)| b.quantity - a.quantity)
            .sum(),
        ChargeType::RemoveQuantity => changes
            .filter(|(a, b)| b.status.is_live() && b.quantity < a.quantity)
            .map(|(a, b)| a.quantity - b.quantity)
            .sum(),
        ChargeType::Cancel => changes
            .filter(|(a, b)| a.status.is_live() && !b.status.is_live())
            .map(|(a, _)| a.quantity)
            .sum(),
    }
}

/// What is wrong with `line` for a subscription of `history`; `list_price(term)` is the
/// partner's price list's unit price of its offer on the line's day for a term of `term`
/// (`None`: no list to compare with). Each kind at most once.
pub fn check_line(
    line: &InvoiceLine,
    history: &[HistoryPoint],
    list_price: &dyn Fn(Term) -> Option<i64>,
) -> Vec<(FlagKind, Option<i64>, Option<i64>)> {
    let mut flags = Vec::new();
    let day = line.charge_start.as_str();
    let held = console_quantity(history, line.charge_type, day);
    if held != line.quantity {
        flags.push((
            FlagKind::QuantityDiffers,
            Some(i64::from(line.quantity)),
            Some(i64::from(held)),
        ));
    }
    let point = point_on(history, day);
    if let Some(p) = point
        && !line.charge_type.is_credit()
        && matches!(
            p.status,
            crate::model::Status::Cancelled | crate::model::Status::Expired
        )
    {
        flags.push((FlagKind::ChargedWhileEnded, Some(line.subtotal), None));
    }
    let term = point.or(history.first()).map(|p| p.term);
    if let Some(expected) = term.and_then(list_price)
        && expected != line.unit_price
    {
        flags.push((
            FlagKind::UnitPriceDiffers,
            Some(line.unit_price),
            Some(expected),
        ));
    }
    flags
}

/// One customer's month: what Microsoft charges the partner, what the partner charges the
/// customer (its statement), and what is left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerMargin {
    /// `None`: a customer of Microsoft's file the console does not hold.
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub microsoft_cost_cents: i64,
    pub customer_price_cents: i64,
    pub margin_cents: i64,
    /// How many flags are this customer's.
    pub flags: u32,
}

impl CustomerMargin {
    pub fn new(
        customer_id: Option<CustomerId>,
        customer_name: String,
        microsoft_cost_cents: i64,
        customer_price_cents: i64,
        flags: u32,
    ) -> Self {
        CustomerMargin {
            customer_id,
            customer_name,
            microsoft_cost_cents,
            customer_price_cents,
            margin_cents: customer_price_cents - microsoft_cost_cents,
            flags,
        }
    }
}

/// `GET /api/reconciliation`: a month's file of Microsoft's against the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub file_name: String,
    /// RFC 3339, and the agent's e-mail.
    pub imported_at: String,
    pub imported_by: String,
    /// Lines of Microsoft's file.
    pub lines: u64,
    /// The flags, by kind, then customer, then line.
    pub flags: Vec<Flag>,
    /// Per customer, flagged ones first, then by margin (smallest first).
    pub customers: Vec<CustomerMargin>,
    pub microsoft_cost_cents: i64,
    pub customer_price_cents: i64,
    pub margin_cents: i64,
}

impl Reconciliation {
    /// The report of `flags` and `customers`, sorted and added up.
    pub fn new(
        month: String,
        currency: String,
        (file_name, imported_at, imported_by, lines): (String, String, String, u64),
        mut flags: Vec<Flag>,
        mut customers: Vec<CustomerMargin>,
    ) -> Reconciliation {
        flags.sort_by(|a, b| {
            (a.kind, &a.customer_name, a.line, &a.subscription_id).cmp(&(
                b.kind,
                &b.customer_name,
                b.line,
                &b.subscription_id,
            ))
        });
        customers.sort_by(|a, b| {
            (b.flags.min(1), a.margin_cents, &a.customer_name).cmp(&(
                a.flags.min(1),
                b.margin_cents,
                &b.customer_name,
            ))
        });
        let microsoft_cost_cents = customers.iter().map(|c| c.microsoft_cost_cents).sum();
        let customer_price_cents = customers.iter().map(|c| c.customer_price_cents).sum();
        Reconciliation {
            month,
            currency,
            file_name,
            imported_at,
            imported_by,
            lines,
            flags,
            customers,
            microsoft_cost_cents,
            customer_price_cents,
            margin_cents: customer_price_cents - microsoft_cost_cents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn point(day: &str, quantity: u32, status: Status) -> HistoryPoint {
        HistoryPoint {
            day: day.into(),
            quantity,
            status,
            commitment_end: "2027-11-02".into(),
            term: Term::Annual,
            refund_cents: None,
        }
    }

    fn line(charge: &str, quantity: u32, day: &str) -> InvoiceLine {
        InvoiceLine {
            line: 2,
            customer_id: "c".into(),
            customer_name: "Contoso".into(),
            subscription_id: "s".into(),
            charge_type: ChargeType::parse(charge).unwrap(),
            unit_price: 600,
            quantity,
            subtotal: 6_000,
            charge_start: day.into(),
            charge_end: day.into(),
        }
    }

    fn kinds(line: &InvoiceLine, history: &[HistoryPoint], list: Option<i64>) -> Vec<FlagKind> {
        check_line(line, history, &|_| list)
            .into_iter()
            .map(|(k, _, _)| k)
            .collect()
    }

    #[test]
    fn charge_types_read_however_spelled_and_others_are_refused() {
        assert_eq!(
            ChargeType::parse("Cycle charge"),
            Ok(ChargeType::CycleCharge)
        );
        assert_eq!(
            ChargeType::parse("addQuantity"),
            Ok(ChargeType::AddQuantity)
        );
        assert_eq!(
            ChargeType::parse("remove_quantity"),
            Ok(ChargeType::RemoveQuantity)
        );
        assert_eq!(
            ChargeType::parse("Cancel immediate"),
            Ok(ChargeType::Cancel)
        );
        assert!(
            ChargeType::parse("Usage")
                .unwrap_err()
                .contains("\"Usage\"")
        );
    }

    #[test]
    fn quantities_are_whole_seats_and_a_credit_may_be_negative() {
        assert_eq!(parse_line_quantity(" 12 "), Ok(12));
        assert_eq!(parse_line_quantity("-2"), Ok(2));
        assert_eq!(parse_line_quantity("5.0"), Ok(5));
        assert!(parse_line_quantity("2.5").is_err());
        assert!(parse_line_quantity("lots").is_err());
        assert!(
            parse_line_quantity("2000000")
                .unwrap_err()
                .contains("more than")
        );
    }

    #[test]
    fn a_line_is_checked_against_the_console_on_its_day() {
        let history = [
            point("2026-11-03", 10, Status::Active),
            point("2026-11-11", 15, Status::Active),
            point("2026-11-13", 13, Status::Active),
            point("2026-11-23", 13, Status::Cancelled),
        ];
        // What the console holds, each line as Microsoft would write it: nothing flagged.
        for (charge, seats, day) in [
            ("New", 10, "2026-11-03"),
            ("Add quantity", 5, "2026-11-11"),
            ("Remove quantity", 2, "2026-11-13"),
            ("Cancel", 13, "2026-11-23"),
            ("Cycle charge", 13, "2026-11-20"),
        ] {
            assert_eq!(kinds(&line(charge, seats, day), &history, Some(600)), []);
        }
        // Other seats, another price, a charge after the cancellation.
        assert_eq!(
            kinds(&line("New", 12, "2026-11-03"), &history, Some(600)),
            [FlagKind::QuantityDiffers]
        );
        assert_eq!(
            kinds(&line("New", 10, "2026-11-03"), &history, Some(550)),
            [FlagKind::UnitPriceDiffers]
        );
        assert_eq!(
            kinds(&line("Cycle charge", 13, "2026-11-25"), &history, None),
            [FlagKind::ChargedWhileEnded]
        );
        // A credit for the cancelled seats is not a charge while ended.
        assert_eq!(kinds(&line("Cancel", 13, "2026-11-23"), &history, None), []);
    }

    #[test]
    fn the_report_puts_flagged_customers_first_and_adds_up() {
        let c = |name: &str, cost, price, flags| {
            CustomerMargin::new(None, name.into(), cost, price, flags)
        };
        let report = Reconciliation::new(
            "2026-11".into(),
            "EUR".into(),
            ("recon.csv".into(), "t".into(), "a".into(), 3),
            vec![],
            vec![c("A", 100, 150, 0), c("B", 100, 90, 0), c("C", 10, 20, 1)],
        );
        let names: Vec<&str> = report
            .customers
            .iter()
            .map(|c| c.customer_name.as_str())
            .collect();
        assert_eq!(names, ["C", "B", "A"]);
        assert_eq!(
            (
                report.microsoft_cost_cents,
                report.customer_price_cents,
                report.margin_cents
            ),
            (210, 260, 50)
        );
    }
}
