//! What each line of a file does, and the report a run prints.

use std::fmt;

/// Lines between two progress reports on standard error.
pub(super) const PROGRESS_EVERY: usize = 10_000;
/// `text` with its control characters written as escapes (`\n`, `\u{1b}`).
pub(super) fn escape_controls(text: &str) -> String {
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

/// At most `max` characters of `text`, for messages that quote what a file holds; control
/// characters (a line break, an escape sequence) written as escapes, so a file cannot forge
/// lines of the report or drive the terminal.
pub(super) fn short(text: &str, max: usize) -> String {
    let mut out = escape_controls(&text.chars().take(max).collect::<String>());
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// What one line of a file does.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Refused(String),
}

pub struct Verdict {
    pub(super) line: u64,
    pub(super) action: Action,
    /// What the line is about, e.g. `customer 3f2… "Contoso"`.
    pub(super) subject: String,
}

/// Whether `done` of `total` lines checked is worth a progress line (every
/// [`PROGRESS_EVERY`] lines of a large file).
pub fn worth_a_progress_line(done: usize, total: usize) -> bool {
    total >= PROGRESS_EVERY && done.is_multiple_of(PROGRESS_EVERY) && done > 0
}

/// What a run found in a file: each line's verdict (in line order) and their counts.
pub struct Report {
    /// "customers", "subscriptions", "offers".
    pub what: &'static str,
    pub verdicts: Vec<Verdict>,
    pub counts: Counts,
    pub dry_run: bool,
    /// Lines the run was told to leave out (a price list's other markets).
    pub left_out: usize,
}

impl Report {
    pub(super) fn new(what: &'static str, mut verdicts: Vec<Verdict>, dry_run: bool) -> Self {
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
        Report {
            what,
            verdicts,
            counts,
            dry_run,
            left_out: 0,
        }
    }

    /// The lines a run shows: every line in a dry run, the refused ones otherwise. Whatever a
    /// message quotes from the file, one report line stays one line.
    pub fn lines(&self) -> Vec<String> {
        self.verdicts
            .iter()
            .filter(|v| self.dry_run || matches!(v.action, Action::Refused(_)))
            .map(|v| escape_controls(&v.to_string()))
            .collect()
    }

    /// "customers: 3 to create, …", and whether anything was written.
    pub fn summary(&self) -> String {
        let dry = if self.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        let left_out = match self.left_out {
            0 => String::new(),
            n => format!(", {n} of other markets left out"),
        };
        format!("{}: {}{left_out}{dry}", self.what, self.counts)
    }

    /// A dry run, or a real one, goes ahead only if no line was refused (a refused line fails a
    /// dry run too, so a script can use it to check a file).
    pub(super) fn decide(self) -> Result<Report, ImportError> {
        if self.counts.refused > 0 {
            Err(ImportError::Refused(self))
        } else {
            Ok(self)
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line;
        match &self.action {
            Action::Create => write!(f, "line {line}: create {}", self.subject),
            Action::Update => write!(f, "line {line}: update {}", self.subject),
            Action::Unchanged => write!(f, "line {line}: unchanged {}", self.subject),
            Action::Refused(why) if self.subject.is_empty() => {
                write!(f, "line {line}: refused: {why}")
            }
            Action::Refused(why) => write!(f, "line {line}: refused ({}): {why}", self.subject),
        }
    }
}

/// What an import did, after its report: how many rows it wrote (none in a dry run) and, for
/// the catalogue, how many offers it authorised for which partner.
pub struct Imported {
    pub report: Report,
    pub written: Option<usize>,
    pub authorised: Option<(shared::ids::PartnerId, usize)>,
}

/// Why an import wrote nothing.
pub enum ImportError {
    /// Lines were refused: the report says which.
    Refused(Report),
    /// The file could not be read, or the database refused the import.
    Failed(String),
}

impl From<String> for ImportError {
    fn from(message: String) -> Self {
        ImportError::Failed(message)
    }
}

impl From<&str> for ImportError {
    fn from(message: &str) -> Self {
        ImportError::Failed(message.to_owned())
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Refused(report) if report.dry_run => {
                write!(f, "{} line(s) would be refused", report.counts.refused)
            }
            ImportError::Refused(report) => write!(
                f,
                "{} line(s) refused: nothing imported. Fix them (or try --dry-run) and import the file again.",
                report.counts.refused
            ),
            ImportError::Failed(message) => f.write_str(message),
        }
    }
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

pub(super) fn storage(e: crate::store::StoreError) -> String {
    format!("the database refused the import, nothing was written: {e}")
}
