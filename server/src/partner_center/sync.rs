//! A sync: Partner Center's customers and subscriptions compared with the console's. New ones
//! are added; a seat count, status, auto-renew or end date changed in Partner Center is written
//! here as an audit event by "Partner Center" (listed with the activity); a subscription
//! Partner Center no longer has is flagged, never deleted. Written through the same store
//! calls as the CSV imports, and read through the same `shared` rules.

use std::collections::{HashMap, HashSet};

use reqwest::Method;
use shared::customer_details::normalise_domain;
use shared::file_values::parse_date;
use shared::ids::{CustomerId, PartnerId, SubscriptionId};
use shared::model::{Channel, Offer, Status, Subscription};
use shared::names::normalise_name;
use shared::partner_center::{offer_matches, status_from_partner_center, term_from_partner_center};
use shared::seats::SeatInput;
use uuid::Uuid;

use super::client::CallError;
use super::{Connector, wire};
use crate::error::AppError;
use crate::store::{
    ImportedBy, ImportedSubscription, NewCustomer, NewSubscription, Owned, SubscriptionKey,
};

/// What the audit trail names as the source of a sync's changes.
pub const SYNC_SOURCE: &str = "Partner Center sync";

/// How long a sync's lease holds without being renewed: a process killed mid-sync keeps the
/// partner from syncing this long at most. A running sync renews it every minute.
const SYNC_LEASE_SECONDS: i64 = 5 * 60;

/// Most pages of customers read in one sync (500 each): a loop guard, far above any partner.
const MAX_PAGES: usize = 2_000;

/// What one sync did, for the command line and the log.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub customers_seen: usize,
    pub customers_created: usize,
    pub subscriptions_seen: usize,
    pub subscriptions_created: usize,
    /// Changed in Partner Center, now changed here (each an audit event).
    pub subscriptions_updated: usize,
    pub subscriptions_unchanged: usize,
    /// Held here, not found in Partner Center: flagged.
    pub missing: usize,
    /// What was left alone, and why (an unknown offer, a change waiting for Microsoft, …).
    pub skipped: Vec<String>,
}

impl SyncReport {
    pub fn summary(&self) -> String {
        format!(
            "customers: {} in Partner Center, {} created; subscriptions: {} in Partner Center, {} created, {} updated (changed in Partner Center), {} unchanged, {} not in Partner Center (flagged), {} skipped",
            self.customers_seen,
            self.customers_created,
            self.subscriptions_seen,
            self.subscriptions_created,
            self.subscriptions_updated,
            self.subscriptions_unchanged,
            self.missing,
            self.skipped.len()
        )
    }
}

fn call_failed(what: &str, e: CallError) -> String {
    format!("reading {what} from Partner Center: {e}")
}

/// Every page of a collection, following `links.next` and its continuation token.
/// <https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers>
async fn all_pages<T: serde::de::DeserializeOwned>(
    connector: &Connector,
    partner: PartnerId,
    first: &str,
    what: &str,
) -> Result<Vec<T>, String> {
    let mut items = Vec::new();
    let mut next = Some((first.to_owned(), Vec::new()));
    let mut pages = 0;
    while let Some((url, headers)) = next.take() {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(format!(
                "reading {what}: more than {MAX_PAGES} pages; stopped"
            ));
        }
        let page: wire::Collection<T> = connector
            .call_patiently(partner, Method::GET, &url, None, Uuid::new_v4(), &headers)
            .await
            .map_err(|e| call_failed(what, e))?;
        items.extend(page.items);
        next = page.links.and_then(|l| l.next).map(|link| {
            let headers = link.headers.into_iter().map(|h| (h.key, h.value)).collect();
            let uri = if link.uri.starts_with('/') || link.uri.starts_with("http") {
                link.uri
            } else {
                format!("/{}", link.uri)
            };
            (uri, headers)
        });
    }
    Ok(items)
}

/// The key an import compares with, of a subscription as read.
fn key_of(sub: &Subscription) -> SubscriptionKey {
    SubscriptionKey {
        id: sub.id,
        customer_id: sub.customer_id,
        offer_id: sub.offer_id.clone(),
        quantity: sub.quantity,
        status: sub.status,
        auto_renew: sub.auto_renew,
        commitment_end: sub.commitment_end.clone(),
        channel: sub.channel,
        scheduled: sub.scheduled.clone(),
        version: sub.version,
        anniversary_day: sub.anniversary_day,
        term: Some(sub.term),
    }
}

/// What the console should hold of `theirs`: a line to write (new or changed), `Ok(None)` when
/// it holds the same already, or why it is left alone.
fn line_for(
    theirs: &wire::Subscription,
    customer: CustomerId,
    old: Option<&SubscriptionKey>,
    offers: &[Offer],
    now: i64,
    created_at: &str,
) -> Result<Option<ImportedSubscription>, String> {
    let id: SubscriptionId = theirs.id.trim().parse().map_err(|_| {
        format!(
            "subscription \"{}\": not a GUID",
            theirs.id.chars().take(60).collect::<String>()
        )
    })?;
    if let Some(old) = old {
        if old.customer_id != customer {
            return Err(format!("subscription {id}: held here for another customer"));
        }
        if old.channel == Channel::Direct {
            return Ok(None);
        }
    }
    let offer = match old {
        Some(o) => offers.iter().find(|offer| offer.id == o.offer_id),
        None => offers.iter().find(|offer| offer_matches(&offer.id.0, &theirs.offer_id)),
    }
    .ok_or_else(|| {
        format!(
            "subscription {id}: the offer \"{}\" ({}) is not in this partner's catalogue: import it (`offers import`, its id being ProductId:SkuId:AvailabilityId) and sync again",
            theirs.offer_id,
            theirs.offer_name.as_deref().unwrap_or("no name")
        )
    })?;
    let status =
        status_from_partner_center(&theirs.status, old.map(|o| o.status)).ok_or_else(|| {
            format!(
                "subscription {id}: status \"{}\" is not one the console keeps yet",
                theirs.status
            )
        })?;
    if let Some(o) = old.filter(|o| !o.status.is_live()) {
        // Ended here for good: Partner Center's word cannot revive it.
        return if o.status == status || !status.is_live() {
            Ok(None)
        } else {
            Err(format!(
                "subscription {id}: {} here, {} in Partner Center; left as it is",
                o.status, theirs.status
            ))
        };
    }
    let quantity = SeatInput::from(theirs.quantity.to_string().as_str())
        .for_offer(offer.seat_bounds())
        .map(|s| s.get())
        .map_err(|e| format!("subscription {id}: {e}"))?;
    let commitment_end = match theirs.commitment_end_date.as_deref() {
        Some(end) => parse_date(end.get(..10).unwrap_or(end))
            .map_err(|e| format!("subscription {id}: {e}"))?,
        None => old.map_or_else(
            || shared::lifecycle::first_term_end(now, offer.term),
            |o| o.commitment_end.clone(),
        ),
    };
    let auto_renew = theirs.auto_renew_enabled && status == Status::Active;
    // A term Partner Center changed (its next term's length); one the console does not sell
    // (e.g. three years) leaves the console's as it is.
    let held_term = old.and_then(|o| o.term).unwrap_or(offer.term);
    let term = theirs
        .term_duration
        .as_deref()
        .and_then(term_from_partner_center)
        .filter(|t| *t != held_term);
    if old.is_some_and(|o| {
        o.quantity == quantity
            && o.status == status
            && o.auto_renew == auto_renew
            && o.commitment_end == commitment_end
            && term.is_none()
    }) {
        return Ok(None);
    }
    let before = old.map(SubscriptionKey::snapshot).map(|mut b| {
        if term.is_some() {
            b.term = Some(held_term);
        }
        b
    });
    let mut after = SubscriptionKey::after_line(old, quantity, status, auto_renew, &commitment_end);
    after.term = term;
    let anniversary_day = shared::calendar::parse_date(&commitment_end).map(|d| d.2);
    Ok(Some(ImportedSubscription {
        expected_version: old.map(|o| o.version),
        row: NewSubscription {
            id,
            customer_id: customer,
            offer_id: offer.id.clone(),
            quantity,
            status,
            channel: Channel::Partner,
            auto_renew,
            created_at: created_at.to_owned(),
            commitment_end,
            scheduled: None,
            ordered_here: false,
            seat_batches: Vec::new(),
        },
        anniversary_day,
        before,
        after,
        source: SYNC_SOURCE.to_owned(),
        term,
    }))
}

/// After Microsoft confirmed a change of a subscription that moved on meanwhile: the console
/// takes Partner Center's values (an event by Partner Center), and returns it as it now is.
pub async fn bring_in_step(
    connector: &Connector,
    partner: PartnerId,
    current: Subscription,
    theirs: &wire::Subscription,
) -> Result<Subscription, AppError> {
    let store = &connector.store;
    let offers = store.offers_for_partner(partner).await?;
    let now = connector.clock.unix();
    let at = connector.clock.now_rfc3339();
    let key = key_of(&current);
    match line_for(theirs, current.customer_id, Some(&key), &offers, now, &at) {
        Ok(Some(line)) => {
            store
                .import_subscriptions(partner, &[line], &at, ImportedBy::PartnerCenter)
                .await?
        }
        Ok(None) => {}
        Err(why) => {
            tracing::warn!(%partner, subscription = %current.id, why, "Partner Center's answer not taken")
        }
    }
    let sub = store.subscription(partner, current.id).await?;
    sub.ok_or_else(|| AppError::not_found("subscription"))
}

/// One sync of a partner's customers and subscriptions.
pub async fn sync_partner(connector: &Connector, partner: PartnerId) -> Result<SyncReport, String> {
    let store = &connector.store;
    let storage = |e: crate::store::StoreError| format!("the console's database: {e}");
    let mut report = SyncReport::default();
    let theirs: Vec<wire::Customer> =
        all_pages(connector, partner, "/v1/customers?size=500", "customers").await?;
    report.customers_seen = theirs.len();
    let known: Vec<NewCustomer> = store.customer_keys(partner).await.map_err(storage)?;
    let known_ids: HashSet<CustomerId> = known.iter().map(|c| c.id).collect();
    let mut domains: HashSet<String> = known.iter().map(|c| c.domain.clone()).collect();
    let at = connector.clock.now_rfc3339();
    let now = connector.clock.unix();

    // Customers: the new ones, each read through the rules an added customer meets.
    let mut customers = Vec::new();
    let mut new_customers = Vec::new();
    for c in &theirs {
        let Ok(id) = c.id.trim().parse::<CustomerId>() else {
            report.skipped.push(format!(
                "customer \"{}\": not a GUID",
                c.id.chars().take(60).collect::<String>()
            ));
            continue;
        };
        if known_ids.contains(&id) {
            customers.push(id);
            continue;
        }
        let profile = &c.company_profile;
        let name = normalise_name("name", profile.company_name.as_deref().unwrap_or_default());
        let domain = normalise_domain(profile.domain.as_deref().unwrap_or_default());
        match (name, domain) {
            (Ok(name), Ok(domain)) if domains.insert(domain.clone()) => {
                new_customers.push(NewCustomer {
                    id,
                    name,
                    domain,
                    created_at: at.clone(),
                });
            }
            (Ok(_), Ok(domain)) => report.skipped.push(format!(
                "customer {id}: another customer already has the domain {domain}"
            )),
            (Err(e), _) | (_, Err(e)) => report.skipped.push(format!("customer {id}: {e}")),
        }
    }
    let ids: Vec<String> = new_customers.iter().map(|c| c.id.to_string()).collect();
    let foreign = store
        .owned_elsewhere(partner, Owned::Customers, &ids)
        .await
        .map_err(storage)?;
    new_customers.retain(|c| {
        let theirs = foreign.contains(&c.id.to_string());
        if theirs {
            report.skipped.push(format!(
                "customer {}: held by another partner of this console",
                c.id
            ));
        }
        !theirs
    });
    if !new_customers.is_empty() {
        store
            .import_customers(partner, &new_customers)
            .await
            .map_err(storage)?;
    }
    report.customers_created = new_customers.len();
    customers.extend(new_customers.iter().map(|c| c.id));

    // Subscriptions, customer by customer.
    let offers = store.offers_for_partner(partner).await.map_err(storage)?;
    let existing: HashMap<SubscriptionId, SubscriptionKey> = store
        .subscription_keys(partner)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let ids: Vec<SubscriptionId> = existing.keys().copied().collect();
    let waiting: HashSet<SubscriptionId> = store
        .open_changes(partner, &ids)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|e| e.subscription_id)
        .collect();
    let synced: HashSet<CustomerId> = customers.iter().copied().collect();
    let mut found = HashSet::new();
    let mut lines = Vec::new();
    let mut renewed = std::time::Instant::now();
    for customer in &customers {
        if renewed.elapsed() > std::time::Duration::from_secs(60) {
            // Still syncing: the lease is ours (any holder's "until" is passed by i64::MAX).
            let until = connector.clock.unix() + SYNC_LEASE_SECONDS;
            store
                .take_sync_lease(partner, i64::MAX, until)
                .await
                .map_err(storage)?;
            renewed = std::time::Instant::now();
        }
        let path = format!("/v1/customers/{customer}/subscriptions");
        let subs: Vec<wire::Subscription> =
            all_pages(connector, partner, &path, "subscriptions").await?;
        for sub in subs {
            report.subscriptions_seen += 1;
            let id = sub.id.trim().parse::<SubscriptionId>().ok();
            if let Some(id) = id {
                found.insert(id);
                if waiting.contains(&id) {
                    report.skipped.push(format!("subscription {id}: a change is waiting for Microsoft; compared at the next sync"));
                    continue;
                }
            }
            let old = id.and_then(|id| existing.get(&id));
            match line_for(&sub, *customer, old, &offers, now, &at) {
                Ok(Some(line)) => {
                    if line.before.is_some() {
                        report.subscriptions_updated += 1;
                    } else {
                        report.subscriptions_created += 1;
                    }
                    lines.push(line);
                }
                Ok(None) => report.subscriptions_unchanged += 1,
                Err(why) => report.skipped.push(why),
            }
        }
    }
    // A new one whose id another partner of this console holds is not this partner's to add.
    let new_ids: Vec<String> = lines
        .iter()
        .filter(|l| l.before.is_none())
        .map(|l| l.row.id.to_string())
        .collect();
    let foreign = store
        .owned_elsewhere(partner, Owned::Subscriptions, &new_ids)
        .await
        .map_err(storage)?;
    lines.retain(|l| {
        let theirs = l.before.is_none() && foreign.contains(&l.row.id.to_string());
        if theirs {
            report.subscriptions_created -= 1;
            report.skipped.push(format!(
                "subscription {}: held by another partner of this console",
                l.row.id
            ));
        }
        !theirs
    });
    if !lines.is_empty() {
        store
            .import_subscriptions(partner, &lines, &at, ImportedBy::PartnerCenter)
            .await
            .map_err(storage)?;
    }
    // Held here, live, bought through the partner, of a customer Partner Center listed, and
    // not in its list: flagged (and the flag cleared on the ones it has again).
    let missing: Vec<SubscriptionId> = existing
        .values()
        .filter(|s| {
            synced.contains(&s.customer_id) && s.channel == Channel::Partner && s.status.is_live()
        })
        .filter(|s| !found.contains(&s.id))
        .map(|s| s.id)
        .collect();
    report.missing = missing.len();
    store
        .mark_missing(partner, &missing, Some(&at))
        .await
        .map_err(storage)?;
    let present: Vec<SubscriptionId> = found
        .into_iter()
        .filter(|id| existing.contains_key(id))
        .collect();
    store
        .mark_missing(partner, &present, None)
        .await
        .map_err(storage)?;
    Ok(report)
}

/// The server's own syncs: every `every`, each connected partner in turn, each under its
/// lease so that no two processes sync one partner at once.
pub fn spawn(connector: std::sync::Arc<Connector>, every: std::time::Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let partners = match connector.store.connected_partners().await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = %e, "could not list the connected partners");
                    continue;
                }
            };
            for partner in partners {
                match run_once(&connector, partner).await {
                    Ok(Some(report)) => {
                        tracing::info!(%partner, summary = report.summary(), "synced with Partner Center")
                    }
                    Ok(None) => {
                        tracing::debug!(%partner, "another process is syncing this partner")
                    }
                    Err(e) => {
                        tracing::warn!(%partner, error = e, "sync with Partner Center failed")
                    }
                }
            }
        }
    });
}

/// A sync under the partner's lease; `None` when another process holds it.
pub async fn run_once(
    connector: &Connector,
    partner: PartnerId,
) -> Result<Option<SyncReport>, String> {
    let now = connector.clock.unix();
    let store = &connector.store;
    if !store
        .take_sync_lease(partner, now, now + SYNC_LEASE_SECONDS)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(None);
    }
    let result = sync_partner(connector, partner).await;
    let summary = match &result {
        Ok(r) => r.summary(),
        Err(e) => format!("failed: {e}"),
    };
    store
        .finish_sync(partner, &connector.clock.now_rfc3339(), &summary)
        .await
        .map_err(|e| e.to_string())?;
    result.map(Some)
}
