//! Sending the outbox: one attempt of a change (at once, within the agent's request; later by
//! the worker), and what its answer does to the console's record.
//!
//! Every attempt of a change carries the change's id as `MS-RequestId`, so a change Microsoft
//! applied but whose answer was lost is not applied a second time when it is sent again.

use reqwest::Method;
use serde_json::json;
use shared::api::{EventAction, PartnerCenterError, PendingChange, PendingState};
use shared::ids::PartnerId;
use shared::partner_center::{CatalogItem, status_to_partner_center, term_to_partner_center};
use shared::{ErrorCode, Subscription};
use uuid::Uuid;

use super::client::CallError;
use super::{Connector, NextAttempt, sync, wire};
use crate::error::AppError;
use crate::store::UpdateOutcome;
use crate::store::partner_center::{OutboxEntry, OutboxState, PlannedChange};

/// How long one attempt holds its entry: longer than a call may take.
const LEASE_SECONDS: i64 = 120;

/// What one attempt came to.
pub enum Attempted {
    /// Microsoft applied it; the console's record now says so.
    Confirmed(Box<Subscription>),
    /// Microsoft refused it; nothing changed, here or there.
    Refused(AppError),
    /// No answer: still waiting (pending, or failed once the attempts ran out).
    Waiting,
    /// Someone else is sending it right now, or it was closed meanwhile.
    Busy,
}

/// What the PATCH that makes `planned` at Partner Center sets (laid over the subscription as
/// read, [`with_changes`]).
/// <https://learn.microsoft.com/partner-center/developer/change-the-quantity-of-a-subscription>,
/// <https://learn.microsoft.com/partner-center/developer/suspend-a-subscription>,
/// <https://learn.microsoft.com/partner-center/developer/change-subscription-auto-renewal>
pub fn patch_body(
    subscription: &Subscription,
    action: EventAction,
    planned: &PlannedChange,
) -> Result<serde_json::Value, AppError> {
    let after = &planned.after;
    let id = subscription.id.to_string();
    Ok(match action {
        EventAction::QuantityChanged => json!({ "id": id, "quantity": after.quantity }),
        EventAction::StatusChanged => {
            json!({ "id": id, "status": status_to_partner_center(after.status), "autoRenewEnabled": after.auto_renew })
        }
        EventAction::AutoRenewChanged => json!({ "id": id, "autoRenewEnabled": after.auto_renew }),
        EventAction::RenewalScheduled => {
            match &after.scheduled {
                // <https://learn.microsoft.com/partner-center/developer/manage-renewals-for-new-commerce-subscriptions>
                Some(change) => {
                    let item = CatalogItem::parse(&subscription.offer_id.0).map_err(|why| {
                    AppError::new(ErrorCode::InvalidChange, format!("Partner Center cannot be told of this renewal: the offer's id {why}."))
                })?;
                    json!({
                        "id": id,
                        "scheduledNextTermInstructions": {
                            "product": {
                                "productId": item.product_id,
                                "skuId": item.sku_id,
                                "availabilityId": item.availability_id,
                                "billingCycle": subscription.billing_cycle.as_str(),
                                "termDuration": term_to_partner_center(change.term),
                            },
                            "quantity": change.quantity,
                        }
                    })
                }
                None => json!({ "id": id, "scheduledNextTermInstructions": null }),
            }
        }
        other => {
            return Err(AppError::new(
                ErrorCode::InvalidChange,
                format!("a {} change is not sent to Partner Center", other.as_str()),
            ));
        }
    })
}

/// The subscription resource as Partner Center gave it, with the fields of `changes` set.
pub fn with_changes(
    mut resource: serde_json::Value,
    changes: &serde_json::Value,
) -> serde_json::Value {
    if let (Some(target), Some(fields)) = (resource.as_object_mut(), changes.as_object()) {
        for (field, value) in fields {
            target.insert(field.clone(), value.clone());
        }
    }
    resource
}

/// The change as the API shows it beside its subscription.
pub fn pending_view(entry: &OutboxEntry) -> Option<PendingChange> {
    let state = match entry.state {
        OutboxState::Pending => PendingState::Pending,
        OutboxState::Failed => PendingState::Failed,
        OutboxState::Refused => PendingState::Refused,
        _ => return None,
    };
    let after = &entry.planned.after;
    Some(PendingChange {
        id: entry.id.to_string(),
        state,
        action: entry.action,
        quantity: after.quantity,
        status: after.status,
        auto_renew: after.auto_renew,
        attempts: entry.attempts,
        last_error: entry.last_error.clone(),
        next_attempt_at: (state == PendingState::Pending)
            .then(|| shared::calendar::rfc3339(entry.next_attempt_at)),
        requested_by: entry.agent_email.clone(),
        requested_at: entry.created_at.clone(),
    })
}

/// Partner Center's refusal as the agent reads it: the console's own code where Microsoft's
/// names a rule the console knows, else `partner_center_refused`; Microsoft's code and words
/// beside it.
pub fn refusal(status: u16, error: PartnerCenterError) -> AppError {
    refusal_of("the change", "Nothing was changed.", status, error)
}

/// [`refusal`] of `what` ("the order"), and what the refusal leaves (`outcome`).
pub fn refusal_of(what: &str, outcome: &str, status: u16, error: PartnerCenterError) -> AppError {
    let code = shared::partner_center::refusal_code(&error.code, status);
    let mut e = AppError::new(
        code,
        format!(
            "Microsoft refused {what}: {} (Partner Center error {}). {outcome}",
            error.description.trim_end_matches('.'),
            error.code
        ),
    );
    e.0.partner_center = Some(Box::new(error));
    e
}

/// One attempt of change `id` of `partner`, now.
pub async fn attempt(
    connector: &Connector,
    partner: PartnerId,
    id: Uuid,
) -> Result<Attempted, AppError> {
    let store = &connector.store;
    let now = connector.clock.unix();
    if !store.lease_change(id, now, now + LEASE_SECONDS).await? {
        return Ok(Attempted::Busy);
    }
    let Some(entry) = store.outbox_entry(partner, id).await? else {
        return Ok(Attempted::Busy);
    };
    if let Some(until) = connector.throttled_until(partner) {
        // Nothing is sent while Partner Center asks this partner to wait: no attempt spent.
        store
            .change_unanswered(entry.id, entry.attempts, until, super::THROTTLED, false)
            .await?;
        return Ok(Attempted::Waiting);
    }
    let body: serde_json::Value = serde_json::from_str(&entry.request).map_err(|_| {
        AppError::new(
            ErrorCode::Internal,
            "an outbox entry's request is unreadable",
        )
    })?;
    let path = format!(
        "/v1/customers/{}/subscriptions/{}",
        entry.customer_id, entry.subscription_id
    );
    // Partner Center's PATCH takes the full subscription resource with the change made to it
    // ("a full Subscription resource is required in the request body"): read it, then set
    // what the change sets. The PATCH keeps the change's MS-RequestId on every attempt.
    let answer: Result<wire::Subscription, CallError> = async {
        let current: serde_json::Value = connector
            .call(partner, Method::GET, &path, None, Uuid::new_v4(), &[])
            .await?;
        let full = with_changes(current, &body);
        connector
            .call(partner, Method::PATCH, &path, Some(&full), entry.id, &[])
            .await
    }
    .await;
    let at = connector.clock.now_rfc3339();
    match answer {
        Ok(theirs) => confirmed(connector, &entry, &theirs, &at).await,
        Err(CallError::Refused { status, error }) => {
            let e = refusal(status, error);
            store
                .change_closed(
                    entry.id,
                    OutboxState::Refused,
                    Some(&e.0.message),
                    &at,
                    None,
                )
                .await?;
            tracing::info!(%partner, change = %entry.id, subscription = %entry.subscription_id, "Partner Center refused a change");
            Ok(Attempted::Refused(e))
        }
        Err(CallError::Unauthorized) => {
            unanswered(
                connector,
                &entry,
                "Partner Center did not accept a fresh access token either (401)",
                None,
            )
            .await
        }
        Err(CallError::Unanswered {
            reason,
            retry_after,
        }) => unanswered(connector, &entry, &reason, retry_after).await,
    }
}

async fn unanswered(
    connector: &Connector,
    entry: &OutboxEntry,
    reason: &str,
    retry_after: Option<u64>,
) -> Result<Attempted, AppError> {
    let NextAttempt {
        attempts,
        at: next,
        failed,
    } = connector.next_attempt(entry.attempts, retry_after);
    connector
        .store
        .change_unanswered(entry.id, attempts, next, reason, failed)
        .await?;
    tracing::warn!(change = %entry.id, subscription = %entry.subscription_id, attempts, failed, reason, "Partner Center did not answer a change");
    Ok(Attempted::Waiting)
}

/// Before an agent gives a change up that was sent without an answer: whether Partner Center
/// applied it after all. If it did, the console records it now (`Some`, the subscription as
/// it now is) instead of giving it up; if Microsoft cannot be asked, nothing is given up.
/// <https://learn.microsoft.com/partner-center/developer/get-a-subscription-by-id>
pub async fn applied_meanwhile(
    connector: &Connector,
    entry: &OutboxEntry,
) -> Result<Option<Subscription>, AppError> {
    if entry.attempts == 0 {
        return Ok(None);
    }
    let path = format!(
        "/v1/customers/{}/subscriptions/{}",
        entry.customer_id, entry.subscription_id
    );
    let theirs: Result<wire::Subscription, CallError> = connector
        .call(
            entry.partner_id,
            Method::GET,
            &path,
            None,
            Uuid::new_v4(),
            &[],
        )
        .await;
    match theirs {
        Ok(theirs) if was_applied(entry, &theirs) => {
            let at = connector.clock.now_rfc3339();
            match confirmed(connector, entry, &theirs, &at).await? {
                Attempted::Confirmed(sub) => Ok(Some(*sub)),
                _ => Ok(None),
            }
        }
        Ok(_) | Err(CallError::Refused { status: 404, .. }) => Ok(None),
        Err(e) => Err(AppError::new(
            ErrorCode::ChangeWaitingForMicrosoft,
            format!(
                "Partner Center could not be asked whether it applied this change ({e}): nothing was given up; try again in a moment."
            ),
        )),
    }
}

/// Whether Partner Center's subscription shows what the change set.
fn was_applied(entry: &OutboxEntry, theirs: &wire::Subscription) -> bool {
    let after = &entry.planned.after;
    match entry.action {
        EventAction::QuantityChanged => u32::try_from(theirs.quantity).ok() == Some(after.quantity),
        EventAction::StatusChanged => {
            shared::partner_center::status_from_partner_center(&theirs.status, None)
                == Some(after.status)
        }
        EventAction::AutoRenewChanged => theirs.auto_renew_enabled == after.auto_renew,
        // The next term's instructions are not compared: given up as asked.
        _ => false,
    }
}

/// Microsoft applied the change: the console writes what was planned; if the subscription
/// moved on meanwhile (a renewal), it takes Partner Center's values instead.
async fn confirmed(
    connector: &Connector,
    entry: &OutboxEntry,
    theirs: &wire::Subscription,
    at: &str,
) -> Result<Attempted, AppError> {
    match connector.store.change_confirmed(entry, at).await? {
        UpdateOutcome::Updated(sub) => {
            tracing::info!(change = %entry.id, subscription = %sub.id, version = sub.version, "Partner Center confirmed a change");
            Ok(Attempted::Confirmed(Box::new(sub)))
        }
        UpdateOutcome::Conflict(current) => {
            let sub = sync::bring_in_step(connector, entry.partner_id, current, theirs).await?;
            Ok(Attempted::Confirmed(Box::new(sub)))
        }
        UpdateOutcome::NotFound => Ok(Attempted::Busy),
    }
}
