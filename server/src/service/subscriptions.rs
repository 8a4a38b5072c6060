//! Changing and ordering subscriptions: what the API's `PATCH /api/subscriptions/{id}` and
//! `POST /api/customers/{id}/subscriptions` do, and what any other caller (a connector
//! retrying a change, a scheduled job) calls. Each writes its change and its audit event in one
//! transaction (the store's `update_subscription` / `create_subscription`).

use shared::ErrorCode;
use shared::api::{EventAction, NewSubscriptionRequest, SubscriptionChange, SubscriptionView};
use shared::changes::plan_change;
use shared::ids::{CustomerId, SubscriptionId};
use shared::model::Subscription;
use shared::orders::{check_order, order_fingerprint, ordered};
use shared::reduction_window::SeatBatch;
use uuid::Uuid;

use crate::agent::SignedInAgent;
use crate::clock::{self, Clock};
use crate::error::{AppError, AppResult};
use crate::partner_center::Connector;
use crate::service::ordered::{OrderAnswer, Ordered};
use crate::service::partner_center::{self, ChangeToSend, Changed};
use crate::service::partner_center_orders;
use crate::service::{prices, renewals};
use crate::store::{
    IdempotencyClaim, NewEvent, NewSubscription, OrderOutcome, Store, UpdateOutcome,
};

/// Subscription `id` of the agent's partner as it is now: a term that ended since the
/// minute's task last ran is renewed (or expired) first, a few terms at most; one that owes
/// more is shown part-way, and the background task goes on.
pub async fn view(
    store: &dyn Store,
    clock: &Clock,
    agent: &SignedInAgent,
    id: SubscriptionId,
) -> AppResult<SubscriptionView> {
    let now = clock.unix();
    renewals::catch_up(store, agent.partner_id, id, now, renewals::INLINE_STEPS).await?;
    let sub = store.subscription(agent.partner_id, id).await?;
    let sub = sub.ok_or_else(|| AppError::not_found("subscription"))?;
    partner_center::view_of(store, agent, sub, now).await
}

/// Applies `change` to subscription `id` of the agent's partner, if it is still at version
/// `expected`: the term is caught up first, the rules of `shared::changes` decide, and a
/// change met by another is answered with a conflict that shows the current subscription.
/// For a partner connected to Partner Center, the change is made there first
/// (`service::partner_center`).
pub async fn change(
    connector: &Connector,
    agent: &SignedInAgent,
    id: SubscriptionId,
    expected: u64,
    change: SubscriptionChange,
) -> AppResult<Changed> {
    let store = connector.store.as_ref();
    let clock = connector.clock.as_ref();
    // A term that ended since the agent looked is renewed (or expired) first: the change then
    // meets a new version and is answered with a conflict showing the new term. One that owes
    // more terms than a request applies is not changed until the background task is through.
    let caught_up = renewals::catch_up(
        store,
        agent.partner_id,
        id,
        clock.unix(),
        renewals::INLINE_STEPS,
    )
    .await?;
    if !caught_up.done {
        return Err(AppError::new(
            ErrorCode::StorageUnavailable,
            "This subscription's past terms are still being renewed: try again in a minute.",
        )
        .retry_after(60));
    }
    let current = store.subscription(agent.partner_id, id).await?;
    let current = current.ok_or_else(|| AppError::not_found("subscription"))?;
    let connected = connector.is_connected(agent.partner_id).await?;
    if current.version != expected {
        let view = partner_center::view_of(store, agent, current, clock.unix()).await?;
        return Err(AppError::conflict(view));
    }
    if connected
        && !partner_center::pending_for(store, agent, &[id])
            .await?
            .is_empty()
    {
        return Err(AppError::new(
            ErrorCode::ChangeWaitingForMicrosoft,
            "An earlier change of this subscription is waiting for Microsoft: wait for Partner Center's answer, or retry or discard that change first.",
        ));
    }
    let now = clock.unix();
    let planned = match plan_change(&current, &change, now) {
        Ok(planned) => planned,
        Err(refused) => {
            // A refusal judged on a subscription another request was changing (its row and
            // its seat batches are read one after the other) is a conflict, not a rule.
            let again = store.subscription(agent.partner_id, id).await?;
            return Err(match again {
                Some(again) if again.version != expected => {
                    AppError::conflict(priced_view(store, agent, again, now).await?)
                }
                _ => refused.into(),
            });
        }
    };
    let batches = planned.seat_batches.clone();
    let (action, after) = (planned.action, planned.after);
    // What a cancellation refunds is what the page showed before Cancel: recorded with it.
    // At the customer's price, which the page showed.
    let refund_cents = if after.status == shared::model::Status::Cancelled {
        let day = shared::calendar::date_text(shared::calendar::date_of(now));
        let price = prices::customer_price(store, agent.partner_id, &current, &day).await?;
        let at_price = Subscription {
            price_per_seat_cents: price,
            ..current.clone()
        };
        Some(shared::billing::cancellation_refund(&at_price, now))
    } else {
        None
    };
    if connected {
        return partner_center::send(
            connector,
            agent,
            ChangeToSend {
                current,
                action,
                after,
                seat_batches: batches,
                refund_cents,
            },
        )
        .await;
    }
    let event = NewEvent {
        after: after.clone(),
        agent_id: Some(agent.agent_id),
        agent_email: agent.email.clone(),
        at: clock.now_rfc3339(),
        action,
        before: Some(planned.before),
        source: None,
        refund_cents,
    };
    match store
        .update_subscription(agent.partner_id, id, expected, after, batches, event)
        .await?
    {
        UpdateOutcome::Updated(sub) => {
            tracing::info!(agent = %agent.email, subscription = %id, action = action.as_str(), version = sub.version, "changed");
            Ok(Changed {
                view: priced_view(store, agent, sub, now).await?,
                waiting_for_microsoft: false,
            })
        }
        UpdateOutcome::Conflict(current) => Err(AppError::conflict(
            priced_view(store, agent, current, now).await?,
        )),
        UpdateOutcome::NotFound => Err(AppError::not_found("subscription")),
    }
}

/// `sub` as `agent` sees it at `now`, at its customer's price.
async fn priced_view(
    store: &dyn Store,
    agent: &SignedInAgent,
    sub: Subscription,
    now: i64,
) -> AppResult<SubscriptionView> {
    prices::priced_one(
        store,
        agent,
        SubscriptionView::new(sub, agent.role, now),
        now,
    )
    .await
}

/// Orders `request` for customer `customer_id` of the agent's partner; `key` (the
/// `Idempotency-Key`) makes a retry the same order, never a second one.
/// A connected partner's order goes through Partner Center's cart and checkout
/// (`service::partner_center_orders`), and may answer "waiting for Microsoft".
pub async fn order(
    connector: &Connector,
    agent: &SignedInAgent,
    customer_id: CustomerId,
    request: &NewSubscriptionRequest,
    key: String,
) -> AppResult<OrderAnswer> {
    let store = connector.store.as_ref();
    let clock = connector.clock.as_ref();
    if store
        .customer(agent.partner_id, customer_id)
        .await?
        .is_none()
    {
        return Err(AppError::not_found("customer"));
    }
    let offers = store.offers_for_partner(agent.partner_id).await?;
    let (offer, seats) = check_order(&offers, &request.offer_id, &request.quantity)?;
    if store.connection(agent.partner_id).await?.is_some() {
        return partner_center_orders::order(connector, agent, customer_id, offer, seats, key)
            .await;
    }

    // A key an order through Partner Center used (before a disconnect) keeps its answer.
    let fingerprint = order_fingerprint(customer_id, &offer.id, seats);
    if let Some(answer) =
        partner_center_orders::replay_unconnected(connector, agent, &key, &fingerprint).await?
    {
        return Ok(answer);
    }
    let now = clock.now();
    let (channel, snapshot) = ordered(seats, offer.term, now.unix_timestamp());
    let new = NewSubscription {
        id: SubscriptionId(Uuid::new_v4()),
        customer_id,
        offer_id: offer.id.clone(),
        quantity: snapshot.quantity,
        status: snapshot.status,
        channel,
        auto_renew: snapshot.auto_renew,
        created_at: clock::rfc3339(now),
        commitment_end: snapshot.commitment_end.clone().unwrap_or_default(),
        scheduled: None,
        ordered_here: true,
        // The order's seats are removable for 7 days.
        seat_batches: vec![SeatBatch {
            quantity: snapshot.quantity,
            added_at: now.unix_timestamp(),
        }],
    };
    let event = NewEvent {
        agent_id: Some(agent.agent_id),
        agent_email: agent.email.clone(),
        at: new.created_at.clone(),
        action: EventAction::Created,
        before: None,
        after: snapshot,
        source: None,
        refund_cents: None,
    };
    let claim = IdempotencyClaim { key, fingerprint };
    let (sub, replayed) = match store
        .create_subscription(agent.partner_id, new, claim, event)
        .await?
    {
        OrderOutcome::Created(sub) => (sub, false),
        OrderOutcome::Replayed(sub) => (sub, true),
        OrderOutcome::KeyReused => {
            return Err(AppError::new(
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was already used for a different order: use a new key for a new order.",
            )
            .with_field("Idempotency-Key"));
        }
    };
    if !replayed {
        tracing::info!(agent = %agent.email, subscription = %sub.id, offer = %sub.offer_id, seats = sub.quantity, "ordered");
    }
    Ok(OrderAnswer::Created(Ordered {
        subscription: sub,
        replayed,
    }))
}
