//! Storage behind one interface. Handlers see only [`Store`]; which database answers is
//! decided once, from the database URL, in [`connect`].

pub mod catalogue;
pub mod customers;
mod dialect;
pub mod events;
pub mod imports;
pub mod partner_center;
pub mod partner_center_orders;
pub mod partner_center_queue;
pub mod partners;
mod postgres;
pub mod prices;
mod rows;
pub mod sessions;
pub mod setup;
mod sql;
mod sqlite;
pub mod subscriptions;
pub mod team;
mod write_tx;

use std::sync::Arc;
use std::time::Duration;

use std::collections::HashSet;

use uuid::Uuid;

use shared::activity::{ActivityEntry, ActivityFilter};
use shared::api::{EventAction, Page, PageRequest, Team, TeamMember};

use crate::agent::SignedInAgent;
use shared::ids::{AgentId, CustomerId, OfferId, PartnerId, SubscriptionId};
use shared::model::{Channel, Customer, Offer, Role, Status, Subscription, SubscriptionSnapshot};
use shared::reduction_window::SeatBatch;

pub use catalogue::CatalogueStore;
pub use customers::CustomerStore;
pub use events::EventStore;
pub use imports::ImportStore;
pub use partner_center::PartnerCenterStore;
pub use partner_center_orders::PartnerCenterOrderStore;
pub use partner_center_queue::PartnerCenterQueueStore;
pub use partners::PartnerStore;
pub use postgres::PostgresStore;
pub use prices::PriceStore;
pub use sessions::SessionStore;
pub use setup::SetupStore;
pub use sqlite::SqliteStore;
pub use subscriptions::SubscriptionStore;
pub use team::TeamStore;

/// A failure of the database itself (not of a rule). It is logged; the client gets a 503
/// when the database is out of reach or out of space (worth retrying), else a 500.
#[derive(Debug)]
pub struct StoreError {
    pub message: String,
    /// Unreachable, stalled, timed out, disk full or read-only: nothing was written, and
    /// the same request may succeed once the cause is gone.
    pub unavailable: bool,
}

impl StoreError {
    pub fn new(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
            unavailable: false,
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
            unavailable: true,
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// How much a health probe writes: about what a few changes need, so a database that has
/// only a sliver of room left is reported as unable to save.
pub const HEALTH_PROBE_BYTES: usize = 64 * 1024;

/// Random bytes for the probe: PostgreSQL would compress zeros to almost nothing.
pub fn health_probe_bytes() -> Vec<u8> {
    use rand_core::{OsRng, RngCore};
    let mut bytes = vec![0u8; HEALTH_PROBE_BYTES];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// An agent found by e-mail at sign-in, with the hash to check the password against.
pub struct AgentCredentials {
    pub agent: SignedInAgent,
    pub password_hash: String,
    /// False once an admin disabled the agent.
    pub active: bool,
}

/// An agent to add to a partner's team.
#[derive(Clone, Debug)]
pub struct NewAgent {
    pub id: AgentId,
    pub partner_id: PartnerId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub created_at: String,
    /// The password was chosen by someone else (generated, or set by an admin).
    pub must_change_password: bool,
}

/// Who made a team change: an admin's e-mail, or "command line".
pub type Actor<'a> = &'a str;

pub enum TeamOutcome {
    Done(TeamMember),
    NotFound,
    EmailTaken,
    /// The e-mail is not in a domain the partner owns (these).
    DomainNotOwned(Vec<String>),
    /// The change would leave the partner without an active admin.
    LastAdmin,
}

/// What adding a domain to a partner found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainOutcome {
    Added,
    /// It was the partner's already.
    Unchanged,
    /// Another partner owns it.
    OwnedBy(PartnerId),
    /// Agents of another partner have e-mails in it: giving it away would let this partner
    /// see (409) and block their addresses.
    UsedBy(PartnerId),
}

/// A customer to add (Add customer) or import (Partner Center's Microsoft ID is its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCustomer {
    pub id: CustomerId,
    pub name: String,
    pub domain: String,
    pub created_at: String,
}

pub enum AddCustomerOutcome {
    Added(Customer),
    DomainTaken,
}

/// A subscription as an import compares it with the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionKey {
    pub id: SubscriptionId,
    pub customer_id: CustomerId,
    pub offer_id: OfferId,
    pub quantity: u32,
    pub status: Status,
    pub auto_renew: bool,
    pub commitment_end: String,
    /// Bought directly by the customer: an import may not change it.
    pub channel: Channel,
    /// The change scheduled for its renewal, if any.
    pub scheduled: Option<shared::model::ScheduledChange>,
    /// Its version when read: the import writes only if it is still the same.
    pub version: u64,
    /// The day its terms end on, if an import kept one.
    pub anniversary_day: Option<u32>,
    /// Its own term (`None`: its offer's).
    pub term: Option<shared::model::Term>,
}

impl SubscriptionKey {
    /// What the audit event of an import (a file, a sync) shows before its line.
    pub fn snapshot(&self) -> SubscriptionSnapshot {
        SubscriptionSnapshot {
            quantity: self.quantity,
            status: self.status,
            auto_renew: self.auto_renew,
            commitment_end: Some(self.commitment_end.clone()),
            term: None,
            scheduled: self.scheduled.clone(),
        }
    }

    /// What it shows after a line with these values: the store drops a scheduled change as
    /// the console would (seats changed, suspended, auto-renew off), and the event says so.
    pub fn after_line(
        old: Option<&SubscriptionKey>,
        quantity: u32,
        status: Status,
        auto_renew: bool,
        commitment_end: &str,
    ) -> SubscriptionSnapshot {
        let kept = old
            .filter(|o| o.quantity == quantity && status == Status::Active && auto_renew)
            .and_then(|o| o.scheduled.clone());
        SubscriptionSnapshot {
            quantity,
            status,
            auto_renew,
            commitment_end: Some(commitment_end.to_owned()),
            term: None,
            scheduled: kept,
        }
    }
}

/// Which table an id belongs to, to find ids that another partner owns.
#[derive(Clone, Copy, Debug)]
pub enum Owned {
    Customers,
    Subscriptions,
}

/// Whether a sign-in attempt may go ahead (it is then counted).
#[derive(Debug, PartialEq, Eq)]
pub enum SignInGate {
    Allowed,
    /// Too many attempts in the window; the oldest of them was made at `oldest` (Unix s).
    Refused {
        oldest: i64,
    },
}

/// A subscription to insert (by an order, or by the demo seed).
#[derive(Clone, Debug)]
pub struct NewSubscription {
    pub id: SubscriptionId,
    pub customer_id: CustomerId,
    pub offer_id: OfferId,
    pub quantity: u32,
    pub status: Status,
    pub channel: Channel,
    pub auto_renew: bool,
    pub created_at: String,
    pub commitment_end: String,
    /// Seats still removable (the order's own batch; none for an import).
    pub seat_batches: Vec<SeatBatch>,
    /// A change for the renewal (demo data only; an order has none).
    pub scheduled: Option<shared::model::ScheduledChange>,
    /// Ordered in this console (`created_at`), not imported or seeded.
    pub ordered_here: bool,
}

/// The throttle's numbers for one sign-in attempt.
#[derive(Clone, Copy, Debug)]
pub struct AttemptGate {
    pub now: i64,
    pub window_start: i64,
    pub limit: u32,
    pub rows_kept: u32,
}

/// An audit event to write in the same transaction as the change it records.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// `None` for what the end of a term does (`agent_email` is then "renewal").
    pub agent_id: Option<AgentId>,
    pub agent_email: String,
    pub at: String,
    pub action: EventAction,
    pub before: Option<SubscriptionSnapshot>,
    pub after: SubscriptionSnapshot,
    /// An import's file and line.
    pub source: Option<String>,
    /// What a cancellation refunded (minor unit of the offer's currency).
    pub refund_cents: Option<i64>,
}

/// One line of a subscriptions import that creates or changes a subscription, with what the
/// audit trail records of it.
#[derive(Clone, Debug)]
pub struct ImportedSubscription {
    pub row: NewSubscription,
    /// The version the import's checks saw (`None` for a new one): a subscription another
    /// writer changed since (a renewal, an agent) makes the import fail, not overwrite it.
    pub expected_version: Option<u64>,
    /// The day of the month its terms end on (the file's end date's); `None` keeps the one
    /// it has (a line without an end date).
    pub anniversary_day: Option<u32>,
    /// `None` when the line creates it.
    pub before: Option<SubscriptionSnapshot>,
    pub after: SubscriptionSnapshot,
    /// `Subscriptions.csv, line 4`.
    pub source: String,
    /// A term to set (a sync: Partner Center's); `None` keeps its own (a new one: its offer's).
    pub term: Option<shared::model::Term>,
}

/// Who an import's audit events name: a file (`import`), or a sync with Partner Center.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportedBy {
    File,
    PartnerCenter,
}

impl ImportedBy {
    pub fn actor(self) -> &'static str {
        match self {
            ImportedBy::File => shared::api::IMPORT_ACTOR,
            ImportedBy::PartnerCenter => shared::api::PARTNER_CENTER_ACTOR,
        }
    }

    pub fn action(self) -> EventAction {
        match self {
            ImportedBy::File => EventAction::Imported,
            ImportedBy::PartnerCenter => EventAction::PartnerCenterChanged,
        }
    }
}

/// The idempotency key an order claims, and what the request was, to tell a retry from a
/// different order that reuses the key.
#[derive(Clone, Debug)]
pub struct IdempotencyClaim {
    pub key: String,
    pub fingerprint: String,
}

pub enum UpdateOutcome {
    Updated(Subscription),
    /// The version moved on: here is the subscription as it is now.
    Conflict(Subscription),
    NotFound,
}

pub enum OrderOutcome {
    Created(Subscription),
    /// The key was used before for the same request: the first result, nothing new created.
    Replayed(Subscription),
    /// The key was used before for a different request.
    KeyReused,
}

/// Everything the demo seed inserts.
pub struct Seed {
    pub offers: Vec<Offer>,
    pub partners: Vec<SeedPartner>,
}

pub struct SeedPartner {
    pub id: PartnerId,
    pub name: String,
    pub authorised_offers: Vec<OfferId>,
    pub agents: Vec<SeedAgent>,
    pub customers: Vec<SeedCustomer>,
}

pub struct SeedAgent {
    pub id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

pub struct SeedCustomer {
    pub id: CustomerId,
    pub name: String,
    pub domain: String,
    pub created_at: String,
    pub subscriptions: Vec<NewSubscription>,
}

/// Everything the console keeps, one trait per concern. Every read takes the partner: a row of
/// another partner is, to the caller, not there.
pub trait Store:
    SetupStore
    + SessionStore
    + CustomerStore
    + SubscriptionStore
    + EventStore
    + PartnerStore
    + TeamStore
    + CatalogueStore
    + ImportStore
    + PartnerCenterStore
    + PartnerCenterOrderStore
    + PartnerCenterQueueStore
    + PriceStore
{
}

impl<
    T: SetupStore
        + SessionStore
        + CustomerStore
        + SubscriptionStore
        + EventStore
        + PartnerStore
        + TeamStore
        + CatalogueStore
        + ImportStore
        + PartnerCenterStore
        + PartnerCenterOrderStore
        + PartnerCenterQueueStore
        + PriceStore
        + ?Sized,
> Store for T
{
}

/// Opens (creating and migrating as needed) the database a URL names, and checks that it can
/// save: a database that opens but cannot write (a read-only file) is refused at start
/// rather than failing every sign-in later. `timeout` bounds every wait for the database.
pub async fn connect(database_url: &str, timeout: Duration) -> StoreResult<Arc<dyn Store>> {
    let store: Arc<dyn Store> = if database_url.starts_with("sqlite:") {
        Arc::new(SqliteStore::open(database_url, timeout).await?)
    } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Arc::new(PostgresStore::open(database_url, timeout).await?)
    } else {
        return Err(StoreError::new(format!(
            "unsupported database URL {database_url:?}: use sqlite://PATH or postgres://HOST/DATABASE"
        )));
    };
    store
        .backfill_short_grams()
        .await
        .map_err(|e| StoreError::new(format!("indexing the customers for search: {e}")))?;
    store
        .probe_write(crate::clock::unix_now())
        .await
        .map_err(|e| {
            StoreError::new(format!(
                "the database opens but cannot save ({e}); check that the file and its folder are writable and the disk has room"
            ))
        })?;
    Ok(store)
}

/// How search text and searches are folded, the same way on both sides: lower case (in Rust,
/// so "MÜLLER" finds "Müller" on every database), and Greek final sigma as the other sigma —
/// Rust lower-cases a word-final Σ to ς, so "ΠΑΣ" (ending in Σ) would not find "ΠΑΣΑ" (σ).
pub fn search_fold(text: &str) -> String {
    text.to_lowercase().replace('ς', "σ")
}

/// What customer search matches against: name and domain, folded ([`search_fold`]).
pub fn customer_search_text(name: &str, domain: &str) -> String {
    format!("{}\n{}", search_fold(name), search_fold(domain))
}

/// The key customers are ordered by.
pub fn customer_sort_key(name: &str) -> String {
    name.to_lowercase()
}

/// A `LIKE … ESCAPE '\'` pattern that finds `search` anywhere, with `%` and `_` taken literally.
pub fn contains_pattern(search: &str) -> String {
    let mut p = String::with_capacity(search.len() + 2);
    p.push('%');
    for c in search_fold(search).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

pub use shared::api::SEARCH_LIMIT;

/// Every distinct one- and two-character substring of a customer's search text, for the index
/// that answers one- and two-character searches (trigrams cannot): space-separated tokens,
/// each the hex of the substring's UTF-8 bytes ([`gram_token`]).
pub fn customer_short_grams(search_text: &str) -> String {
    let chars: Vec<char> = search_text.chars().collect();
    let mut grams = std::collections::BTreeSet::new();
    for (i, c) in chars.iter().enumerate() {
        grams.insert(c.to_string());
        if let Some(next) = chars.get(i + 1) {
            grams.insert(format!("{c}{next}"));
        }
    }
    grams
        .iter()
        .map(|g| gram_token(g))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short substring as an index token: letters and digits only, whatever it holds (UTF-8
/// decodes one way, so no two substrings share a token).
pub fn gram_token(gram: &str) -> String {
    gram.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A customer search, read once: which index answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerSearch {
    /// Lower-cased, as the stored search text is.
    pub text: String,
    /// The customer id the search also names exactly, if it is one.
    pub exact_id: Option<String>,
}

impl CustomerSearch {
    /// `None` for an empty search (after trimming). A search holding a control character (a
    /// NUL, a line break), which no name or domain typed into the console has, is refused
    /// rather than cleaned: cleaning `%00` would leave an empty search that lists everyone.
    pub fn new(q: &str) -> Result<Option<Self>, shared::api::InvalidParameter> {
        if q.chars().any(char::is_control) {
            return Err(shared::api::InvalidParameter {
                out_of_range: false,
                field: "q",
                message: "The search holds a control character (such as NUL), which no customer's name or domain has: search for letters, digits or punctuation.".to_owned(),
            });
        }
        let text = search_fold(q.trim());
        if text.is_empty() {
            return Ok(None);
        }
        let exact_id = uuid::Uuid::parse_str(&text)
            .ok()
            .map(|id| id.hyphenated().to_string());
        Ok(Some(CustomerSearch { text, exact_id }))
    }

    /// One or two characters: the short-gram index, not the trigram one.
    pub fn is_short(&self) -> bool {
        self.text.chars().nth(2).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_escape_wildcards_and_fold_case() {
        assert_eq!(contains_pattern("Con_to%so\\"), "%con\\_to\\%so\\\\%");
        assert_eq!(contains_pattern("MÜLLER"), "%müller%");
        assert_eq!(
            customer_search_text("Müller AG", "Muller.onmicrosoft.com"),
            "müller ag\nmuller.onmicrosoft.com"
        );
    }

    #[test]
    fn short_grams_cover_every_one_and_two_character_substring_once() {
        assert_eq!(customer_short_grams("abab"), "61 6162 62 6261");
        assert_eq!(gram_token("é"), "c3a9");
        assert!(
            customer_short_grams("a\nb")
                .split(' ')
                .any(|t| t == gram_token("\nb"))
        );
        let search = CustomerSearch::new("  ABC ").unwrap().unwrap();
        assert_eq!(search.text, "abc");
        assert!(!search.is_short());
        assert!(CustomerSearch::new("\0").is_err(), "%00 lists no one");
        assert!(CustomerSearch::new("ab\0c").is_err());
        assert!(CustomerSearch::new("   ").unwrap().is_none());
        // Final sigma: "ΠΑΣ" lower-cases to "πας", the index holds "πασα".
        assert_eq!(CustomerSearch::new("ΠΑΣ").unwrap().unwrap().text, "πασ");
        assert!(customer_search_text("ΠΑΣΑ", "pasa.gr").starts_with("πασα"));
        assert!(customer_search_text("ΟΔΟΣ", "x.gr").starts_with("οδοσ"));
        assert!(CustomerSearch::new("é").unwrap().unwrap().is_short());
        let id = "0F8FAD5B-D9CB-469F-A165-70867728950E";
        assert_eq!(
            CustomerSearch::new(id)
                .unwrap()
                .unwrap()
                .exact_id
                .as_deref(),
            Some("0f8fad5b-d9cb-469f-a165-70867728950e")
        );
    }
}
