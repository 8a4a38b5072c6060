//! Applies what the end of a term does (`shared::lifecycle`): renewals, expiries, and the
//! Disabled and Deleted steps after them — every minute, at start (catching up after downtime),
//! after the test clock moves, and for one subscription before it is read or changed.
//!
//! Exactly once, across any number of server processes on one database: each step is written
//! with the compare-and-set on the subscription's version that agents' changes use, in one
//! transaction with its audit event. A process that loses the race finds the version moved,
//! reads the subscription again, and sees the step already done (the new end date is in the
//! future). A process killed mid-run leaves each subscription either before or after a step.

use std::sync::Arc;
use std::time::Duration;

use shared::api::{EventAction, RENEWAL_ACTOR};
use shared::calendar::{date_of, date_text, rfc3339};
use shared::ids::{PartnerId, SubscriptionId};
use shared::lifecycle::{DAY, DELETED_AFTER_DAYS, DISABLED_AFTER_DAYS, Step, due_step};

use crate::clock::Clock;
use crate::store::{NewEvent, Store, StoreResult, UpdateOutcome};

/// Steps one pass of the background task applies to one subscription, at most: a bound, so a
/// rule that kept finding a step due could not spin for ever (the next pass goes on).
pub const MAX_STEPS: usize = 1000;
/// Steps a request applies before it answers (two years of monthly terms): a read stays quick
/// whatever a subscription owes, and the background task does the rest.
pub const INLINE_STEPS: usize = 24;

/// What [`catch_up`] did: steps applied, and whether none is left due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaughtUp {
    pub applied: usize,
    pub done: bool,
}

/// Applies every step due at `now`; answers how many were applied by this process.
pub async fn run_due(store: &dyn Store, now: i64) -> StoreResult<usize> {
    let today = date_text(date_of(now));
    let expired_before = rfc3339(now - DISABLED_AFTER_DAYS * DAY);
    let disabled_before = rfc3339(now - DELETED_AFTER_DAYS * DAY);
    let due = store
        .lifecycle_candidates(&today, &expired_before, &disabled_before)
        .await?;
    let mut applied = 0;
    for (partner, id) in due {
        // One subscription that cannot be written does not hold back the others.
        match catch_up(store, partner, id, now, MAX_STEPS).await {
            Ok(c) => applied += c.applied,
            Err(e) => tracing::warn!(subscription = %id, error = %e, "term end not applied"),
        }
    }
    Ok(applied)
}

/// Applies the steps due at `now` to one subscription, one at a time, each dated when it was
/// due, at most `limit` of them; answers how many this process applied and whether it is done.
pub async fn catch_up(
    store: &dyn Store,
    partner: PartnerId,
    id: SubscriptionId,
    now: i64,
    limit: usize,
) -> StoreResult<CaughtUp> {
    let mut applied = 0;
    let done = |applied| {
        Ok(CaughtUp {
            applied,
            done: true,
        })
    };
    for _ in 0..limit {
        let Some(sub) = store.subscription(partner, id).await? else {
            return done(applied);
        };
        let Some(step) = due_step(&sub, now) else {
            return done(applied);
        };
        let event = NewEvent {
            agent_id: None,
            agent_email: RENEWAL_ACTOR.to_owned(),
            at: rfc3339(step.at),
            action: match step.step {
                Step::Renewed => EventAction::Renewed,
                _ => EventAction::StatusChanged,
            },
            before: Some(sub.snapshot()),
            after: step.after.clone(),
            source: None,
            refund_cents: None,
        };
        match store
            .update_subscription(
                partner,
                id,
                sub.version,
                step.after,
                step.seat_batches,
                event,
            )
            .await?
        {
            UpdateOutcome::Updated(after) => {
                applied += 1;
                tracing::info!(subscription = %id, step = ?step.step, at = %rfc3339(step.at), version = after.version, "term end applied");
            }
            // Another process (or an agent) wrote first: look again.
            UpdateOutcome::Conflict(_) => {}
            UpdateOutcome::NotFound => return done(applied),
        }
    }
    let left = match store.subscription(partner, id).await? {
        Some(sub) => due_step(&sub, now).is_some(),
        None => false,
    };
    if left && limit >= MAX_STEPS {
        tracing::error!(subscription = %id, "still finding term-end steps due after {limit}; the next pass goes on");
    }
    Ok(CaughtUp {
        applied,
        done: !left,
    })
}

/// Runs [`run_due`] now and then every `every`, for as long as the server runs.
pub fn spawn(store: Arc<dyn Store>, clock: Arc<Clock>, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run_due(store.as_ref(), clock.unix()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(steps = n, "renewals and expiries applied"),
                Err(e) => tracing::warn!(error = %e, "renewals and expiries not applied this time"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ImportedSubscription, NewCustomer, NewSubscription};
    use shared::ids::{CustomerId, OfferId};
    use shared::model::{BillingCycle, Channel, Offer, Status, SubscriptionSnapshot, Term};

    /// A request applies a few terms at most, whatever a subscription owes; the background
    /// pass applies the rest. On a real SQLite file.
    #[tokio::test]
    async fn a_request_catches_up_a_bounded_number_of_terms() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = crate::store::connect(&url, Duration::from_secs(5))
            .await
            .unwrap();
        let partner = PartnerId(uuid::Uuid::new_v4());
        store.create_partner(partner, "P").await.unwrap();
        let offer = Offer {
            id: OfferId("monthly".into()),
            name: "Monthly".into(),
            min_quantity: 1,
            max_quantity: 10,
            price_per_seat_cents: 100,
            currency: "EUR".into(),
            term: Term::Monthly,
            billing_cycle: BillingCycle::Monthly,
        };
        let ids = [offer.id.clone()];
        store
            .save_offers_and_authorise(&[offer], Some((partner, &ids)))
            .await
            .unwrap();
        let customer = CustomerId(uuid::Uuid::new_v4());
        let at = "2026-12-02T00:00:00Z".to_owned();
        store
            .import_customers(
                partner,
                &[NewCustomer {
                    id: customer,
                    name: "C".into(),
                    domain: "c.example".into(),
                    created_at: at.clone(),
                }],
            )
            .await
            .unwrap();
        // Written past the file rules (which refuse such a date): a term ended in 2000.
        let id = SubscriptionId(uuid::Uuid::new_v4());
        let row = NewSubscription {
            id,
            customer_id: customer,
            offer_id: ids[0].clone(),
            quantity: 2,
            status: Status::Active,
            channel: Channel::Partner,
            auto_renew: true,
            created_at: at.clone(),
            commitment_end: "2000-01-31".into(),
            seat_batches: Vec::new(),
            scheduled: None,
            ordered_here: false,
        };
        let after = SubscriptionSnapshot {
            quantity: 2,
            status: Status::Active,
            auto_renew: true,
            commitment_end: Some("2000-01-31".into()),
            term: None,
            scheduled: None,
        };
        let line = ImportedSubscription {
            row,
            expected_version: None,
            anniversary_day: Some(31),
            before: None,
            after,
            source: "test".into(),
            term: None,
        };
        store
            .import_subscriptions(partner, &[line], &at, crate::store::ImportedBy::File)
            .await
            .unwrap();
        let now = shared::calendar::parse_rfc3339(&at).unwrap();
        let first = catch_up(store.as_ref(), partner, id, now, INLINE_STEPS)
            .await
            .unwrap();
        assert_eq!(
            first,
            CaughtUp {
                applied: INLINE_STEPS,
                done: false
            }
        );
        let rest = catch_up(store.as_ref(), partner, id, now, MAX_STEPS)
            .await
            .unwrap();
        assert!(rest.done);
        assert_eq!(
            INLINE_STEPS + rest.applied,
            26 * 12 + 11,
            "one step per missed month"
        );
        let sub = store.subscription(partner, id).await.unwrap().unwrap();
        assert_eq!(sub.commitment_end, "2026-12-31");
    }
}
