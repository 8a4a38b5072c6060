//! `customers import`: Partner Center's Customers.csv export.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use shared::customer_details::{normalise_company_name, normalise_domain};
use shared::ids::{CustomerId, PartnerId};

use crate::clock::Clock;
use crate::import::report::{
    Action, ImportError, Imported, Report, Verdict, short, storage, worth_a_progress_line,
};
use crate::import::table::{Columns, Wanted, read_table};
use crate::store::{NewCustomer, Owned, Store};

/// `customers import --partner ID Customers.csv`.
pub async fn customers(
    store: &Arc<dyn Store>,
    clock: &Clock,
    partner: PartnerId,
    path: &Path,
    dry_run: bool,
    progress: &dyn Fn(usize, usize),
) -> Result<Imported, ImportError> {
    let table = read_table(path)?;
    const ID: usize = 0;
    const NAME: usize = 1;
    const DOMAIN: usize = 2;
    let columns = Columns::find(
        &table,
        &[
            Wanted {
                label: "Microsoft ID",
                aliases: &["customer id", "tenant id"],
                required: true,
            },
            Wanted {
                label: "Company name",
                aliases: &["customer name", "name"],
                required: true,
            },
            Wanted {
                label: "Primary domain name",
                aliases: &["domain", "primary domain"],
                required: true,
            },
        ],
    )?;
    let existing: HashMap<CustomerId, NewCustomer> = store
        .customer_keys(partner)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let owner_of_domain: HashMap<String, CustomerId> = existing
        .values()
        .map(|c| (c.domain.clone(), c.id))
        .collect();
    let new_ids: Vec<String> = table
        .lines
        .iter()
        .filter_map(|l| columns.get(l, ID).trim().parse::<CustomerId>().ok())
        .filter(|id| !existing.contains_key(id))
        .map(|id| id.to_string())
        .collect();
    let foreign = store
        .owned_elsewhere(partner, Owned::Customers, &new_ids)
        .await
        .map_err(|e| e.to_string())?;
    let now = clock.now_rfc3339();
    let mut ids_seen: HashMap<CustomerId, u64> = HashMap::new();
    let mut domains_seen: HashMap<String, u64> = HashMap::new();
    let mut verdicts = table.unreadable;
    let mut to_write = Vec::new();
    let total = table.lines.len();
    for (n, line) in table.lines.iter().enumerate() {
        if worth_a_progress_line(n, total) {
            progress(n, total);
        }
        let subject = format!("customer {:?}", short(columns.get(line, NAME).trim(), 60));
        let checked = (|| -> Result<NewCustomer, String> {
            columns.check_width(line)?;
            let id: CustomerId = columns.read(line, ID, |t| {
                t.trim()
                    .parse()
                    .map_err(|_| format!("\"{}\" is not a Microsoft ID (a GUID)", t.trim()))
            })?;
            let name = columns.read(line, NAME, |t| {
                normalise_company_name(t).map_err(|e| e.to_string())
            })?;
            let domain = columns.read(line, DOMAIN, |t| {
                normalise_domain(t).map_err(|e| e.to_string())
            })?;
            if foreign.contains(&id.to_string()) {
                return Err(format!(
                    "Microsoft ID {id} belongs to another partner's customer"
                ));
            }
            if let Some(first) = ids_seen.insert(id, line.number) {
                return Err(format!("Microsoft ID {id} is already on line {first}"));
            }
            if let Some(first) = domains_seen.insert(domain.clone(), line.number) {
                return Err(format!("the domain {domain} is already on line {first}"));
            }
            if owner_of_domain
                .get(&domain)
                .is_some_and(|owner| *owner != id)
            {
                return Err(shared::RuleError::DomainTaken { domain }.to_string());
            }
            let created_at = existing
                .get(&id)
                .map_or_else(|| now.clone(), |c| c.created_at.clone());
            Ok(NewCustomer {
                id,
                name,
                domain,
                created_at,
            })
        })();
        let action = match checked {
            Err(why) => Action::Refused(why),
            Ok(c) => {
                let action = match existing.get(&c.id) {
                    None => Action::Create,
                    Some(old) if *old == c => Action::Unchanged,
                    Some(_) => Action::Update,
                };
                if action != Action::Unchanged {
                    to_write.push(c);
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
    let report = Report::new("customers", verdicts, dry_run).decide()?;
    let mut written = None;
    if !dry_run {
        store
            .import_customers(partner, &to_write)
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
