//! The audit trail as CSV, for spreadsheets and auditors (RFC 4180: commas, CRLF, quotes).

use shared::api::SubscriptionEvent;
use shared::model::SubscriptionSnapshot;

const HEADER: [&str; 15] = [
    "at",
    "agent",
    "action",
    "seats_before",
    "seats_after",
    "status_before",
    "status_after",
    "auto_renew_before",
    "auto_renew_after",
    "term_before",
    "term_after",
    "commitment_end_before",
    "commitment_end_after",
    "scheduled_before",
    "scheduled_after",
];

/// The change scheduled for the renewal, as a cell: "4 seats (annual)", or empty.
fn scheduled(s: &SubscriptionSnapshot) -> String {
    s.scheduled
        .as_ref()
        .map(|c| format!("{} seats ({})", c.quantity, c.term))
        .unwrap_or_default()
}

/// One row per event, oldest first, under a header row.
pub fn events_csv(events: &[SubscriptionEvent]) -> String {
    let mut out = String::new();
    push_row(&mut out, HEADER.map(str::to_owned));
    for e in events {
        let before =
            |f: fn(&SubscriptionSnapshot) -> String| e.before.as_ref().map(f).unwrap_or_default();
        push_row(
            &mut out,
            [
                e.at.clone(),
                e.agent_email.clone(),
                e.action.as_str().to_owned(),
                before(|s| s.quantity.to_string()),
                e.after.quantity.to_string(),
                before(|s| s.status.as_str().to_owned()),
                e.after.status.as_str().to_owned(),
                before(|s| s.auto_renew.to_string()),
                e.after.auto_renew.to_string(),
                before(|s| s.term.map(|t| t.to_string()).unwrap_or_default()),
                e.after.term.map(|t| t.to_string()).unwrap_or_default(),
                before(|s| s.commitment_end.clone().unwrap_or_default()),
                e.after.commitment_end.clone().unwrap_or_default(),
                before(scheduled),
                scheduled(&e.after),
            ],
        );
    }
    out
}

fn push_row<const N: usize>(out: &mut String, fields: [String; N]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&escape(field));
    }
    out.push_str("\r\n");
}

/// Quotes what needs quoting, and defuses text a spreadsheet would run as a formula.
fn escape(field: &str) -> String {
    let defused = match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{field}"),
        _ => field.to_owned(),
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("two\nlines"), "\"two\nlines\"");
        assert_eq!(escape("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(escape("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(escape(""), "");
    }
}
