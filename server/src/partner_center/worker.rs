//! The worker: every second, what waits for Microsoft and is due — changes (`outbox`) and
//! orders (`orders`). Partners are sent side by side, so that one partner's slow or throttled
//! Partner Center holds back only its own; each partner's are sent one at a time, oldest first.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use shared::ids::PartnerId;
use uuid::Uuid;

use super::{Connector, orders, outbox};
use crate::error::AppError;

/// Most changes and most orders read per round.
const ROUND: u32 = 100;

enum Due {
    Change(Uuid),
    Order(Uuid),
}

pub fn spawn(connector: Arc<Connector>, every: Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if let Err(e) = run_due(&connector).await {
                tracing::warn!(error = %e.0.message, "what waits for Partner Center could not be read");
            }
        }
    });
}

/// One round: every change and order due now, once each. Answers how many were sent.
pub async fn run_due(connector: &Connector) -> Result<usize, AppError> {
    let now = connector.clock.unix();
    let store = &connector.store;
    let mut by_partner: BTreeMap<PartnerId, Vec<Due>> = BTreeMap::new();
    for (partner, id) in store.due_changes(now, ROUND).await? {
        by_partner.entry(partner).or_default().push(Due::Change(id));
    }
    for (partner, id) in store.due_orders(now, ROUND).await? {
        by_partner.entry(partner).or_default().push(Due::Order(id));
    }
    let rounds = by_partner
        .into_iter()
        .map(|(partner, due)| send_for_partner(connector, partner, due));
    Ok(futures_util::future::join_all(rounds)
        .await
        .into_iter()
        .sum())
}

async fn send_for_partner(connector: &Connector, partner: PartnerId, due: Vec<Due>) -> usize {
    let mut sent = 0;
    for item in due {
        // A 429 holds the rest of this partner's back until its Retry-After.
        if connector.throttled_for(partner) > 0 {
            break;
        }
        let result = match item {
            Due::Change(id) => outbox::attempt(connector, partner, id).await.map(drop),
            Due::Order(id) => orders::attempt(connector, partner, id).await.map(drop),
        };
        match result {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(%partner, error = %e.0.message, "a Partner Center attempt failed here")
            }
        }
    }
    sent
}
