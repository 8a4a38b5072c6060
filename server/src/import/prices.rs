//! `prices import`: Microsoft's new-commerce licence-based price list, the partner's cost.
//! Each month's list is kept beside the earlier ones (its lines are keyed by product, SKU,
//! term, billing plan and first day), so a past month is priced by its own list.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use shared::file_values::parse_currency;
use shared::ids::PartnerId;
use shared::money::parse_price;
use shared::pricing::{
    PriceListLine, parse_billing_plan, parse_price_list_date, parse_term_duration,
};

use crate::import::report::{Action, ImportError, Imported, Report, Verdict, short, storage};
use crate::import::table::{Columns, Wanted, read_table};
use crate::store::Store;
use crate::store::prices::{PriceLineKey, partner_currency, price_line_key};

const PRODUCT_TITLE: usize = 0;
const PRODUCT: usize = 1;
const SKU: usize = 2;
const SKU_TITLE: usize = 3;
const TERM: usize = 4;
const PLAN: usize = 5;
const MARKET: usize = 6;
const CURRENCY: usize = 7;
const UNIT_PRICE: usize = 8;
const START: usize = 9;
const END: usize = 10;
const ERP: usize = 11;

fn wanted(label: &'static str, required: bool) -> Wanted {
    Wanted {
        label,
        aliases: &[],
        required,
    }
}

/// A line's dates, by its number: first day, last day (`9999-12-31` when open).
type Period = (u64, String, String);

/// A product or SKU id as the list writes it: letters and digits.
fn parse_part(what: &str, text: &str) -> Result<String, String> {
    let t = text.trim();
    if !t.is_empty() && t.len() <= 32 && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(format!(
            "\"{}\" is not a {what}: letters and digits, as in the price list",
            short(t, 40)
        ))
    }
}

/// `prices import --partner ID FILE [--market CODE]`: checks every line, then saves them all
/// in one transaction (or, with a refused line, nothing).
pub async fn prices(
    store: &Arc<dyn Store>,
    partner: PartnerId,
    path: &Path,
    market: Option<&str>,
    dry_run: bool,
) -> Result<Imported, ImportError> {
    let table = read_table(path)?;
    let columns = Columns::find(
        &table,
        &[
            wanted("ProductTitle", true),
            wanted("ProductId", true),
            wanted("SkuId", true),
            wanted("SkuTitle", true),
            wanted("TermDuration", true),
            wanted("BillingPlan", true),
            wanted("Market", true),
            wanted("Currency", true),
            wanted("UnitPrice", true),
            wanted("EffectiveStartDate", true),
            wanted("EffectiveEndDate", false),
            wanted("ERP Price", false),
        ],
    )?;
    let market = market.map(|m| m.trim().to_ascii_uppercase());
    let markets: std::collections::BTreeSet<String> = table
        .lines
        .iter()
        .map(|l| columns.get(l, MARKET).trim().to_ascii_uppercase())
        .collect();
    match &market {
        None if markets.len() > 1 => {
            let some: Vec<&str> = markets.iter().take(5).map(String::as_str).collect();
            return Err(ImportError::Failed(format!(
                "the file has lines of {} markets ({}{}): pick one with --market",
                markets.len(),
                some.join(", "),
                if markets.len() > 5 { ", …" } else { "" }
            )));
        }
        Some(m) if !markets.contains(m) => {
            return Err(ImportError::Failed(format!(
                "the file has no line of the market \"{}\"",
                short(m, 10)
            )));
        }
        _ => {}
    }
    // The partner's currency so far; a first list sets it.
    let mut currency = partner_currency(store.as_ref(), partner)
        .await
        .map_err(|e| e.to_string())?;
    let stored: HashMap<PriceLineKey, PriceListLine> = store
        .price_list(partner)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|l| (price_line_key(&l), l))
        .collect();
    // Per product, SKU, term and plan: the lines of the file so far, to refuse overlaps.
    let mut periods: HashMap<(String, String, String, String), Vec<Period>> = HashMap::new();
    let mut verdicts = table.unreadable;
    let mut to_save = Vec::new();
    let mut left_out = 0usize;
    for line in &table.lines {
        let line_market = columns.get(line, MARKET).trim().to_ascii_uppercase();
        if market.as_ref().is_some_and(|m| *m != line_market) {
            left_out += 1;
            continue;
        }
        let parsed = (|| -> Result<PriceListLine, String> {
            columns.check_width(line)?;
            let line_currency = columns.read(line, CURRENCY, parse_currency)?;
            let expected = currency.get_or_insert_with(|| line_currency.clone());
            if *expected != line_currency {
                return Err(format!(
                    "column \"Currency\": {line_currency} is not the partner's currency ({expected}): a partner's price lists are in one currency"
                ));
            }
            let price = |t: &str| parse_price(t, &line_currency);
            let start = columns.read(line, START, parse_price_list_date)?;
            let end = if columns.get(line, END).trim().is_empty() {
                None
            } else {
                Some(columns.read(line, END, parse_price_list_date)?)
            };
            if let Some(end) = &end
                && *end < start
            {
                return Err(format!("it ends ({end}) before it starts ({start})"));
            }
            let erp = if columns.get(line, ERP).trim().is_empty() {
                None
            } else {
                Some(columns.read(line, ERP, price)?)
            };
            let title = |t: &str| {
                let t = t.trim();
                if t.is_empty() || t.chars().count() > 200 {
                    Err("is empty or longer than 200 characters".to_owned())
                } else {
                    Ok(t.to_owned())
                }
            };
            Ok(PriceListLine {
                product_id: columns.read(line, PRODUCT, |t| parse_part("product id", t))?,
                sku_id: columns.read(line, SKU, |t| parse_part("SKU id", t))?,
                term_duration: columns.read(line, TERM, parse_term_duration)?,
                billing_plan: columns.read(line, PLAN, parse_billing_plan)?,
                effective_start: start,
                effective_end: end,
                market: line_market.clone(),
                currency: line_currency.clone(),
                unit_price: columns.read(line, UNIT_PRICE, price)?,
                erp_price: erp,
                product_title: columns.read(line, PRODUCT_TITLE, title)?,
                sku_title: columns.read(line, SKU_TITLE, title)?,
            })
        })();
        let subject = format!(
            "{}:{} {} {}",
            short(columns.get(line, PRODUCT).trim(), 20),
            short(columns.get(line, SKU).trim(), 10),
            short(columns.get(line, TERM).trim(), 5),
            short(columns.get(line, PLAN).trim(), 10)
        );
        let action = match parsed {
            Err(why) => Action::Refused(why),
            Ok(l) => {
                let key = (
                    l.product_id.clone(),
                    l.sku_id.clone(),
                    l.term_duration.clone(),
                    l.billing_plan.clone(),
                );
                let end = l
                    .effective_end
                    .clone()
                    .unwrap_or_else(|| "9999-12-31".to_owned());
                let earlier = periods.entry(key).or_default();
                match earlier
                    .iter()
                    .find(|(_, s, e)| l.effective_start <= *e && *s <= end)
                {
                    Some((first, s, e)) => Action::Refused(format!(
                        "its dates overlap line {first}'s ({s} to {}) for the same product, SKU, term and billing plan",
                        if e == "9999-12-31" { "no end" } else { e }
                    )),
                    None => {
                        earlier.push((line.number, l.effective_start.clone(), end));
                        let action = match stored.get(&price_line_key(&l)) {
                            None => Action::Create,
                            Some(old) if *old == l => Action::Unchanged,
                            Some(_) => Action::Update,
                        };
                        if action != Action::Unchanged {
                            to_save.push(l);
                        }
                        action
                    }
                }
            }
        };
        verdicts.push(Verdict {
            line: line.number,
            action,
            subject,
        });
    }
    let mut report = Report::new("price list lines", verdicts, dry_run).decide()?;
    report.left_out = left_out;
    let mut imported = Imported {
        written: None,
        authorised: None,
        report,
    };
    if !dry_run {
        let at = shared::calendar::rfc3339(crate::clock::unix_now());
        store
            .save_price_list(partner, &to_save, &at)
            .await
            .map_err(storage)?;
        imported.written = Some(to_save.len());
    }
    Ok(imported)
}
