//! `offers import`: the catalogue.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use shared::file_values::{
    parse_billing_cycle, parse_currency, parse_offer_id, parse_price_cents, parse_term,
};
use shared::ids::{OfferId, PartnerId};
use shared::model::Offer;
use shared::seats::{SeatBounds, SeatInput};
use shared::team::normalise_name;

use crate::import::report::{Action, ImportError, Imported, Report, Verdict, short, storage};
use crate::import::table::{Columns, Wanted, read_table};
use crate::store::Store;

/// `offers import FILE.csv [--authorise PARTNER]`: saves the offers and, with a partner,
/// authorises every offer of the file for it, in one transaction.
pub async fn offers(
    store: &Arc<dyn Store>,
    path: &Path,
    dry_run: bool,
    authorise: Option<PartnerId>,
) -> Result<Imported, ImportError> {
    let table = read_table(path)?;
    const ID: usize = 0;
    const NAME: usize = 1;
    const MIN: usize = 2;
    const MAX: usize = 3;
    const PRICE: usize = 4;
    const CURRENCY: usize = 5;
    const TERM: usize = 6;
    const BILLING: usize = 7;
    let columns = Columns::find(
        &table,
        &[
            Wanted {
                label: "id",
                aliases: &["offer id"],
                required: true,
            },
            Wanted {
                label: "name",
                aliases: &["offer name", "offer"],
                required: true,
            },
            Wanted {
                label: "min seats",
                aliases: &["minimum seats", "min quantity"],
                required: true,
            },
            Wanted {
                label: "max seats",
                aliases: &["maximum seats", "max quantity"],
                required: true,
            },
            Wanted {
                label: "price per seat per month",
                aliases: &["price per seat", "price"],
                required: true,
            },
            Wanted {
                label: "currency",
                aliases: &[],
                required: true,
            },
            Wanted {
                label: "term",
                aliases: &["term duration"],
                required: true,
            },
            Wanted {
                label: "billing cycle",
                aliases: &["billing", "billing frequency"],
                required: true,
            },
        ],
    )?;
    let existing: HashMap<String, Offer> = store
        .all_offers()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|o| (o.id.0.clone(), o))
        .collect();
    let any_count = SeatBounds::new(1, 1_000_000);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut names_in_file: HashMap<String, u64> = HashMap::new();
    let mut verdicts = table.unreadable;
    let mut to_save = Vec::new();
    for line in &table.lines {
        let parsed = (|| -> Result<Offer, String> {
            columns.check_width(line)?;
            let id = columns.read(line, ID, parse_offer_id)?;
            let name = columns.read(line, NAME, |t| {
                normalise_name("offer_name", t).map_err(|e| e.to_string())
            })?;
            let seats = |t: &str| {
                SeatInput::from(t)
                    .for_offer(any_count)
                    .map(|s| s.get())
                    .map_err(|e| e.to_string())
            };
            let min = columns.read(line, MIN, seats)?;
            let max = columns.read(line, MAX, seats)?;
            if max < min {
                return Err(format!("max seats ({max}) is below min seats ({min})"));
            }
            Ok(Offer {
                id: OfferId(id),
                name,
                min_quantity: min,
                max_quantity: max,
                price_per_seat_cents: columns.read(line, PRICE, parse_price_cents)?,
                currency: columns.read(line, CURRENCY, parse_currency)?,
                term: columns.read(line, TERM, parse_term)?,
                billing_cycle: columns.read(line, BILLING, parse_billing_cycle)?,
            })
        })();
        let subject = format!("offer {:?}", short(columns.get(line, ID).trim(), 60));
        let action = match parsed {
            Err(why) => Action::Refused(why),
            Ok(offer) => match seen.insert(offer.id.0.clone(), line.number) {
                Some(first) => Action::Refused(format!("offer id already on line {first}")),
                // Subscription files name offers by name: a name must say which offer.
                None if names_in_file.contains_key(&offer.name.to_lowercase()) => {
                    Action::Refused(format!(
                        "the name \"{}\" is already on line {}",
                        short(&offer.name, 60),
                        names_in_file[&offer.name.to_lowercase()]
                    ))
                }
                None if existing.values().any(|o| {
                    o.id != offer.id
                        && (o.name.eq_ignore_ascii_case(&offer.name)
                            || o.id.0.eq_ignore_ascii_case(&offer.name))
                }) =>
                {
                    Action::Refused(format!(
                        "another offer of the catalogue is already named (or has the id) \"{}\"",
                        short(&offer.name, 60)
                    ))
                }
                None => {
                    names_in_file.insert(offer.name.to_lowercase(), line.number);
                    let action = match existing.get(&offer.id.0) {
                        None => Action::Create,
                        Some(old) if *old == offer => Action::Unchanged,
                        Some(_) => Action::Update,
                    };
                    if action != Action::Unchanged {
                        to_save.push(offer);
                    }
                    action
                }
            },
        };
        verdicts.push(Verdict {
            line: line.number,
            action,
            subject,
        });
    }
    let report = Report::new("offers", verdicts, dry_run).decide()?;
    let mut imported = Imported {
        written: None,
        authorised: None,
        report,
    };
    if !dry_run {
        let ids: Vec<OfferId> = seen.into_keys().map(OfferId).collect();
        let authorised = store
            .save_offers_and_authorise(&to_save, authorise.map(|p| (p, ids.as_slice())))
            .await
            .map_err(storage)?;
        imported.written = Some(to_save.len());
        imported.authorised = authorise.map(|partner| (partner, authorised));
    }
    Ok(imported)
}
