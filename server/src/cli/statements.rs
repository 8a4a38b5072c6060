//! `reseller-console statements`: a month's statements as CSV on standard output, one row per
//! line (the whole partner, chunk by chunk, or one customer).

use std::io::Write;
use std::sync::Arc;

use shared::statements::Month;

use crate::service::statements::{CSV_HEADER, csv_chunk, customer_statement, push_statement_rows};
use crate::store::Store;

pub async fn run(
    store: &Arc<dyn Store>,
    partner: &str,
    month: &str,
    customer: Option<&str>,
) -> Result<(), String> {
    let partner = super::known_partner(store, partner).await?;
    let month = Month::parse(month).map_err(|e| format!("--month: {e}"))?;
    let customer = customer.map(super::prices::customer_id).transpose()?;
    let mut out = std::io::stdout().lock();
    let mut write = |text: &str| {
        out.write_all(text.as_bytes())
            .map_err(|e| format!("writing the statement: {e}"))
    };
    let mut head = String::new();
    crate::csv::push_row(&mut head, CSV_HEADER);
    write(&head)?;
    let failed = |e: crate::error::AppError| e.0.message;
    if let Some(customer) = customer {
        let statement = customer_statement(store.as_ref(), partner, customer, month)
            .await
            .map_err(failed)?;
        let mut text = String::new();
        push_statement_rows(&mut text, &statement);
        return write(&text);
    }
    let book = store.price_book(partner).await.map_err(|e| e.to_string())?;
    let currency = crate::service::prices::currency(store.as_ref(), partner)
        .await
        .map_err(failed)?;
    let mut after = None;
    while let Some((text, next)) = csv_chunk(
        store.as_ref(),
        partner,
        &book,
        &currency,
        month,
        after.as_ref(),
    )
    .await
    .map_err(|e| e.to_string())?
    {
        write(&text)?;
        after = Some(next);
    }
    Ok(())
}
