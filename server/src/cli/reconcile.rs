//! `reseller-console reconcile`: Microsoft's invoice reconciliation file for a month, checked
//! against the console; kept as the month's file (the Reconciliation page shows it) unless
//! `--dry-run`. The reconciliation's CSV on standard output, a summary on standard error.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use shared::money::format_amount;
use shared::statements::Month;

use crate::clock::Clock;
use crate::service::reconciliation::{CSV_HEADER, Importer, csv_rows, import};
use crate::store::Store;

/// Checks Microsoft's invoice reconciliation file of a month (new commerce, licence-based)
/// against the console: prints the flags, then each customer's cost, price and margin, as CSV.
#[derive(clap::Args, Debug)]
pub struct ReconcileArgs {
    #[arg(long)]
    partner: String,
    /// The invoice's month.
    #[arg(long, value_name = "YYYY-MM")]
    month: String,
    /// Check and print only: the month's file stays as it was.
    #[arg(long)]
    dry_run: bool,
    file: PathBuf,
}

pub async fn run(store: &Arc<dyn Store>, clock: &Clock, args: ReconcileArgs) -> Result<(), String> {
    let partner = super::known_partner(store, &args.partner).await?;
    let month = Month::parse(&args.month).map_err(|e| format!("--month: {e}"))?;
    let bytes = std::fs::read(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let found = import(
        store.as_ref(),
        partner,
        month,
        (&name, &bytes),
        Importer {
            by: "command line",
            now: clock.unix(),
            keep: !args.dry_run,
        },
    )
    .await
    .map_err(|e| {
        let mut text = e.0.lines.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        text + &e.0.message
    })?;
    let mut out = String::new();
    crate::csv::push_row(&mut out, CSV_HEADER);
    out.push_str(&csv_rows(&found));
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| format!("writing the reconciliation: {e}"))?;
    let money = |cents| format_amount(cents, &found.currency);
    eprintln!(
        "{month}: {} line(s) of Microsoft's, {} flag(s); Microsoft's cost {} {cur}, the customers' price {} {cur}, margin {} {cur}{}",
        found.lines,
        found.flags.len(),
        money(found.microsoft_cost_cents),
        money(found.customer_price_cents),
        money(found.margin_cents),
        if args.dry_run {
            " (dry run: nothing kept)"
        } else {
            ""
        },
        cur = found.currency,
    );
    Ok(())
}
