//! `reseller-console prices …`: Microsoft's price list (the partner's cost) and the partner's
//! own prices, from the command line (the rules are `service::prices`', as on the Prices page).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;
use shared::ids::OfferId;
use shared::money::{format_amount, format_markup};
use shared::pricing::{PriceRuleInput, PriceValue};

use crate::clock::Clock;
use crate::store::Store;

#[derive(Subcommand, Debug)]
pub enum PricesCommand {
    /// Import Microsoft's new-commerce licence-based price list (CSV, as downloaded from
    /// Partner Center): the partner's cost. Each month's list is kept; lines are matched to
    /// the catalogue's offers by product, SKU, term and billing plan.
    Import {
        #[arg(long)]
        partner: String,
        file: PathBuf,
        /// The market to take (e.g. US) when the file has several.
        #[arg(long)]
        market: Option<String>,
        /// Check and print what each line would do; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Set a price rule: a markup over cost (`--markup 15`) for every customer or one
    /// (`--customer`), or a fixed price (`--fixed 11.90`) for an offer (`--offer`), for every
    /// customer or one. The most specific rule wins; each applies from `--from` (default today).
    Set {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        offer: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        markup: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        fixed: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
    },
    /// Remove a price rule (its id is printed by `set` and `list`).
    Remove {
        #[arg(long)]
        partner: String,
        rule: String,
    },
    /// The rules, and every offer's cost, price and margin on a day (default today).
    List {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        day: Option<String>,
    },
}

pub(super) fn customer_id(text: &str) -> Result<shared::ids::CustomerId, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("--customer {text:?} is not a customer id"))
}

pub async fn run(
    store: &Arc<dyn Store>,
    clock: &Clock,
    command: PricesCommand,
) -> Result<(), String> {
    let text = |e: crate::error::AppError| e.0.message;
    match command {
        PricesCommand::Import {
            partner,
            file,
            market,
            dry_run,
        } => {
            let partner = super::known_partner(store, &partner).await?;
            super::print_import(
                crate::import::prices(store, partner, &file, market.as_deref(), dry_run).await,
            )?;
        }
        PricesCommand::Set {
            partner,
            customer,
            offer,
            markup,
            fixed,
            from,
        } => {
            let partner = super::known_partner(store, &partner).await?;
            let input = PriceRuleInput {
                customer_id: customer.as_deref().map(customer_id).transpose()?,
                offer_id: offer.map(|o| OfferId(o.trim().to_owned())),
                markup,
                fixed_price: fixed,
                effective_from: from,
            };
            let rule = crate::service::prices::set_rule(
                store.as_ref(),
                partner,
                &input,
                super::COMMAND_LINE,
                clock.unix(),
            )
            .await
            .map_err(text)?;
            println!("price rule {} saved", rule.id);
        }
        PricesCommand::Remove { partner, rule } => {
            let partner = super::known_partner(store, &partner).await?;
            crate::service::prices::remove_rule(store.as_ref(), partner, rule.trim())
                .await
                .map_err(text)?;
            println!("price rule {} removed", rule.trim());
        }
        PricesCommand::List {
            partner,
            customer,
            day,
        } => {
            let partner = super::known_partner(store, &partner).await?;
            let customer = customer.as_deref().map(customer_id).transpose()?;
            let day = match day {
                Some(d) => {
                    shared::file_values::parse_date(&d).map_err(|e| format!("--day: {e}"))?
                }
                None => shared::calendar::date_text(shared::calendar::date_of(clock.unix())),
            };
            let table =
                crate::service::prices::price_table(store.as_ref(), partner, customer, &day, true)
                    .await
                    .map_err(text)?;
            let money = |m: i64| format_amount(m, &table.currency);
            println!("rule,customer,offer,value,from");
            for r in &table.rules {
                let value = match r.value {
                    PriceValue::Fixed(p) => money(p),
                    PriceValue::Markup(m) => format_markup(m),
                };
                println!(
                    "{},{},{},{value},{}",
                    r.id,
                    r.customer_id.map(|c| c.to_string()).unwrap_or_default(),
                    r.offer_id
                        .as_ref()
                        .map(|o| o.0.as_str())
                        .unwrap_or_default(),
                    r.effective_from
                );
            }
            println!();
            println!("offer,cost,price,margin,by,currency,day");
            for o in &table.offers {
                let q = &o.quote;
                println!(
                    "{},{},{},{},{},{},{day}",
                    o.offer_id.0,
                    q.cost.map(money).unwrap_or_default(),
                    money(q.price),
                    q.margin().map(money).unwrap_or_default(),
                    serde_json::to_value(q.source)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    table.currency
                );
            }
        }
    }
    Ok(())
}
