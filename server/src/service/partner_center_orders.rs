//! A connected partner's orders, through Partner Center's cart and checkout first: written
//! with the agent's `Idempotency-Key` (a retried request is the same order), attempted at
//! once, and answered as Microsoft answered: the subscription (created), a refusal (nothing
//! bought), or "waiting for Microsoft" (HTTP 202; the worker goes on). An agent sends a
//! waiting order again or gives it up.

use shared::ErrorCode;
use shared::api::PendingOrder;
use shared::ids::CustomerId;
use shared::model::Offer;
use shared::orders::order_fingerprint;
use shared::partner_center::CatalogItem;
use shared::seats::SeatCount;
use uuid::Uuid;

use crate::agent::SignedInAgent;
use crate::error::{AppError, AppResult};
use crate::partner_center::Connector;
use crate::partner_center::orders::{self, OrderAttempted, pending_view};
use crate::service::ordered::{OrderAnswer, Ordered};
use crate::store::partner_center::OutboxState;
use crate::store::partner_center_orders::{EnqueueOrderOutcome, OrderEntry};

/// Orders `seats` of `offer` for `customer` through Partner Center.
pub async fn order(
    connector: &Connector,
    agent: &SignedInAgent,
    customer: CustomerId,
    offer: &Offer,
    seats: SeatCount,
    key: String,
) -> AppResult<OrderAnswer> {
    // Before anything is written: an offer without a catalog item cannot be put in a cart.
    CatalogItem::parse(&offer.id.0).map_err(|why| {
        AppError::new(
            ErrorCode::OrderNeedsPartnerCenter,
            format!("This offer cannot be ordered through Partner Center: its id {why}. Import the offer with its catalog item id (`offers import`), or order in Partner Center and sync."),
        )
        .with_field("offer_id")
    })?;
    let entry = OrderEntry {
        id: Uuid::new_v4(),
        partner_id: agent.partner_id,
        customer_id: customer,
        offer_id: offer.id.clone(),
        quantity: seats.get(),
        idempotency_key: key,
        fingerprint: order_fingerprint(customer, &offer.id, seats),
        cart_request_id: Uuid::new_v4(),
        checkout_request_id: Uuid::new_v4(),
        cart_id: None,
        checkout_sent: false,
        order_id: None,
        subscription_id: None,
        state: OutboxState::Pending,
        attempts: 0,
        next_attempt_at: connector.clock.unix(),
        last_error: None,
        agent_id: Some(agent.agent_id),
        agent_email: agent.email.clone(),
        created_at: connector.clock.now_rfc3339(),
    };
    let store = connector.store.as_ref();
    // The key may have ordered here before the partner was connected: the same answer.
    if let Some((fingerprint, id)) = store
        .subscription_with_key(agent.partner_id, &entry.idempotency_key)
        .await?
    {
        if fingerprint != entry.fingerprint {
            return Err(key_reused());
        }
        let sub = store.subscription(agent.partner_id, id).await?;
        let sub = sub.ok_or_else(|| AppError::not_found("subscription"))?;
        return Ok(OrderAnswer::Created(Ordered {
            subscription: sub,
            replayed: true,
        }));
    }
    match store.enqueue_order(&entry).await? {
        EnqueueOrderOutcome::Enqueued => {}
        EnqueueOrderOutcome::Existing(first) if first.fingerprint != entry.fingerprint => {
            return Err(key_reused());
        }
        EnqueueOrderOutcome::Existing(first) => return replay(connector, agent, *first).await,
    }
    tracing::info!(agent = %agent.email, order = %entry.id, offer = %offer.id, seats = seats.get(), "ordering through Partner Center");
    let attempted = orders::attempt(connector, agent.partner_id, entry.id).await?;
    answer(connector, agent, entry.id, attempted, false).await
}

fn key_reused() -> AppError {
    AppError::new(
        ErrorCode::IdempotencyKeyReused,
        "This Idempotency-Key was already used for a different order: use a new key for a new order.",
    )
    .with_field("Idempotency-Key")
}

/// An order without a Partner Center connection (the partner disconnected since) whose key an
/// order through Partner Center used: that order's answer, unless it made its subscription
/// (then the ordinary replay finds it). `None`: the key is new to Partner Center orders.
pub async fn replay_unconnected(
    connector: &Connector,
    agent: &SignedInAgent,
    key: &str,
    fingerprint: &str,
) -> AppResult<Option<OrderAnswer>> {
    let Some(first) = connector
        .store
        .order_with_key(agent.partner_id, key)
        .await?
    else {
        return Ok(None);
    };
    if first.fingerprint != fingerprint {
        return Err(key_reused());
    }
    if first.state == OutboxState::Done {
        return Ok(None);
    }
    replay(connector, agent, first).await.map(Some)
}

/// The answer to a retried request: what became of the first.
async fn replay(
    connector: &Connector,
    agent: &SignedInAgent,
    first: OrderEntry,
) -> AppResult<OrderAnswer> {
    match first.state {
        OutboxState::Done => {
            let id = first.subscription_id.ok_or_else(|| {
                AppError::new(ErrorCode::Internal, "a done order names no subscription")
            })?;
            let sub = connector.store.subscription(agent.partner_id, id).await?;
            let sub = sub.ok_or_else(|| AppError::not_found("subscription"))?;
            Ok(OrderAnswer::Created(Ordered {
                subscription: sub,
                replayed: true,
            }))
        }
        OutboxState::Refused => Err(AppError::new(
            ErrorCode::PartnerCenterRefused,
            first
                .last_error
                .unwrap_or_else(|| "Microsoft refused this order: nothing was bought.".into()),
        )),
        OutboxState::Discarded => Err(AppError::new(
            ErrorCode::IdempotencyKeyReused,
            "The order made with this Idempotency-Key was given up: order again with a new key.",
        )
        .with_field("Idempotency-Key")),
        OutboxState::Pending | OutboxState::Failed => {
            let view = pending_view(&first).expect("an open order has a view");
            Ok(OrderAnswer::Waiting(view))
        }
    }
}

async fn answer(
    connector: &Connector,
    agent: &SignedInAgent,
    id: Uuid,
    attempted: OrderAttempted,
    replayed: bool,
) -> AppResult<OrderAnswer> {
    match attempted {
        OrderAttempted::Done(sub) => Ok(OrderAnswer::Created(Ordered {
            subscription: *sub,
            replayed,
        })),
        OrderAttempted::Refused(e) => Err(e),
        OrderAttempted::Waiting | OrderAttempted::Busy => {
            let entry = open_order_or_404(connector, agent, id).await?;
            match entry.state {
                OutboxState::Pending | OutboxState::Failed => Ok(OrderAnswer::Waiting(
                    pending_view(&entry).expect("an open order has a view"),
                )),
                // Answered meanwhile, by the worker.
                _ => replay(connector, agent, entry).await.map(|a| match a {
                    OrderAnswer::Created(o) => OrderAnswer::Created(Ordered {
                        subscription: o.subscription,
                        replayed,
                    }),
                    waiting => waiting,
                }),
            }
        }
    }
}

async fn open_order_or_404(
    connector: &Connector,
    agent: &SignedInAgent,
    id: Uuid,
) -> AppResult<OrderEntry> {
    connector
        .store
        .order_entry(agent.partner_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("order"))
}

/// The customer's orders waiting for Microsoft.
pub async fn pending_orders(
    connector: &Connector,
    agent: &SignedInAgent,
    customer: CustomerId,
) -> AppResult<Vec<PendingOrder>> {
    let store = connector.store.as_ref();
    if store.customer(agent.partner_id, customer).await?.is_none() {
        return Err(AppError::not_found("customer"));
    }
    let open = store.open_orders(agent.partner_id, customer).await?;
    Ok(open.iter().filter_map(pending_view).collect())
}

/// Order `id` of `customer`, still waiting, or a 404 naming it.
async fn waiting_order(
    connector: &Connector,
    agent: &SignedInAgent,
    customer: CustomerId,
    id: Uuid,
) -> AppResult<OrderEntry> {
    let entry = open_order_or_404(connector, agent, id).await?;
    if entry.customer_id != customer {
        return Err(AppError::not_found("order"));
    }
    if !matches!(entry.state, OutboxState::Pending | OutboxState::Failed) {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "This order is not waiting for Microsoft (it was answered or given up).",
        ));
    }
    Ok(entry)
}

/// Sends a waiting order on now (a failed one with its attempts counted afresh).
pub async fn retry(
    connector: &Connector,
    agent: &SignedInAgent,
    customer: CustomerId,
    id: Uuid,
) -> AppResult<OrderAnswer> {
    let entry = waiting_order(connector, agent, customer, id).await?;
    connector.refuse_if_throttled(agent.partner_id)?;
    if entry.state == OutboxState::Failed {
        connector
            .store
            .order_reopened(entry.id, connector.clock.unix())
            .await?;
    }
    tracing::info!(agent = %agent.email, order = %entry.id, "retrying an order for Partner Center");
    let attempted = orders::attempt(connector, agent.partner_id, entry.id).await?;
    answer(connector, agent, entry.id, attempted, false).await
}

/// Gives a waiting order up. If Microsoft did place it after all, the next sync brings its
/// subscription in (as from Partner Center).
pub async fn discard(
    connector: &Connector,
    agent: &SignedInAgent,
    customer: CustomerId,
    id: Uuid,
) -> AppResult<()> {
    let entry = waiting_order(connector, agent, customer, id).await?;
    placed_meanwhile(connector, &entry).await?;
    let at = connector.clock.now_rfc3339();
    let why = format!("discarded by {}", agent.email);
    if !connector
        .store
        .order_closed(
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
            "This order is being sent to Partner Center right now, or was answered meanwhile: reload the customer's subscriptions and try again.",
        ));
    }
    tracing::info!(agent = %agent.email, order = %entry.id, "discarded an order for Partner Center");
    Ok(())
}

/// An order Microsoft may have placed is never given up: once it has an order id, or when its
/// checkout went unanswered and the cart reads as ordered (or cannot be read), the answer is
/// 409 and the order goes on (a failed one is sent on again), so that its subscription is
/// brought in rather than bought a second time.
/// <https://learn.microsoft.com/partner-center/developer/get-a-cart-by-id>
async fn placed_meanwhile(connector: &Connector, entry: &OrderEntry) -> AppResult<()> {
    let placed = if entry.order_id.is_some() {
        true
    } else if let (true, Some(cart)) = (entry.checkout_sent, &entry.cart_id) {
        let path = format!("/v1/customers/{}/carts/{cart}", entry.customer_id);
        let read: Result<crate::partner_center::wire::Cart, _> = connector
            .call(
                entry.partner_id,
                reqwest::Method::GET,
                &path,
                None,
                Uuid::new_v4(),
                &[],
            )
            .await;
        match read {
            Ok(cart) => cart.status.as_deref() == Some("Ordered"),
            Err(crate::partner_center::client::CallError::Refused { status: 404, .. }) => false,
            Err(e) => {
                return Err(AppError::new(
                    ErrorCode::ChangeWaitingForMicrosoft,
                    format!(
                        "Partner Center could not be asked whether it placed this order ({e}): nothing was given up; try again in a moment."
                    ),
                ));
            }
        }
    } else {
        false
    };
    if !placed {
        return Ok(());
    }
    if entry.state == OutboxState::Failed {
        connector
            .store
            .order_reopened(entry.id, connector.clock.unix())
            .await?;
    }
    Err(AppError::new(
        ErrorCode::ChangeWaitingForMicrosoft,
        "Microsoft has placed this order, so it cannot be given up: the console brings its subscription in as soon as Microsoft has created it (don't order it again).",
    ))
}
