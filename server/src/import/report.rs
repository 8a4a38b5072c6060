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
pub(super) enum Action {
    Create,
    Update,
    Unchanged,
    Refused(String),
}

pub(super) struct Verdict {
    pub(super) line: u64,
    pub(super) action: Action,
    /// What the line is about, e.g. `customer 3f2… "Contoso"`.
    pub(super) subject: String,
}

pub(super) fn progress(done: usize, total: usize) {
    if total >= PROGRESS_EVERY && done.is_multiple_of(PROGRESS_EVERY) && done > 0 {
        eprintln!("… {done} of {total} lines checked");
    }
}

/// Prints the verdicts and decides: a dry run prints every line; a real run goes ahead only
/// if no line was refused.
pub(super) fn report(
    what: &str,
    mut verdicts: Vec<Verdict>,
    dry_run: bool,
) -> Result<Counts, String> {
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

pub(super) fn storage(e: crate::store::StoreError) -> String {
    format!("the database refused the import, nothing was written: {e}")
}
