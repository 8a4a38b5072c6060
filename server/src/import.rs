//! Imports from CSV files: the catalogue, and Partner Center's customer and subscription
//! exports. Every line is read with the same `shared` rules the API uses; a dry run prints
//! what each line would do; a real run imports everything in one transaction or nothing.
//! Importing the same file twice changes nothing (keys: offer id, Microsoft ID, Subscription ID).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use shared::customer_details::{normalise_company_name, normalise_domain};
use shared::file_values::{
    parse_billing_cycle, parse_currency, parse_date, parse_exported_status, parse_flag,
    parse_offer_id, parse_price_cents, parse_term,
};
use shared::ids::{CustomerId, OfferId, PartnerId, SubscriptionId};
use shared::lifecycle::check_file_end_date;
use shared::model::{Channel, Offer, Status, SubscriptionSnapshot};
use shared::seats::{SeatBounds, SeatInput};
use shared::team::normalise_name;

use crate::clock;
use crate::store::{ImportedSubscription, NewCustomer, NewSubscription, Owned, Store};

/// Lines between two progress reports on standard error.
const PROGRESS_EVERY: usize = 10_000;
/// Largest file read: far above a real export (100,000 customers is about 10 MB), far below
/// what would exhaust memory.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Longest field kept: no value of these files comes near it.
const MAX_FIELD_BYTES: usize = 4096;

/// `text` with its control characters written as escapes (`\n`, `\u{1b}`).
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Lines read from one file, at most: far above a real export (200,000 subscriptions), and
/// what keeps a file of millions of one-character lines from taking gigabytes to hold.
const MAX_LINES: usize = 1_000_000;

/// At most `max` characters of `text`, for messages that quote what a file holds; control
/// characters (a line break, an escape sequence) written as escapes, so a file cannot forge
/// lines of the report or drive the terminal.
fn short(text: &str, max: usize) -> String {
    let mut out = escape_controls(&text.chars().take(max).collect::<String>());
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The separator of a file: a comma, or what Excel in many European languages writes (a
/// semicolon), or a tab — whichever the header line has most of. A first line `sep=;` (Excel's
/// own hint) decides it outright.
fn separator(bytes: &[u8]) -> u8 {
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = text
        .split(|b| *b == b'\n' || *b == b'\r')
        .find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .unwrap_or_default();
    if let Some(&b) = first.strip_prefix(b"sep=").and_then(|rest| rest.first()) {
        return b;
    }
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == b','))
        .unwrap_or(b',')
}

/// What one line of a file does.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Unchanged,
    Refused(String),
}

struct Verdict {
    line: u64,
    action: Action,
    /// What the line is about, e.g. `customer 3f2… "Contoso"`.
    subject: String,
}

/// A data line of the file: its line number and its fields.
struct Line {
    number: u64,
    fields: Vec<String>,
}

/// The file, read: its columns (normalised names) and its lines, or the lines that could
/// not be read at all.
struct Table {
    columns: Vec<String>,
    lines: Vec<Line>,
    unreadable: Vec<Verdict>,
}

/// "Primary domain name", "primary_domain_name" and "PRIMARY-DOMAIN NAME" are one column.
fn column_key(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn read_table(path: &Path) -> Result<Table, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{} has {} MB: files of at most {} MB are imported (split it in parts)",
            path.display(),
            size / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Line numbers as an editor shows them, blank lines included (the CSV reader skips those
    // and would count from the next record). A line ends where the reader ends one: at LF,
    // CRLF, or a CR alone (Excel's "CSV (Macintosh)").
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .map(|(i, _)| i)
        .collect();
    let line_at = |offset: u64| -> u64 {
        // A record's position can be that of blank lines skipped before it: step over them.
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        newlines.partition_point(|n| *n < offset) as u64 + 1
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&bytes))
        .from_reader(bytes.as_slice());
    let mut columns: Option<Vec<String>> = None;
    let mut lines = Vec::new();
    let mut unreadable = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        if lines.len() + unreadable.len() >= MAX_LINES {
            return Err(format!(
                "{} has more than {MAX_LINES} lines: split it in parts",
                path.display()
            ));
        }
        let line = line_at(reader.position().byte());
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| line_at(p.byte()));
                unreadable.push(Verdict {
                    line,
                    action: Action::Refused(format!("cannot be read as CSV: {e}")),
                    subject: String::new(),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(format!("reading {}: {e}", path.display()));
                }
                continue;
            }
        }
        let number = record.position().map_or(line, |p| line_at(p.byte()));
        if let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            unreadable.push(Verdict {
                line: number,
                action: Action::Refused(format!(
                    "field {} is longer than {MAX_FIELD_BYTES} bytes",
                    i + 1
                )),
                subject: String::new(),
            });
            continue;
        }
        let mut fields = Vec::with_capacity(record.len());
        let mut bad_utf8 = None;
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(text) => fields.push(text.to_owned()),
                Err(_) => {
                    bad_utf8 = Some(i + 1);
                    break;
                }
            }
        }
        if let Some(column) = bad_utf8 {
            if columns.is_none() {
                return Err(format!(
                    "{}: the header line is not UTF-8 text",
                    path.display()
                ));
            }
            unreadable.push(Verdict {
                line: number,
                action: Action::Refused(format!(
                    "field {column} is not UTF-8 text (save the file as UTF-8)"
                )),
                subject: String::new(),
            });
            continue;
        }
        // Lines of nothing but separators and spaces are skipped, as blank lines are.
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match columns {
            // Excel's separator hint is not the header.
            None if fields[0].trim_start_matches('\u{feff}').starts_with("sep=") => {}
            None => columns = Some(fields.iter().map(|f| column_key(f)).collect()),
            Some(_) => lines.push(Line { number, fields }),
        }
    }
    let columns =
        columns.ok_or_else(|| format!("{} is empty: expected a header line", path.display()))?;
    Ok(Table {
        columns,
        lines,
        unreadable,
    })
}

/// A column the import reads, with the other names files use for it.
struct Wanted {
    label: &'static str,
    aliases: &'static [&'static str],
    required: bool,
}

/// Where each wanted column is in the file (`None` for an absent optional one).
struct Columns {
    positions: Vec<Option<usize>>,
    labels: Vec<&'static str>,
    count: usize,
}

impl Columns {
    fn find(table: &Table, wanted: &[Wanted]) -> Result<Self, String> {
        let mut positions = Vec::new();
        let mut missing = Vec::new();
        for w in wanted {
            let keys: Vec<String> = std::iter::once(w.label)
                .chain(w.aliases.iter().copied())
                .map(column_key)
                .collect();
            let matching: Vec<usize> = (0..table.columns.len())
                .filter(|i| keys.contains(&table.columns[*i]))
                .collect();
            // Two columns for one value: which one is right is not ours to guess.
            if matching.len() > 1 {
                let names: Vec<String> = matching
                    .iter()
                    .map(|i| format!("\"{}\"", short(&table.columns[*i], 40)))
                    .collect();
                return Err(format!(
                    "the header line has {} columns for \"{}\" ({}): keep one",
                    matching.len(),
                    w.label,
                    names.join(", ")
                ));
            }
            let position = matching.first().copied();
            if position.is_none() && w.required {
                missing.push(w.label);
            }
            positions.push(position);
        }
        if !missing.is_empty() {
            let found: Vec<String> = table
                .columns
                .iter()
                .take(20)
                .map(|c| short(c, 40))
                .collect();
            return Err(format!(
                "the header line lacks the column(s) {}; it has: {}{} (columns separated by commas, semicolons or tabs)",
                missing
                    .iter()
                    .map(|m| format!("\"{m}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                found.join(", "),
                if table.columns.len() > 20 {
                    ", …"
                } else {
                    ""
                }
            ));
        }
        Ok(Columns {
            positions,
            labels: wanted.iter().map(|w| w.label).collect(),
            count: table.columns.len(),
        })
    }

    /// The line's value of wanted column `i` (empty if the column is absent).
    fn get<'a>(&self, line: &'a Line, i: usize) -> &'a str {
        self.positions[i]
            .and_then(|p| line.fields.get(p))
            .map_or("", |s| s.as_str())
    }

    fn present(&self, i: usize) -> bool {
        self.positions[i].is_some()
    }

    /// Reads column `i` with `rule`, naming the column in the refusal.
    fn read<T>(
        &self,
        line: &Line,
        i: usize,
        rule: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, String> {
        rule(self.get(line, i)).map_err(|e| format!("column \"{}\": {e}", self.labels[i]))
    }

    fn check_width(&self, line: &Line) -> Result<(), String> {
        if line.fields.len() == self.count {
            Ok(())
        } else {
            Err(format!(
                "has {} fields where the header has {} (a missing or extra separator, or an unclosed quote?)",
                line.fields.len(),
                self.count
            ))
        }
    }
}

fn progress(done: usize, total: usize) {
    if total >= PROGRESS_EVERY && done.is_multiple_of(PROGRESS_EVERY) && done > 0 {
        eprintln!("… {done} of {total} lines checked");
    }
}

/// Prints the verdicts and decides: a dry run prints every line; a real run goes ahead only
/// if no line was refused.
fn report(what: &str, mut verdicts: Vec<Verdict>, dry_run: bool) -> Result<Counts, String> {
    verdicts.sort_by_key(|v| v.line);
    let mut counts = Counts::default();
    for v in &verdicts {
        match &v.action {
            Action::Create => counts.created += 1,
            Action::Update => counts.updated += 1,
            Action::Unchanged => counts.unchanged += 1,
            Action::Refused(_) => counts.refused += 1,
        }
    }
    for v in &verdicts {
        let show = dry_run || matches!(v.action, Action::Refused(_));
        if !show {
            continue;
        }
        let line = match &v.action {
            Action::Create => format!("line {}: create {}", v.line, v.subject),
            Action::Update => format!("line {}: update {}", v.line, v.subject),
            Action::Unchanged => format!("line {}: unchanged {}", v.line, v.subject),
            Action::Refused(why) if v.subject.is_empty() => {
                format!("line {}: refused: {why}", v.line)
            }
            Action::Refused(why) => format!("line {}: refused ({}): {why}", v.line, v.subject),
        };
        // Whatever a message quotes from the file, one report line stays one line.
        let line = escape_controls(&line);
        if dry_run {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    }
    println!(
        "{what}: {counts}{}",
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    // A refused line fails a dry run too, so a script can use it to check a file.
    if counts.refused > 0 && dry_run {
        return Err(format!("{} line(s) would be refused", counts.refused));
    }
    if counts.refused > 0 {
        return Err(format!(
            "{} line(s) refused: nothing imported. Fix them (or try --dry-run) and import the file again.",
            counts.refused
        ));
    }
    Ok(counts)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} to create, {} to update, {} unchanged, {} refused",
            self.created, self.updated, self.unchanged, self.refused
        )
    }
}

fn storage(e: crate::store::StoreError) -> String {
    format!("the database refused the import, nothing was written: {e}")
}

/// `offers import FILE.csv [--authorise PARTNER]`: saves the offers and, with a partner,
/// authorises every offer of the file for it, in one transaction.
pub async fn offers(
    store: &Arc<dyn Store>,
    path: &Path,
    dry_run: bool,
    authorise: Option<PartnerId>,
) -> Result<(), String> {
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
    report("offers", verdicts, dry_run)?;
    if !dry_run {
        let ids: Vec<OfferId> = seen.into_keys().map(OfferId).collect();
        let authorised = store
            .save_offers_and_authorise(&to_save, authorise.map(|p| (p, ids.as_slice())))
            .await
            .map_err(storage)?;
        println!("imported {} offer(s)", to_save.len());
        if let Some(partner) = authorise {
            println!("authorised {authorised} offer(s) for partner {partner}");
        }
    }
    Ok(())
}

/// `customers import --partner ID Customers.csv`.
pub async fn customers(
    store: &Arc<dyn Store>,
    partner: PartnerId,
    path: &Path,
    dry_run: bool,
) -> Result<Counts, String> {
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
    let now = clock::now_rfc3339();
    let mut ids_seen: HashMap<CustomerId, u64> = HashMap::new();
    let mut domains_seen: HashMap<String, u64> = HashMap::new();
    let mut verdicts = table.unreadable;
    let mut to_write = Vec::new();
    let total = table.lines.len();
    for (n, line) in table.lines.iter().enumerate() {
        progress(n, total);
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
    let counts = report("customers", verdicts, dry_run)?;
    if !dry_run {
        store
            .import_customers(partner, &to_write)
            .await
            .map_err(storage)?;
        println!("imported {} customer(s)", to_write.len());
    }
    Ok(counts)
}

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
    partner: PartnerId,
    customer: Option<CustomerId>,
    path: &Path,
    options: SubscriptionImport,
) -> Result<Counts, String> {
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
        return Err(format!(
            "--customer {c} is not one of this partner's customers (import Customers.csv first)"
        ));
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
    let now = clock::now();
    let mut seen: HashMap<SubscriptionId, u64> = HashMap::new();
    let mut verdicts = table.unreadable;
    let mut to_write = Vec::new();
    let total = table.lines.len();
    for (n, line) in table.lines.iter().enumerate() {
        progress(n, total);
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
            let before = old.map(|o| SubscriptionSnapshot {
                quantity: o.quantity,
                status: o.status,
                auto_renew: o.auto_renew,
                commitment_end: Some(o.commitment_end.clone()),
                term: None,
                scheduled: o.scheduled.clone(),
            });
            // The store drops a scheduled change as the console would (seats changed,
            // suspended, auto-renew off); the audit trail says the same.
            let kept = old
                .filter(|o| {
                    o.quantity == new.quantity && new.status == Status::Active && new.auto_renew
                })
                .and_then(|o| o.scheduled.clone());
            let after = SubscriptionSnapshot {
                quantity: new.quantity,
                status: new.status,
                auto_renew: new.auto_renew,
                commitment_end: Some(new.commitment_end.clone()),
                term: None,
                scheduled: kept,
            };
            let imported = ImportedSubscription {
                expected_version: old.map(|o| o.version),
                row: new,
                anniversary_day,
                before,
                after,
                source: format!("{file_name}, line {}", line.number),
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
    let counts = report("subscriptions", verdicts, dry_run)?;
    if !dry_run {
        store
            .import_subscriptions(partner, &to_write, &clock::now_rfc3339())
            .await
            .map_err(storage)?;
        println!("imported {} subscription(s)", to_write.len());
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_file_text_cannot_forge_report_lines() {
        assert_eq!(
            short("a\nsubscriptions: 0\u{1b}[8m", 60),
            "a\\nsubscriptions: 0\\u{1b}[8m"
        );
        assert_eq!(short("Contoso", 3), "Con…");
    }

    #[test]
    fn column_names_match_however_written() {
        assert_eq!(
            column_key("\u{feff}Primary domain name"),
            "primary domain name"
        );
        assert_eq!(column_key(" primary_domain-NAME "), "primary domain name");
        assert_eq!(column_key("Auto-renew"), "auto renew");
    }
}
