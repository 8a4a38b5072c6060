//! A connected partner's order, step by step through Partner Center: a cart with one line
//! (the offer's catalog item), its checkout, and the subscription Microsoft provisions. Each
//! attempt goes as far as Microsoft answers and records where it got, so the next attempt (the
//! agent's request first, the worker later) goes on from there and never orders twice:
//! - every call that writes keeps its `MS-RequestId` across retries;
//! - a checkout whose answer was lost is looked up first: the cart is read back, and only a
//!   cart that is still there is checked out (again: Partner Center documents that checking
//!   out an ordered cart repeats its first answer rather than ordering again); a cart that
//!   expired unordered is replaced by a new one;
//! - an order still provisioning is read back until its line names the subscription.

use reqwest::Method;
use serde_json::json;
use shared::api::{EventAction, PendingOrder, PendingState};
use shared::ids::{PartnerId, SubscriptionId};
use shared::model::{Channel, Status};
use shared::partner_center::CatalogItem;
use shared::reduction_window::SeatBatch;
use shared::{ErrorCode, Subscription};
use uuid::Uuid;

use super::client::CallError;
use super::outbox::refusal_of;
use super::{Connector, NextAttempt, wire};
use crate::error::AppError;
use crate::store::partner_center::OutboxState;
use crate::store::partner_center_orders::{OrderEntry, OrderProgress};
use crate::store::{NewEvent, NewSubscription};

/// How long one attempt holds its order: longer than its few calls may take.
const LEASE_SECONDS: i64 = 120;

/// What one attempt of an order came to.
pub enum OrderAttempted {
    /// Microsoft created the subscription; the console now holds it.
    Done(Box<Subscription>),
    /// Microsoft refused the order: nothing was bought.
    Refused(AppError),
    /// Not answered (yet): still waiting, or failed once the attempts ran out.
    Waiting,
    /// Someone else is sending it right now, or it was closed meanwhile.
    Busy,
}

/// The order as the API shows it while it waits.
pub fn pending_view(entry: &OrderEntry) -> Option<PendingOrder> {
    let state = match entry.state {
        OutboxState::Pending => PendingState::Pending,
        OutboxState::Failed => PendingState::Failed,
        OutboxState::Refused => PendingState::Refused,
        _ => return None,
    };
    Some(PendingOrder {
        id: entry.id.to_string(),
        customer_id: entry.customer_id,
        offer_id: entry.offer_id.clone(),
        quantity: entry.quantity,
        state,
        stage: entry.stage(),
        attempts: entry.attempts,
        last_error: entry.last_error.clone(),
        next_attempt_at: (state == PendingState::Pending)
            .then(|| shared::calendar::rfc3339(entry.next_attempt_at)),
        requested_by: entry.agent_email.clone(),
        requested_at: entry.created_at.clone(),
    })
}

/// The cart's one line: the offer's catalog item, its seats, term and billing.
/// <https://learn.microsoft.com/partner-center/developer/create-a-cart>
pub fn cart_body(
    entry: &OrderEntry,
    offer: &shared::model::Offer,
) -> Result<serde_json::Value, AppError> {
    let item = CatalogItem::parse(&entry.offer_id.0).map_err(|why| {
        AppError::new(
            ErrorCode::OrderNeedsPartnerCenter,
            format!("This offer cannot be ordered through Partner Center: its id {why}. Import the offer again with its catalog item id (`offers import`)."),
        )
        .with_field("offer_id")
    })?;
    Ok(json!({
        "lineItems": [{
            "id": 0,
            "catalogItemId": item.id(),
            "quantity": entry.quantity,
            "billingCycle": offer.billing_cycle.as_str(),
            "termDuration": shared::partner_center::term_to_partner_center(offer.term),
        }]
    }))
}

/// Where one step left the order.
enum Step {
    /// Go on to the next step now.
    Next(Box<OrderEntry>),
    Finished(OrderAttempted),
}

/// One attempt of order `id` of `partner`, now: as many steps as Microsoft answers.
pub async fn attempt(
    connector: &Connector,
    partner: PartnerId,
    id: Uuid,
) -> Result<OrderAttempted, AppError> {
    let store = &connector.store;
    let now = connector.clock.unix();
    if !store.lease_order(id, now, now + LEASE_SECONDS).await? {
        return Ok(OrderAttempted::Busy);
    }
    let Some(mut entry) = store.order_entry(partner, id).await? else {
        return Ok(OrderAttempted::Busy);
    };
    if let Some(until) = connector.throttled_until(partner) {
        // Nothing is sent while Partner Center asks this partner to wait: no attempt spent.
        store
            .order_unanswered(entry.id, entry.attempts, until, super::THROTTLED, false)
            .await?;
        return Ok(OrderAttempted::Waiting);
    }
    // Cart, checkout, provisioning, subscription: four steps at most; a cart that expired
    // unordered adds one.
    for _ in 0..6 {
        match step(connector, entry).await? {
            Step::Next(next) => entry = *next,
            Step::Finished(done) => return Ok(done),
        }
    }
    Err(AppError::new(
        ErrorCode::Internal,
        "an order's steps went round in a circle",
    ))
}

async fn step(connector: &Connector, mut entry: OrderEntry) -> Result<Step, AppError> {
    let store = &connector.store;
    let base = format!("/v1/customers/{}", entry.customer_id);
    let progress = |e: &OrderEntry| OrderProgress {
        cart_request_id: e.cart_request_id,
        checkout_request_id: e.checkout_request_id,
        cart_id: e.cart_id.clone(),
        checkout_sent: e.checkout_sent,
        order_id: e.order_id.clone(),
    };
    let Some(cart_id) = entry.cart_id.clone() else {
        let offers = store.offers_for_partner(entry.partner_id).await?;
        let Some(offer) = offers.iter().find(|o| o.id == entry.offer_id) else {
            let e = AppError::new(
                ErrorCode::OfferNotAuthorised,
                "This offer is no longer in the partner's catalogue: nothing was ordered.",
            );
            return refused(connector, &entry, e).await;
        };
        let body = match cart_body(&entry, offer) {
            Ok(body) => body,
            Err(e) => return refused(connector, &entry, e).await,
        };
        let path = format!("{base}/carts");
        let cart: wire::Cart = match connector
            .call(
                entry.partner_id,
                Method::POST,
                &path,
                Some(&body),
                entry.cart_request_id,
                &[],
            )
            .await
        {
            Ok(cart) => cart,
            Err(e) => return failed_call(connector, &entry, e).await,
        };
        entry.cart_id = Some(cart.id);
        store.order_progressed(entry.id, &progress(&entry)).await?;
        return Ok(Step::Next(Box::new(entry)));
    };
    let Some(order_id) = entry.order_id.clone() else {
        if entry.checkout_sent {
            // The last checkout's answer was lost: is the cart still there?
            // <https://learn.microsoft.com/partner-center/developer/get-a-cart-by-id>
            let path = format!("{base}/carts/{cart_id}");
            match connector
                .call::<wire::Cart>(
                    entry.partner_id,
                    Method::GET,
                    &path,
                    None,
                    Uuid::new_v4(),
                    &[],
                )
                .await
            {
                Ok(cart) => {
                    tracing::info!(order = %entry.id, cart = %cart.id, status = cart.status.as_deref().unwrap_or("?"), "looked up the cart of an unanswered checkout")
                }
                Err(CallError::Refused { status: 404, .. }) => {
                    // Expired (7 days) without an order: a new cart, as if from the start
                    // (new requests: the old ids would be answered with the old cart).
                    entry.cart_id = None;
                    entry.checkout_sent = false;
                    entry.cart_request_id = Uuid::new_v4();
                    entry.checkout_request_id = Uuid::new_v4();
                    store.order_progressed(entry.id, &progress(&entry)).await?;
                    return Ok(Step::Next(Box::new(entry)));
                }
                Err(e) => return failed_call(connector, &entry, e).await,
            }
        }
        entry.checkout_sent = true;
        store.order_progressed(entry.id, &progress(&entry)).await?;
        let path = format!("{base}/carts/{cart_id}/checkout");
        let result: wire::CheckoutResult = match connector
            .call(
                entry.partner_id,
                Method::POST,
                &path,
                Some(&json!({})),
                entry.checkout_request_id,
                &[],
            )
            .await
        {
            Ok(result) => result,
            Err(e) => return failed_call(connector, &entry, e).await,
        };
        if let Some(error) = result.order_errors.first() {
            let error = shared::api::PartnerCenterError {
                code: match &error.code {
                    Some(serde_json::Value::String(c)) => c.clone(),
                    Some(other) => other.to_string(),
                    None => "order error".into(),
                },
                description: error
                    .description
                    .clone()
                    .unwrap_or_else(|| "the order was not placed".into()),
            };
            let e = refusal_of("the order", "Nothing was bought.", 400, error);
            return refused(connector, &entry, e).await;
        }
        let Some(order) = result.orders.into_iter().next() else {
            return unanswered(
                connector,
                &entry,
                "Partner Center's checkout answered without an order",
                None,
            )
            .await;
        };
        entry.order_id = Some(order.id.clone());
        store.order_progressed(entry.id, &progress(&entry)).await?;
        return match subscription_of(&order) {
            Some(sub) => provisioned(connector, entry, sub).await,
            None => Ok(Step::Next(Box::new(entry))),
        };
    };
    // Ordered: which subscription did Microsoft make of it?
    // <https://learn.microsoft.com/partner-center/developer/get-an-order-by-id>
    let path = format!("{base}/orders/{order_id}");
    let order: wire::Order = match connector
        .call(
            entry.partner_id,
            Method::GET,
            &path,
            None,
            Uuid::new_v4(),
            &[],
        )
        .await
    {
        Ok(order) => order,
        Err(e) => return failed_call(connector, &entry, e).await,
    };
    match subscription_of(&order) {
        Some(sub) => provisioned(connector, entry, sub).await,
        None => {
            unanswered(
                connector,
                &entry,
                "Microsoft took the order and is still creating the subscription",
                None,
            )
            .await
        }
    }
}

fn subscription_of(order: &wire::Order) -> Option<SubscriptionId> {
    order
        .line_items
        .iter()
        .find_map(|l| l.subscription_id.as_deref()?.trim().parse().ok())
}

/// The order's subscription exists at Microsoft: read it (its dates are Microsoft's), then
/// write it here with the agent's "created" event.
/// <https://learn.microsoft.com/partner-center/developer/get-a-subscription-by-id>
async fn provisioned(
    connector: &Connector,
    entry: OrderEntry,
    id: SubscriptionId,
) -> Result<Step, AppError> {
    let path = format!("/v1/customers/{}/subscriptions/{id}", entry.customer_id);
    let theirs: wire::Subscription = match connector
        .call(
            entry.partner_id,
            Method::GET,
            &path,
            None,
            Uuid::new_v4(),
            &[],
        )
        .await
    {
        Ok(sub) => sub,
        Err(CallError::Refused { status: 404, .. }) => {
            return unanswered(
                connector,
                &entry,
                "Microsoft took the order and is still creating the subscription",
                None,
            )
            .await;
        }
        Err(e) => return failed_call(connector, &entry, e).await,
    };
    let store = &connector.store;
    let offers = store.offers_for_partner(entry.partner_id).await?;
    let term = offers
        .iter()
        .find(|o| o.id == entry.offer_id)
        .map_or(shared::model::Term::Monthly, |o| o.term);
    let now = connector.clock.unix();
    let at = connector.clock.now_rfc3339();
    let commitment_end = theirs
        .commitment_end_date
        .as_deref()
        .and_then(|d| shared::file_values::parse_date(d.get(..10).unwrap_or(d)).ok())
        .unwrap_or_else(|| shared::lifecycle::first_term_end(now, term));
    let quantity = u32::try_from(theirs.quantity)
        .ok()
        .filter(|q| *q >= 1)
        .unwrap_or(entry.quantity);
    let auto_renew = theirs.auto_renew_enabled;
    let new = NewSubscription {
        id,
        customer_id: entry.customer_id,
        offer_id: entry.offer_id.clone(),
        quantity,
        status: Status::Active,
        channel: Channel::Partner,
        auto_renew,
        created_at: at.clone(),
        commitment_end: commitment_end.clone(),
        scheduled: None,
        ordered_here: true,
        // The order's seats are removable for 7 days.
        seat_batches: vec![SeatBatch {
            quantity,
            added_at: now,
        }],
    };
    let event = NewEvent {
        agent_id: entry.agent_id,
        agent_email: entry.agent_email.clone(),
        at,
        action: EventAction::Created,
        before: None,
        after: shared::model::SubscriptionSnapshot {
            quantity,
            status: Status::Active,
            auto_renew,
            commitment_end: Some(commitment_end),
            term: Some(term),
            scheduled: None,
        },
        source: Some(format!(
            "Partner Center, order {}",
            entry.order_id.as_deref().unwrap_or("?")
        )),
        refund_cents: None,
    };
    let sub = store.order_completed(&entry, new, event).await?;
    let Some(sub) = sub else {
        tracing::error!(order = %entry.id, subscription = %id, "Partner Center's new subscription is held by another partner here");
        return unanswered(
            connector,
            &entry,
            "the subscription Microsoft created could not be written here",
            None,
        )
        .await;
    };
    tracing::info!(order = %entry.id, subscription = %sub.id, seats = sub.quantity, "Partner Center confirmed an order");
    Ok(Step::Finished(OrderAttempted::Done(Box::new(sub))))
}

async fn failed_call(
    connector: &Connector,
    entry: &OrderEntry,
    e: CallError,
) -> Result<Step, AppError> {
    match e {
        CallError::Refused { status, error } => {
            let e = refusal_of("the order", "Nothing was bought.", status, error);
            refused(connector, entry, e).await
        }
        CallError::Unauthorized => {
            unanswered(
                connector,
                entry,
                "Partner Center did not accept a fresh access token either (401)",
                None,
            )
            .await
        }
        CallError::Unanswered {
            reason,
            retry_after,
        } => unanswered(connector, entry, &reason, retry_after).await,
    }
}

async fn refused(connector: &Connector, entry: &OrderEntry, e: AppError) -> Result<Step, AppError> {
    let at = connector.clock.now_rfc3339();
    connector
        .store
        .order_closed(
            entry.id,
            OutboxState::Refused,
            Some(&e.0.message),
            &at,
            None,
        )
        .await?;
    tracing::info!(order = %entry.id, "Partner Center refused an order");
    Ok(Step::Finished(OrderAttempted::Refused(e)))
}

async fn unanswered(
    connector: &Connector,
    entry: &OrderEntry,
    reason: &str,
    retry_after: Option<u64>,
) -> Result<Step, AppError> {
    let NextAttempt {
        attempts,
        at: next,
        failed,
    } = connector.next_attempt(entry.attempts, retry_after);
    connector
        .store
        .order_unanswered(entry.id, attempts, next, reason, failed)
        .await?;
    tracing::warn!(order = %entry.id, attempts, failed, reason, "Partner Center did not answer an order");
    Ok(Step::Finished(OrderAttempted::Waiting))
}
