//! Reconciliation: a month's invoice reconciliation file of Microsoft's against the console's
//! record, for the Reconciliation page, `/api/reconciliation` and `reseller-console reconcile`.
//! The file is kept as imported; the comparison is made each time it is asked for, so it
//! follows the console's record (a correction made after the import shows at once).

use std::collections::{HashMap, HashSet};

use shared::ErrorCode;
use shared::ids::{CustomerId, OfferId, PartnerId, SubscriptionId};
use shared::model::{Offer, Subscription, Term};
use shared::money::format_amount;
use shared::partner_center::CatalogItem;
use shared::pricing::{PriceListLine, console_term};
use shared::reconciliation::{
    CustomerMargin, Flag, FlagKind, InvoiceLine, Reconciliation, check_line,
};
use shared::statements::{HistoryPoint, Month};

use crate::csv::push_row;
use crate::error::{AppError, AppResult};
use crate::import::ImportError;
use crate::store::Store;
use crate::store::prices::ReconciliationFile;

/// The columns of the reconciliation's CSV: the flags first (`Row` names the flag), then one
/// row per customer (`Row` is `customer`).
pub const CSV_HEADER: [&str; 14] = [
    "Month",
    "Row",
    "Customer ID",
    "Customer",
    "Subscription ID",
    "Offer",
    "File line",
    "Day",
    "Microsoft",
    "Console",
    "Microsoft cost",
    "Customer price",
    "Margin",
    "Currency",
];

/// An unreadable file as an error: its refused lines, each in words.
fn refused(e: ImportError) -> AppError {
    match e {
        ImportError::Refused(report) => {
            let lines = report.lines();
            let mut err = AppError::new(
                ErrorCode::InvalidFile,
                format!(
                    "{} line(s) of the file refused, nothing imported: {}",
                    report.counts.refused,
                    lines.first().cloned().unwrap_or_default()
                ),
            );
            err.0.lines = lines;
            err
        }
        ImportError::Failed(why) => AppError::new(ErrorCode::InvalidFile, why),
    }
}

/// Who imports a file, and whether it is kept (not in a dry run).
pub struct Importer<'a> {
    pub by: &'a str,
    pub now: i64,
    pub keep: bool,
}

/// Checks `bytes` (the file `name`) and keeps it as `month`'s file; then the reconciliation.
pub async fn import(
    store: &dyn Store,
    partner: PartnerId,
    month: Month,
    (name, bytes): (&str, &[u8]),
    Importer { by, now, keep }: Importer<'_>,
) -> AppResult<Reconciliation> {
    let currency = super::prices::currency(store, partner).await?;
    let lines = crate::import::reconciliation::read(bytes, name, &currency).map_err(refused)?;
    let file = ReconciliationFile {
        file_name: name.chars().take(200).collect(),
        body: String::from_utf8_lossy(bytes).into_owned(),
        lines: lines.len() as u64,
        imported_by: by.to_owned(),
        imported_at: shared::calendar::rfc3339(now),
    };
    if keep {
        store
            .save_reconciliation_file(partner, &month.to_string(), &file)
            .await?;
    }
    compare(store, partner, month, &file, &lines, currency).await
}

/// `month`'s reconciliation, if a file was imported for it.
pub async fn report(
    store: &dyn Store,
    partner: PartnerId,
    month: Month,
) -> AppResult<Option<Reconciliation>> {
    let Some(file) = store
        .reconciliation_file(partner, &month.to_string())
        .await?
    else {
        return Ok(None);
    };
    let currency = super::prices::currency(store, partner).await?;
    let lines =
        crate::import::reconciliation::read(file.body.as_bytes(), &file.file_name, &currency)
            .map_err(refused)?;
    compare(store, partner, month, &file, &lines, currency)
        .await
        .map(Some)
}

/// What one customer adds up to.
#[derive(Default)]
struct Sums {
    name: String,
    cost: i64,
    price: i64,
    flags: u32,
}

/// The price list's unit price (a seat for a billing period) for `offer` on `day`, for a term
/// of `term` billed as `sub` is.
fn list_unit_price(
    list: &[PriceListLine],
    offer: Option<&Offer>,
    sub: &Subscription,
    term: Term,
    day: &str,
) -> Option<i64> {
    let item = CatalogItem::parse(&offer?.id.0).ok()?;
    list.iter()
        .filter(|l| {
            l.product_id.eq_ignore_ascii_case(&item.product_id)
                && l.sku_id.eq_ignore_ascii_case(&item.sku_id)
                && console_term(&l.term_duration, &l.billing_plan)
                    == Some((term, sub.billing_cycle))
                && l.effective_start.as_str() <= day
                && l.effective_end.as_deref().is_none_or(|end| day <= end)
        })
        .max_by(|a, b| a.effective_start.cmp(&b.effective_start))
        .map(|l| l.unit_price)
}

async fn compare(
    store: &dyn Store,
    partner: PartnerId,
    month: Month,
    file: &ReconciliationFile,
    lines: &[InvoiceLine],
    currency: String,
) -> AppResult<Reconciliation> {
    let book = store.price_book(partner).await?;
    let list = store.price_list(partner).await?;
    let offers: HashMap<OfferId, Offer> = store
        .offers_for_partner(partner)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let in_file: HashSet<SubscriptionId> = lines
        .iter()
        .filter_map(|l| l.subscription_id.parse().ok())
        .collect();
    // Every subscription's month, by customer; those of the file kept with their history.
    let mut held: HashMap<SubscriptionId, (Subscription, Vec<HistoryPoint>)> = HashMap::new();
    let mut customers: HashMap<CustomerId, Sums> = HashMap::new();
    let mut flags = Vec::new();
    let mut cursor = None;
    while let Some((parts, next)) =
        super::statements::month_chunk(store, partner, &book, month, cursor.as_ref()).await?
    {
        for (sub, history, part) in parts {
            let sums = customers.entry(sub.customer_id).or_default();
            sums.name.clone_from(&sub.customer_name);
            sums.price += part.subtotal_cents;
            if in_file.contains(&sub.id) {
                held.insert(sub.id, (sub, history));
            } else if !part.lines.is_empty() {
                sums.flags += 1;
                flags.push(Flag {
                    kind: FlagKind::NoMicrosoftLine,
                    line: None,
                    subscription_id: sub.id.to_string(),
                    customer_id: Some(sub.customer_id),
                    customer_name: sub.customer_name.clone(),
                    offer_name: Some(sub.offer_name.clone()),
                    day: part.lines.first().map(|l| l.from.clone()),
                    microsoft: None,
                    console: Some(part.subtotal_cents),
                });
            }
        }
        cursor = Some(next);
    }
    // Microsoft's customers the console does not hold, by the file's id.
    let mut strangers: HashMap<String, Sums> = HashMap::new();
    for line in lines {
        let found = line
            .subscription_id
            .parse::<SubscriptionId>()
            .ok()
            .and_then(|id| held.get(&id));
        let Some((sub, history)) = found else {
            let sums = strangers
                .entry(line.customer_id.to_ascii_lowercase())
                .or_default();
            sums.name.clone_from(&line.customer_name);
            sums.cost += line.subtotal;
            sums.flags += 1;
            flags.push(Flag {
                kind: FlagKind::UnknownSubscription,
                line: Some(line.line),
                subscription_id: line.subscription_id.clone(),
                customer_id: None,
                customer_name: line.customer_name.clone(),
                offer_name: None,
                day: Some(line.charge_start.clone()),
                microsoft: Some(line.subtotal),
                console: None,
            });
            continue;
        };
        let offer = offers.get(&sub.offer_id);
        let price = |term: Term| list_unit_price(&list, offer, sub, term, &line.charge_start);
        let sums = customers.entry(sub.customer_id).or_default();
        sums.cost += line.subtotal;
        for (kind, microsoft, console) in check_line(line, history, &price) {
            sums.flags += 1;
            flags.push(Flag {
                kind,
                line: Some(line.line),
                subscription_id: sub.id.to_string(),
                customer_id: Some(sub.customer_id),
                customer_name: sub.customer_name.clone(),
                offer_name: Some(sub.offer_name.clone()),
                day: Some(line.charge_start.clone()),
                microsoft,
                console,
            });
        }
    }
    let margins = customers
        .into_iter()
        .filter(|(_, s)| s.cost != 0 || s.price != 0 || s.flags > 0)
        .map(|(id, s)| CustomerMargin::new(Some(id), s.name, s.cost, s.price, s.flags))
        .chain(
            strangers
                .into_values()
                .map(|s| CustomerMargin::new(None, s.name, s.cost, 0, s.flags)),
        )
        .collect();
    Ok(Reconciliation::new(
        month.to_string(),
        currency,
        (
            file.file_name.clone(),
            file.imported_at.clone(),
            file.imported_by.clone(),
            file.lines,
        ),
        flags,
        margins,
    ))
}

/// The rows of the reconciliation's CSV (under [`CSV_HEADER`]): the flags, then the customers.
pub fn csv_rows(report: &Reconciliation) -> String {
    let mut out = String::new();
    let money = |cents: i64| format_amount(cents, &report.currency);
    let opt = |v: Option<String>| v.unwrap_or_default();
    for f in &report.flags {
        // Seats are counts; the other figures are money.
        let figure = |v: Option<i64>| match f.kind {
            FlagKind::QuantityDiffers => v.map(|n| n.to_string()),
            _ => v.map(money),
        };
        push_row(
            &mut out,
            [
                report.month.as_str(),
                f.kind.as_str(),
                &opt(f.customer_id.map(|c| c.to_string())),
                &f.customer_name,
                &f.subscription_id,
                &opt(f.offer_name.clone()),
                &opt(f.line.map(|l| l.to_string())),
                &opt(f.day.clone()),
                &opt(figure(f.microsoft)),
                &opt(figure(f.console)),
                "",
                "",
                "",
                &report.currency,
            ],
        );
    }
    for c in &report.customers {
        push_row(
            &mut out,
            [
                report.month.as_str(),
                "customer",
                &opt(c.customer_id.map(|id| id.to_string())),
                &c.customer_name,
                "",
                "",
                "",
                "",
                "",
                "",
                &money(c.microsoft_cost_cents),
                &money(c.customer_price_cents),
                &money(c.margin_cents),
                &report.currency,
            ],
        );
    }
    out
}
