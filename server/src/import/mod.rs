//! Imports from CSV files: the catalogue, and Partner Center's customer and subscription
//! exports. Every line is read with the same `shared` rules the API uses; a dry run prints
//! what each line would do; a real run imports everything in one transaction or nothing.
//! Importing the same file twice changes nothing (keys: offer id, Microsoft ID, Subscription ID).
//!
//! One file per kind of file (`offers`, `prices`, `customers`, `subscriptions`), on `table` (reading a
//! CSV) and `report` (what each line does).

pub mod customers;
pub mod offers;
pub mod prices;
pub mod reconciliation;
pub mod report;
pub mod subscriptions;
pub mod table;

pub use customers::customers;
pub use offers::offers;
pub use prices::prices;
pub use report::{Counts, ImportError, Imported, Report};
pub use subscriptions::{SubscriptionImport, subscriptions};

#[cfg(test)]
mod tests {
    use super::report::short;
    use super::table::column_key;

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
