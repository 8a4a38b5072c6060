//! A connected partner's changes, through Partner Center first: written to the outbox with the
//! rules' plan (one transaction), sent at once, and answered as Microsoft answered — confirmed
//! (the console changes), refused (nothing changes, Microsoft's words shown), or not answered
//! (the change waits, the worker retries it). An agent retries or discards a failed one.

use std::collections::HashMap;

use shared::ErrorCode;
use shared::api::{
    EventAction, MicrosoftQueue, PendingChange, QueuedChange, QueuedOrder, SubscriptionView,
};
use shared::ids::SubscriptionId;
use shared::model::Subscription;
use shared::reduction_window::SeatBatch;
use uuid::Uuid;

use crate::agent::SignedInAgent;
use crate::error::{AppError, AppResult};
use crate::partner_center::Connector;
use crate::partner_center::outbox::{self, Attempted};
use crate::store::Store;
use crate::store::partner_center::{EnqueueOutcome, OutboxEntry, OutboxState, PlannedChange};

/// A change as the agent's request ends: the subscription as it now is, and whether the
/// change still waits for Microsoft (HTTP 202).
pub struct Changed {
    pub view: SubscriptionView,
    pub waiting_for_microsoft: bool,
}

/// The open changes of these subscriptions, as the API shows them beside each.
pub async fn pending_for(
    store: &dyn Store,
    agent: &SignedInAgent,
    subscriptions: &[SubscriptionId],
) -> AppResult<HashMap<SubscriptionId, PendingChange>> {
    let open = store.open_changes(agent.partner_id, subscriptions).await?;
    Ok(open
        .iter()
        .filter_map(|e| outbox::pending_view(e).map(|p| (e.subscription_id, p)))
        .collect())
}

/// The view of `sub` with its open change, if any.
pub async fn view_of(
    store: &dyn Store,
    agent: &SignedInAgent,
    sub: Subscription,
    now: i64,
) -> AppResult<SubscriptionView> {
    let mut pending = pending_for(store, agent, &[sub.id]).await?;
    let change = pending.remove(&sub.id);
    // Read again after its change: a confirmation committed between the two reads must not
    // show "no change waiting" beside the values from before it (the page would say "done").
    let sub = match change {
        None => store
            .subscription(agent.partner_id, sub.id)
            .await?
            .unwrap_or(sub),
        Some(_) => sub,
    };
    let view = SubscriptionView::new(sub, agent.role, now).with_pending(change);
    crate::service::prices::priced_one(store, agent, view, now).await
}

/// What `send` is asked to make at Partner Center.
pub struct ChangeToSend {
    pub current: Subscription,
    pub action: EventAction,
    pub after: shared::model::SubscriptionSnapshot,
    pub seat_batches: Vec<SeatBatch>,
    pub refund_cents: Option<i64>,
}

/// Writes the change to the outbox and makes its first attempt.
pub async fn send(
    connector: &Connector,
    agent: &SignedInAgent,
    change: ChangeToSend,
) -> AppResult<Changed> {
    let store = connector.store.as_ref();
    let now = connector.clock.unix();
    let current = change.current;
    let planned = PlannedChange {
        before: current.snapshot(),
        after: change.after,
        seat_batches: change.seat_batches,
        refund_cents: change.refund_cents,
    };
    let request = outbox::patch_body(&current, change.action, &planned)?;
    let entry = OutboxEntry {
        id: Uuid::new_v4(),
        partner_id: agent.partner_id,
        subscription_id: current.id,
        customer_id: current.customer_id,
        action: change.action,
        expected_version: current.version,
        planned,
        request: request.to_string(),
        state: OutboxState::Pending,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
        agent_id: Some(agent.agent_id),
        agent_email: agent.email.clone(),
        created_at: connector.clock.now_rfc3339(),
    };
    match store.enqueue_change(&entry).await? {
        EnqueueOutcome::Enqueued => {}
        EnqueueOutcome::Conflict(now_is) => {
            let view = view_of(store, agent, *now_is, now).await?;
            return Err(AppError::conflict(view));
        }
        EnqueueOutcome::Waiting => return Err(waiting()),
        EnqueueOutcome::NotFound => return Err(AppError::not_found("subscription")),
    }
    tracing::info!(agent = %agent.email, subscription = %current.id, change = %entry.id, action = change.action.as_str(), "sending a change to Partner Center");
    answer(
        connector,
        agent,
        current.id,
        outbox::attempt(connector, agent.partner_id, entry.id).await?,
    )
    .await
}

fn waiting() -> AppError {
    AppError::new(
        ErrorCode::ChangeWaitingForMicrosoft,
        "An earlier change of this subscription is waiting for Microsoft: wait for Partner Center's answer, or retry or discard that change first.",
    )
}

/// What the agent's request answers after an attempt.
async fn answer(
    connector: &Connector,
    agent: &SignedInAgent,
    id: SubscriptionId,
    attempted: Attempted,
) -> AppResult<Changed> {
    let store = connector.store.as_ref();
    let now = connector.clock.unix();
    match attempted {
        Attempted::Refused(e) => Err(e),
        Attempted::Confirmed(sub) => Ok(Changed {
            view: view_of(store, agent, *sub, now).await?,
            waiting_for_microsoft: false,
        }),
        Attempted::Waiting | Attempted::Busy => {
            let sub = store.subscription(agent.partner_id, id).await?;
            let sub = sub.ok_or_else(|| AppError::not_found("subscription"))?;
            let view = view_of(store, agent, sub, now).await?;
            let waiting_for_microsoft = view.pending_change.is_some();
            Ok(Changed {
                view,
                waiting_for_microsoft,
            })
        }
    }
}

/// The open change of subscription `id`, or a 404 naming it.
async fn open_change(
    connector: &Connector,
    agent: &SignedInAgent,
    id: SubscriptionId,
) -> AppResult<OutboxEntry> {
    let store = connector.store.as_ref();
    if store.subscription(agent.partner_id, id).await?.is_none() {
        return Err(AppError::not_found("subscription"));
    }
    let open = store.open_changes(agent.partner_id, &[id]).await?;
    open.into_iter().next().ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "This subscription has no change waiting for Microsoft.",
        )
    })
}

/// Sends a change again now: a failed one (its attempts counted afresh), or a pending one
/// before its turn. Microsoft's answer is the request's.
pub async fn retry(
    connector: &Connector,
    agent: &SignedInAgent,
    id: SubscriptionId,
) -> AppResult<Changed> {
    let entry = open_change(connector, agent, id).await?;
    connector.refuse_if_throttled(agent.partner_id)?;
    let store = connector.store.as_ref();
    if entry.state == OutboxState::Failed {
        store
            .change_reopened(entry.id, connector.clock.unix())
            .await?;
    }
    tracing::info!(agent = %agent.email, change = %entry.id, "retrying a change for Partner Center");
    answer(
        connector,
        agent,
        id,
        outbox::attempt(connector, agent.partner_id, entry.id).await?,
    )
    .await
}

/// Gives a change up: the console keeps the subscription as it is. (If Microsoft did apply it
/// after all, the next sync brings that in, as a change from Partner Center.)
pub async fn discard(
    connector: &Connector,
    agent: &SignedInAgent,
    id: SubscriptionId,
) -> AppResult<SubscriptionView> {
    let entry = open_change(connector, agent, id).await?;
    let store = connector.store.as_ref();
    // Sent before without an answer: Microsoft may have applied it. Then it is recorded, not
    // given up (the console would otherwise say 10 seats where Microsoft bills 12).
    if let Some(now_is) = outbox::applied_meanwhile(connector, &entry).await? {
        let view = view_of(store, agent, now_is, connector.clock.unix()).await?;
        let mut e = AppError::conflict(view);
        e.0.message = "Microsoft had applied this change after all: it is recorded now, and the subscription shows it. Nothing was given up.".into();
        return Err(e);
    }
    let at = connector.clock.now_rfc3339();
    let why = format!("discarded by {}", agent.email);
    if !store
        .change_closed(
            entry.id,
            OutboxState::Discarded,
            Some(&why),
            &at,
            Some(connector.clock.unix()),
        )
        .await?
    {
        return Err(AppError::new(
            ErrorCode::VersionConflict,
            "This change is being sent to Partner Center right now, or was answered meanwhile: reload the subscription and try again.",
        ));
    }
    tracing::info!(agent = %agent.email, change = %entry.id, "discarded a change for Partner Center");
    let sub = store.subscription(agent.partner_id, id).await?;
    let sub = sub.ok_or_else(|| AppError::not_found("subscription"))?;
    view_of(store, agent, sub, connector.clock.unix()).await
}

/// What the partner has waiting for Microsoft, and what Microsoft refused in the last week.
pub async fn queue(
    store: &dyn Store,
    agent: &SignedInAgent,
    now: i64,
) -> AppResult<MicrosoftQueue> {
    const LIMIT: u32 = 200;
    let since = shared::calendar::rfc3339(now - 7 * 86_400);
    let partner = agent.partner_id;
    let mut changes = Vec::new();
    for entry in store.queued_changes(partner, &since, LIMIT).await? {
        let (Some(change), Some(sub)) = (
            outbox::pending_view(&entry),
            store.subscription(partner, entry.subscription_id).await?,
        ) else {
            continue;
        };
        changes.push(QueuedChange {
            customer_id: sub.customer_id,
            customer_name: sub.customer_name,
            subscription_id: sub.id,
            offer_name: sub.offer_name,
            from_quantity: entry.planned.before.quantity,
            from_status: entry.planned.before.status,
            change,
        });
    }
    let offers = store.offers_for_partner(partner).await?;
    let mut orders = Vec::new();
    for entry in store.queued_orders(partner, &since, LIMIT).await? {
        let (Some(order), Some(customer)) = (
            crate::partner_center::orders::pending_view(&entry),
            store.customer(partner, entry.customer_id).await?,
        ) else {
            continue;
        };
        let offer_name = offers
            .iter()
            .find(|o| o.id == entry.offer_id)
            .map_or_else(|| entry.offer_id.0.clone(), |o| o.name.clone());
        orders.push(QueuedOrder {
            customer_name: customer.name,
            offer_name,
            order,
        });
    }
    Ok(MicrosoftQueue { changes, orders })
}
