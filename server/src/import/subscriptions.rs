//! `subscriptions import`: Partner Center's "Export subscriptions".

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use shared::file_values::{parse_date, parse_exported_status, parse_flag, parse_term};
use shared::ids::{CustomerId, PartnerId, SubscriptionId};
use shared::lifecycle::check_file_end_date;
use shared::model::{Channel, Offer, Status};
use shared::seats::SeatInput;

use crate::clock::{self, Clock};
use crate::import::report::{
    Action, ImportError, Imported, Report, Verdict, short, storage, worth_a_progress_line,
};
use crate::import::table::{Columns, Wanted, read_table};
use crate::store::{ImportedSubscription, NewSubscription, Owned, Store};

/// How a subscriptions import runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct SubscriptionImport {
    /// Print what each line would do; write nothing.
    pub dry_run: bool,
    /// Take lines that would move a term's end date back (an export older than the console's
    /// record); still recorded in the audit trail.
    pub force: bool,
}

/// `subscriptions import --partner ID [--customer ID] [--force] FILE.csv`.
pub async fn subscriptions(
    store: &Arc<dyn Store>,
    clock: &Clock,
    partner: PartnerId,
    customer: Option<CustomerId>,
    path: &Path,
    options: SubscriptionImport,
    progress: &dyn Fn(usize, usize),
) -> Result<Imported, ImportError> {
    let SubscriptionImport { dry_run, force } = options;
    let table = read_table(path)?;
    // The audit trail names the file (not the folder it was in) and the line.
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    const ID: usize = 0;
    const OFFER: usize = 1;
    const QUANTITY: usize = 2;
    const STATUS: usize = 3;
    const TERM: usize = 4;
    const END: usize = 5;
    const RENEW: usize = 6;
    const CUSTOMER: usize = 7;
    let columns = Columns::find(
        &table,
        &[
            Wanted {
                label: "Subscription ID",
                aliases: &["id"],
                required: true,
            },
            Wanted {
                label: "Subscription",
                aliases: &["offer", "offer name", "offer id", "product"],
                required: true,
            },
            Wanted {
                label: "Quantity",
                aliases: &["seats", "licenses", "licences"],
                required: true,
            },
            Wanted {
                label: "Status",
                aliases: &[],
                required: true,
            },
            Wanted {
                label: "Term",
                aliases: &["term duration"],
                required: false,
            },
            Wanted {
                label: "Commitment end date",
                aliases: &["commitment end", "end date", "term end date"],
                required: false,
            },
            Wanted {
                label: "Auto-renew",
                aliases: &["auto renew", "autorenew", "auto renewal"],
                required: false,
            },
            Wanted {
                label: "Microsoft ID",
                aliases: &["customer id", "tenant id"],
                required: false,
            },
        ],
    )?;
    if customer.is_none() && !columns.present(CUSTOMER) {
        return Err("the file has no \"Microsoft ID\" column: give the customer with --customer ID (Partner Center exports one customer's subscriptions at a time)".into());
    }
    let offers = store
        .offers_for_partner(partner)
        .await
        .map_err(|e| e.to_string())?;
    let catalogue = store.all_offers().await.map_err(|e| e.to_string())?;
    let customers: HashSet<CustomerId> = store
        .customer_keys(partner)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if let Some(c) = customer.filter(|c| !customers.contains(c)) {
        return Err(ImportError::Failed(format!(
            "--customer {c} is not one of this partner's customers (import Customers.csv first)"
        )));
    }
    let existing: HashMap<SubscriptionId, crate::store::SubscriptionKey> = store
        .subscription_keys(partner)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let new_ids: Vec<String> = table
        .lines
        .iter()
        .filter_map(|l| columns.get(l, ID).trim().parse::<SubscriptionId>().ok())
        .filter(|id| !existing.contains_key(id))
        .map(|id| id.to_string())
        .collect();
    let foreign = store
        .owned_elsewhere(partner, Owned::Subscriptions, &new_ids)
        .await
        .map_err(|e| e.to_string())?;
    let now = clock.now();
    let mut seen: HashMap<SubscriptionId, u64> = HashMap::new();
    let mut verdicts = table.unreadable;
    let mut to_write = Vec::new();
    let total = table.lines.len();
    for (n, line) in table.lines.iter().enumerate() {
        if worth_a_progress_line(n, total) {
            progress(n, total);
        }
        let subject = format!("subscription {:?}", short(columns.get(line, ID).trim(), 60));
        let checked = (|| -> Result<(ImportedSubscription, Action), String> {
            columns.check_width(line)?;
            let id: SubscriptionId = columns.read(line, ID, |t| {
                t.trim()
                    .parse()
                    .map_err(|_| format!("\"{}\" is not a subscription id (a GUID)", t.trim()))
            })?;
            // Repeated ids are named as such, before anything else is said of the line.
            if let Some(first) = seen.get(&id) {
                return Err(format!("subscription {id} is already on line {first}"));
            }
            let from_file = |t: &str| {
                t.trim().parse::<CustomerId>().map_err(|_| {
                    format!("\"{}\" is not a Microsoft ID (a GUID)", short(t.trim(), 60))
                })
            };
            let customer_id = match customer {
                Some(c) if !columns.present(CUSTOMER) => c,
                Some(c) => {
                    let named = columns.read(line, CUSTOMER, from_file)?;
                    if named != c {
                        return Err(format!(
                            "the line names customer {named}, but --customer says {c}: which one is meant?"
                        ));
                    }
                    c
                }
                None => columns.read(line, CUSTOMER, from_file)?,
            };
            if !customers.contains(&customer_id) {
                return Err(format!(
                    "customer {customer_id} is not one of this partner's customers (import Customers.csv first)"
                ));
            }
            let offer = columns.read(line, OFFER, |t| {
                let t = t.trim();
                let matches = |o: &&Offer| o.id.0 == t || o.name.eq_ignore_ascii_case(t);
                // An id is exact; a name must name one offer only.
                let by_id = offers.iter().find(|o| o.id.0 == t);
                let by_name: Vec<&Offer> = offers
                    .iter()
                    .filter(|o| o.name.eq_ignore_ascii_case(t))
                    .collect();
                match by_id.or(by_name.first().copied()) {
                    Some(_) if by_id.is_none() && by_name.len() > 1 => Err(format!(
                        "\"{t}\" is the name of {} offers: give the offer id instead",
                        by_name.len()
                    )),
                    Some(o) => Ok(o.clone()),
                    None if catalogue.iter().any(|o| matches(&o)) => Err(format!(
                        "the offer \"{t}\" is not authorised for this partner (offers authorise)"
                    )),
                    None => Err(format!(
                        "no offer \"{}\" in the catalogue (by name or id)",
                        short(t, 60)
                    )),
                }
            })?;
            let quantity = columns.read(line, QUANTITY, |t| {
                SeatInput::from(t)
                    .for_offer(offer.seat_bounds())
                    .map(|s| s.get())
                    .map_err(|e| e.to_string())
            })?;
            let status = columns.read(line, STATUS, parse_exported_status)?;
            if columns.present(TERM) && !columns.get(line, TERM).trim().is_empty() {
                let term = columns.read(line, TERM, parse_term)?;
                if term != offer.term {
                    return Err(format!(
                        "column \"Term\": the offer \"{}\" is {} in the catalogue, not {}",
                        offer.name, offer.term, term
                    ));
                }
            }
            let old = existing.get(&id);
            if foreign.contains(&id.to_string()) {
                return Err(format!("subscription {id} belongs to another partner"));
            }
            if let Some(old) = old {
                if old.customer_id != customer_id {
                    return Err(format!(
                        "subscription {id} belongs to another of your customers ({})",
                        old.customer_id
                    ));
                }
                if old.channel == Channel::Direct {
                    return Err(format!(
                        "subscription {id} was bought directly by the customer: only they can change it"
                    ));
                }
                if !old.status.is_live() {
                    return Err(format!(
                        "subscription {id} is {}: it is read-only for good, an import cannot change it",
                        old.status
                    ));
                }
                if old.offer_id != offer.id {
                    return Err(format!(
                        "subscription {id} is of the offer {}, which an import cannot change",
                        old.offer_id
                    ));
                }
            }
            let given = |i| columns.present(i) && !columns.get(line, i).trim().is_empty();
            let unix_now = now.unix_timestamp();
            let commitment_end = if given(END) {
                columns.read(line, END, |t| {
                    let end = parse_date(t)?;
                    check_file_end_date(&end, offer.term, unix_now)?;
                    Ok(end)
                })?
            } else {
                old.map_or_else(
                    || shared::lifecycle::first_term_end(unix_now, offer.term),
                    |o| o.commitment_end.clone(),
                )
            };
            // An older export than the console's record: its end date would undo a renewal
            // (and the renewal would then happen a second time).
            if let Some(o) = old.filter(|o| commitment_end < o.commitment_end && !force) {
                return Err(format!(
                    "column \"Commitment end date\": {commitment_end} is before the end date the console has ({}), which a renewal or a later export set: import a newer export, or give --force to move it back (recorded in the activity log)",
                    o.commitment_end
                ));
            }
            // The day its terms end on: the file's end date's — unless the day kept already
            // fits it (an export of February gives the 28th to a term of the 31st); a line
            // without one keeps the subscription's (or, new, today's, as an order).
            let anniversary_day = if given(END) {
                shared::calendar::parse_date(&commitment_end).map(|end| {
                    match old.and_then(|o| o.anniversary_day) {
                        Some(day) if shared::calendar::add_months(end, 0, day) == end => day,
                        _ => end.2,
                    }
                })
            } else if old.is_none() {
                Some(shared::calendar::date_of(unix_now).2)
            } else {
                None
            };
            let auto_renew = if given(RENEW) {
                columns.read(line, RENEW, parse_flag)?
            } else {
                old.map_or(status == Status::Active, |o| {
                    o.auto_renew && status == Status::Active
                })
            };
            if status == Status::Suspended && auto_renew {
                return Err(
                    "a suspended subscription does not renew: set Auto-renew to Off".into(),
                );
            }
            if let Some(first) = seen.insert(id, line.number) {
                return Err(format!("subscription {id} is already on line {first}"));
            }
            let new = NewSubscription {
                id,
                customer_id,
                offer_id: offer.id.clone(),
                quantity,
                status,
                channel: Channel::Partner,
                auto_renew,
                created_at: clock::rfc3339(now),
                commitment_end,
                scheduled: None,
                ordered_here: false,
                // Bought before the import: no window of 7 days is assumed open.
                seat_batches: Vec::new(),
            };
            let action = match old {
                None => Action::Create,
                Some(o)
                    if o.quantity == new.quantity
                        && o.status == new.status
                        && o.auto_renew == new.auto_renew
                        && o.commitment_end == new.commitment_end =>
                {
                    Action::Unchanged
                }
                Some(_) => Action::Update,
            };
            let before = old.map(crate::store::SubscriptionKey::snapshot);
            let after = crate::store::SubscriptionKey::after_line(
                old,
                new.quantity,
                new.status,
                new.auto_renew,
                &new.commitment_end,
            );
            let imported = ImportedSubscription {
                expected_version: old.map(|o| o.version),
                row: new,
                anniversary_day,
                before,
                after,
                source: format!("{file_name}, line {}", line.number),
                term: None,
            };
            Ok((imported, action))
        })();
        let action = match checked {
            Err(why) => Action::Refused(why),
            Ok((new, action)) => {
                if action != Action::Unchanged {
                    to_write.push(new);
                }
                action
            }
        };
        verdicts.push(Verdict {
            line: line.number,
            action,
            subject,
        });
    }
    let report = Report::new("subscriptions", verdicts, dry_run).decide()?;
    let mut written = None;
    if !dry_run {
        store
            .import_subscriptions(
                partner,
                &to_write,
                &clock.now_rfc3339(),
                crate::store::ImportedBy::File,
            )
            .await
            .map_err(storage)?;
        written = Some(to_write.len());
    }
    Ok(Imported {
        report,
        written,
        authorised: None,
    })
}
