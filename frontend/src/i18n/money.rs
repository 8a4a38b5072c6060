//! The words of the money pages (Statements, Prices, Reconciliation), once per language.

use shared::pricing::PriceSource;
use shared::reconciliation::FlagKind;
use shared::statements::LineKind;

use super::Lang;

pub struct MoneyText {
    pub statement: &'static str,
    pub statement_of: fn(customer: &str) -> String,
    pub month: &'static str,
    pub print: &'static str,
    pub download_csv: &'static str,
    pub col_charge: &'static str,
    pub col_period: &'static str,
    pub col_price_per_seat: &'static str,
    pub col_amount: &'static str,
    pub subtotal: &'static str,
    pub total: &'static str,
    pub no_charges: &'static str,
    pub prices: &'static str,
    pub prices_intro: &'static str,
    pub col_cost: &'static str,
    pub col_price: &'static str,
    pub col_margin: &'static str,
    pub col_source: &'static str,
    pub rules: &'static str,
    pub no_rules: &'static str,
    pub col_applies_to: &'static str,
    pub col_value: &'static str,
    pub col_from: &'static str,
    pub every_customer: &'static str,
    pub every_offer: &'static str,
    pub customer_id: &'static str,
    pub customer_id_hint: &'static str,
    pub markup: &'static str,
    pub fixed_price: &'static str,
    pub amount: &'static str,
    pub add_rule: &'static str,
    pub remove: &'static str,
    pub rule_saved: &'static str,
    pub reconciliation: &'static str,
    pub reconciliation_intro: &'static str,
    pub import_file: &'static str,
    pub importing: &'static str,
    pub no_file: &'static str,
    pub imported: fn(file: &str, lines: u64, by: &str, when: &str) -> String,
    pub to_check: fn(n: usize) -> String,
    pub all_match: &'static str,
    pub col_customer: &'static str,
    pub col_found: &'static str,
    pub col_microsoft_cost: &'static str,
    pub col_customer_price: &'static str,
    pub file_line: fn(line: u64) -> String,
}

impl MoneyText {
    pub fn line_kind(&self, kind: LineKind, lang: Lang) -> &'static str {
        let (en, it) = match kind {
            LineKind::Month => ("Seats this month", "Licenze del mese"),
            LineKind::Order => ("Ordered", "Ordine"),
            LineKind::Increase => ("Seats added", "Licenze aggiunte"),
            LineKind::Decrease => ("Seats removed", "Licenze rimosse"),
            LineKind::Cancellation => ("Cancelled", "Annullamento"),
            LineKind::Ended => ("Term ended", "Termine scaduto"),
            LineKind::TermEnd => ("Old term, rest", "Resto del termine precedente"),
            LineKind::Renewal => ("Renewal", "Rinnovo"),
        };
        pick(lang, en, it)
    }

    pub fn source(&self, source: PriceSource, lang: Lang) -> &'static str {
        let (en, it) = match source {
            PriceSource::CustomerOffer => ("Customer and offer", "Cliente e offerta"),
            PriceSource::Customer => ("Customer markup", "Ricarico del cliente"),
            PriceSource::Offer => ("Offer price", "Prezzo dell'offerta"),
            PriceSource::Partner => ("Partner markup", "Ricarico del partner"),
            PriceSource::Erp => ("Microsoft's ERP", "ERP di Microsoft"),
            PriceSource::Catalogue => ("Catalogue", "Catalogo"),
        };
        pick(lang, en, it)
    }

    /// What a flag says is wrong.
    pub fn flag(&self, kind: FlagKind, lang: Lang) -> &'static str {
        let (en, it) = match kind {
            FlagKind::UnknownSubscription => (
                "Subscription unknown here",
                "Sottoscrizione sconosciuta qui",
            ),
            FlagKind::QuantityDiffers => (
                "Seats differ for that day",
                "Licenze diverse per quel giorno",
            ),
            FlagKind::UnitPriceDiffers => (
                "Unit price differs from the list",
                "Prezzo unitario diverso dal listino",
            ),
            FlagKind::ChargedWhileEnded => (
                "Charged while ended here",
                "Addebitata mentre qui è terminata",
            ),
            FlagKind::NoMicrosoftLine => ("No line of Microsoft's", "Nessuna riga di Microsoft"),
        };
        pick(lang, en, it)
    }
}

fn pick(lang: Lang, en: &'static str, it: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::It => it,
    }
}

pub const EN: MoneyText = MoneyText {
    statement: "Statement",
    statement_of: |c| format!("Statement — {c}"),
    month: "Month",
    print: "Print",
    download_csv: "Download CSV",
    col_charge: "Charge",
    col_period: "Period",
    col_price_per_seat: "Price per seat",
    col_amount: "Amount",
    subtotal: "Subtotal",
    total: "Total",
    no_charges: "No charges this month.",
    prices: "Prices",
    prices_intro: "The most specific rule applies, else the ERP price.",
    col_cost: "Cost",
    col_price: "Price",
    col_margin: "Margin",
    col_source: "Set by",
    rules: "Your rules",
    no_rules: "No rules yet.",
    col_applies_to: "Applies to",
    col_value: "Rule",
    col_from: "From",
    every_customer: "Every customer",
    every_offer: "Every offer",
    customer_id: "Customer ID",
    customer_id_hint: "Empty: every customer",
    markup: "Markup (%)",
    fixed_price: "Fixed price",
    amount: "Amount",
    add_rule: "Add rule",
    remove: "Remove",
    rule_saved: "Rule saved.",
    reconciliation: "Reconciliation",
    reconciliation_intro: "Microsoft's reconciliation file against the console.",
    import_file: "Import Microsoft's file",
    importing: "Importing…",
    no_file: "No file for this month.",
    imported: |f, n, by, when| format!("{f}: {n} lines, {by}, {when}."),
    to_check: |n| match n {
        1 => "1 thing to check".into(),
        n => format!("{n} things to check"),
    },
    all_match: "All lines match.",
    col_customer: "Customer",
    col_found: "Microsoft / console",
    col_microsoft_cost: "Microsoft's cost",
    col_customer_price: "Customer's price",
    file_line: |n| format!("line {n}"),
};

pub const IT: MoneyText = MoneyText {
    statement: "Estratto conto",
    statement_of: |c| format!("Estratto conto — {c}"),
    month: "Mese",
    print: "Stampa",
    download_csv: "Scarica CSV",
    col_charge: "Voce",
    col_period: "Periodo",
    col_price_per_seat: "Prezzo per licenza",
    col_amount: "Importo",
    subtotal: "Subtotale",
    total: "Totale",
    no_charges: "Nessun addebito questo mese.",
    prices: "Prezzi",
    prices_intro: "Vale la regola più specifica, altrimenti il prezzo ERP.",
    col_cost: "Costo",
    col_price: "Prezzo",
    col_margin: "Margine",
    col_source: "Da",
    rules: "Le tue regole",
    no_rules: "Ancora nessuna regola.",
    col_applies_to: "Si applica a",
    col_value: "Regola",
    col_from: "Dal",
    every_customer: "Tutti i clienti",
    every_offer: "Tutte le offerte",
    customer_id: "ID cliente",
    customer_id_hint: "Vuoto: tutti i clienti",
    markup: "Ricarico (%)",
    fixed_price: "Prezzo fisso",
    amount: "Valore",
    add_rule: "Aggiungi regola",
    remove: "Rimuovi",
    rule_saved: "Regola salvata.",
    reconciliation: "Riconciliazione",
    reconciliation_intro: "Il file di riconciliazione di Microsoft contro la console.",
    import_file: "Importa il file di Microsoft",
    importing: "Importazione…",
    no_file: "Nessun file per questo mese.",
    imported: |f, n, by, when| format!("{f}: {n} righe, {by}, {when}."),
    to_check: |n| match n {
        1 => "1 cosa da controllare".into(),
        n => format!("{n} cose da controllare"),
    },
    all_match: "Tutte le righe corrispondono.",
    col_customer: "Cliente",
    col_found: "Microsoft / console",
    col_microsoft_cost: "Costo Microsoft",
    col_customer_price: "Prezzo al cliente",
    file_line: |n| format!("riga {n}"),
};
