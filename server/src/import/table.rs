//! Reading a CSV file: its size and line limits, its separator, its columns by any of their names.

use std::path::Path;

use crate::import::report::{Action, Verdict, short};

/// Largest file read: far above a real export (100,000 customers is about 10 MB), far below
/// what would exhaust memory.
pub(super) const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Longest field kept: no value of these files comes near it.
pub(super) const MAX_FIELD_BYTES: usize = 4096;

/// Lines read from one file, at most: far above a real export (200,000 subscriptions), and
/// what keeps a file of millions of one-character lines from taking gigabytes to hold.
pub(super) const MAX_LINES: usize = 1_000_000;

/// The separator of a file: a comma, or what Excel in many European languages writes (a
/// semicolon), or a tab — whichever the header line has most of. A first line `sep=;` (Excel's
/// own hint) decides it outright.
pub(super) fn separator(bytes: &[u8]) -> u8 {
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

/// A data line of the file: its line number and its fields.
pub(super) struct Line {
    pub(super) number: u64,
    pub(super) fields: Vec<String>,
}

/// The file, read: its columns (normalised names) and its lines, or the lines that could
/// not be read at all.
pub(super) struct Table {
    pub(super) columns: Vec<String>,
    pub(super) lines: Vec<Line>,
    pub(super) unreadable: Vec<Verdict>,
}

/// "Primary domain name", "primary_domain_name" and "PRIMARY-DOMAIN NAME" are one column.
pub(super) fn column_key(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn read_table(path: &Path) -> Result<Table, String> {
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
    table_of(&bytes, &path.display().to_string())
}

/// The table of a file's `bytes` (`name` says which file in messages): what [`read_table`]
/// reads, for a file that came another way (an upload).
pub(super) fn table_of(bytes: &[u8], name: &str) -> Result<Table, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{name} has {} MB: files of at most {} MB are imported (split it in parts)",
            bytes.len() / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        ));
    }
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
        .delimiter(separator(bytes))
        .from_reader(bytes);
    let mut columns: Option<Vec<String>> = None;
    let mut lines = Vec::new();
    let mut unreadable = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        if lines.len() + unreadable.len() >= MAX_LINES {
            return Err(format!(
                "{name} has more than {MAX_LINES} lines: split it in parts"
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
                    return Err(format!("reading {name}: {e}"));
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
                return Err(format!("{name}: the header line is not UTF-8 text"));
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
    let columns = columns.ok_or_else(|| format!("{name} is empty: expected a header line"))?;
    Ok(Table {
        columns,
        lines,
        unreadable,
    })
}

/// A column the import reads, with the other names files use for it.
pub(super) struct Wanted {
    pub(super) label: &'static str,
    pub(super) aliases: &'static [&'static str],
    pub(super) required: bool,
}

/// Where each wanted column is in the file (`None` for an absent optional one).
pub(super) struct Columns {
    pub(super) positions: Vec<Option<usize>>,
    pub(super) labels: Vec<&'static str>,
    pub(super) count: usize,
}

impl Columns {
    pub(super) fn find(table: &Table, wanted: &[Wanted]) -> Result<Self, String> {
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
    pub(super) fn get<'a>(&self, line: &'a Line, i: usize) -> &'a str {
        self.positions[i]
            .and_then(|p| line.fields.get(p))
            .map_or("", |s| s.as_str())
    }

    pub(super) fn present(&self, i: usize) -> bool {
        self.positions[i].is_some()
    }

    /// Reads column `i` with `rule`, naming the column in the refusal.
    pub(super) fn read<T>(
        &self,
        line: &Line,
        i: usize,
        rule: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, String> {
        rule(self.get(line, i)).map_err(|e| format!("column \"{}\": {e}", self.labels[i]))
    }

    pub(super) fn check_width(&self, line: &Line) -> Result<(), String> {
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
