//! Reading Microsoft's new-commerce licence-based invoice reconciliation file (columns as
//! documented at learn.microsoft.com/partner-center/billing/modern-invoice-reconciliation-file;
//! the others, and their order, do not matter). Every line is checked with the `shared` rules;
//! one refused line refuses the file.

use shared::file_values::parse_currency;
use shared::money::{parse_amount, parse_price};
use shared::reconciliation::{ChargeType, InvoiceLine, parse_charge_date, parse_line_quantity};

use crate::import::report::{Action, ImportError, Report, Verdict, short};
use crate::import::table::{Columns, Wanted, table_of};

const CUSTOMER_ID: usize = 0;
const CUSTOMER_NAME: usize = 1;
const SUBSCRIPTION: usize = 2;
const CHARGE_TYPE: usize = 3;
const UNIT_PRICE: usize = 4;
const QUANTITY: usize = 5;
const BILLABLE: usize = 6;
const SUBTOTAL: usize = 7;
const START: usize = 8;
const END: usize = 9;
const CURRENCY: usize = 10;

fn wanted(label: &'static str, required: bool) -> Wanted {
    Wanted {
        label,
        aliases: &[],
        required,
    }
}

/// The lines of a reconciliation file (`bytes`, named `name`), in `currency`, or every
/// refused line.
pub fn read(bytes: &[u8], name: &str, currency: &str) -> Result<Vec<InvoiceLine>, ImportError> {
    let table = table_of(bytes, name)?;
    let columns = Columns::find(
        &table,
        &[
            wanted("CustomerId", true),
            wanted("CustomerName", true),
            wanted("SubscriptionId", true),
            wanted("ChargeType", true),
            wanted("UnitPrice", true),
            wanted("Quantity", true),
            wanted("BillableQuantity", false),
            wanted("Subtotal", true),
            wanted("ChargeStartDate", true),
            wanted("ChargeEndDate", true),
            wanted("Currency", true),
        ],
    )?;
    let mut verdicts = table.unreadable;
    let mut lines = Vec::with_capacity(table.lines.len());
    for line in &table.lines {
        let parsed = (|| -> Result<InvoiceLine, String> {
            columns.check_width(line)?;
            let line_currency = columns.read(line, CURRENCY, parse_currency)?;
            if line_currency != currency {
                return Err(format!(
                    "column \"Currency\": {line_currency} is not the partner's currency ({currency})"
                ));
            }
            let text = |i: usize, what: &str| {
                let t = columns.get(line, i).trim();
                if t.is_empty() || t.chars().count() > 200 {
                    Err(format!(
                        "column \"{what}\" is empty or longer than 200 characters"
                    ))
                } else {
                    Ok(t.to_owned())
                }
            };
            // Microsoft's advice: reconcile with BillableQuantity where the file has it.
            let quantity_column =
                if columns.present(BILLABLE) && !columns.get(line, BILLABLE).trim().is_empty() {
                    BILLABLE
                } else {
                    QUANTITY
                };
            let start = columns.read(line, START, parse_charge_date)?;
            let end = columns.read(line, END, parse_charge_date)?;
            if end < start {
                return Err(format!(
                    "the charge ends ({end}) before it starts ({start})"
                ));
            }
            Ok(InvoiceLine {
                line: line.number,
                customer_id: text(CUSTOMER_ID, "CustomerId")?,
                customer_name: text(CUSTOMER_NAME, "CustomerName")?,
                subscription_id: text(SUBSCRIPTION, "SubscriptionId")?,
                charge_type: columns.read(line, CHARGE_TYPE, ChargeType::parse)?,
                unit_price: columns.read(line, UNIT_PRICE, |t| parse_price(t, currency))?,
                quantity: columns.read(line, quantity_column, parse_line_quantity)?,
                subtotal: columns.read(line, SUBTOTAL, |t| parse_amount(t, currency))?,
                charge_start: start,
                charge_end: end,
            })
        })();
        let subject = format!(
            "subscription {}",
            short(columns.get(line, SUBSCRIPTION).trim(), 40)
        );
        let action = match parsed {
            Ok(l) => {
                lines.push(l);
                Action::Create
            }
            Err(why) => Action::Refused(why),
        };
        verdicts.push(Verdict {
            line: line.number,
            action,
            subject,
        });
    }
    Report::new("reconciliation lines", verdicts, false).decide()?;
    Ok(lines)
}
