//! A change sent to Microsoft that Partner Center has not confirmed (connected partners): what
//! it asks, who asked, how many attempts, and — once Microsoft has not answered at all —
//! *Send again* or *Discard the change*. While it waits, the subscription is read again every
//! few seconds, so the page shows the answer without a reload.

use leptos::prelude::*;
use shared::api::{EventAction, PendingChange, PendingState, SubscriptionView};
use shared::model::Status;

use crate::api::ApiError;
use crate::components::focus_soon;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;
use crate::i18n::Text;

/// Seconds between two reads of a subscription whose change waits.
const POLL_SECONDS: u64 = 5;

/// What the change asks for, in words: "seats 10 → 12".
pub fn what(view: &SubscriptionView, change: &PendingChange, t: &Text) -> String {
    let s = &view.subscription;
    what_from(s.quantity, s.status, change, t)
}

/// [`what`], from the seats and status it changes.
pub fn what_from(quantity: u32, status: Status, change: &PendingChange, t: &Text) -> String {
    match change.action {
        EventAction::QuantityChanged => (t.event_seats)(quantity, change.quantity),
        EventAction::StatusChanged => (t.event_status)(t.status(status), t.status(change.status)),
        EventAction::AutoRenewChanged => (t.event_auto_renew)(change.auto_renew),
        _ => t.renewal_settings.to_owned(),
    }
}

#[component]
pub fn PendingChangeNotice(
    current: RwSignal<SubscriptionView>,
    /// Said after a retry or a discard (announced, focusable).
    confirmation: RwSignal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let waiting = move || {
        current.with(|c| {
            c.pending_change
                .as_ref()
                .is_some_and(|p| p.state == PendingState::Pending)
        })
    };
    // While it waits: read it again now and then (the worker sends it meanwhile).
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !waiting() || busy.get_untracked() {
                return;
            }
            let id = current.with_untracked(|c| c.subscription.id);
            leptos::task::spawn_local(async move {
                if let Ok(now) = console.api().subscription(id).await {
                    let answered = now.pending_change.is_none();
                    current.set(now);
                    if answered {
                        confirmation.set(Some(console.t().microsoft_confirmed.to_owned()));
                    }
                }
            });
        },
        std::time::Duration::from_secs(POLL_SECONDS),
    ) {
        on_cleanup(move || handle.clear());
    }
    let act = move |discard: bool| {
        let id = current.with_untracked(|c| c.subscription.id);
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let api = console.api();
            let answer = if discard {
                api.discard_pending_change(id).await
            } else {
                api.retry_pending_change(id).await
            };
            busy.set(false);
            match answer {
                Ok(now) => {
                    let t = console.t();
                    let message = match (&now.pending_change, discard) {
                        (_, true) => t.change_discarded,
                        (Some(_), false) => t.sent_waiting,
                        (None, false) => t.microsoft_confirmed,
                    };
                    current.set(now);
                    confirmation.set(Some(message.to_owned()));
                    focus_soon(".rc-live .rc-callout");
                }
                Err(e) => {
                    // Refused by Microsoft (closed), or answered meanwhile: show it as it is.
                    if let Ok(now) = console.api().subscription(id).await {
                        current.set(now);
                    }
                    failure.set(Some(e));
                }
            }
        });
    };
    view! {
        {move || {
            let (t, lang) = (console.t(), console.lang.get());
            current.with(|c| c.pending_change.clone().map(|p| {
                let what = what(c, &p, t);
                let asked = (t.pending_detail)(&p.requested_by, &format::moment(lang, &p.requested_at), p.attempts);
                let last = p.last_error.as_deref().map(|e| (t.pending_last_error)(e));
                match p.state {
                    PendingState::Pending => view! {
                        <div class="rc-callout rc-info rc-pending" role="status">
                            <p><strong>{(t.pending_title)(&what)}</strong></p>
                            <p>{asked} " " {t.pending_values}</p>
                            {last.map(|l| view! { <p class="rc-muted">{l}</p> })}
                            {p.next_attempt_at.map(|n| view! { <p class="rc-muted">{(t.pending_next)(&format::moment(lang, &n))}</p> })}
                        </div>
                    }.into_any(),
                    PendingState::Failed => view! {
                        <div class="rc-callout rc-warn rc-failed" role="alert">
                            <p><strong>{(t.failed_title)(&what)}</strong></p>
                            <p>{asked}</p>
                            {last.map(|l| view! { <p>{l}</p> })}
                            <div class="rc-buttons">
                                <button type="button" class="rc-primary rc-send-again" disabled=move || busy.get()
                                    on:click=move |_| act(false)>{t.send_again}</button>
                                <button type="button" class="rc-discard" disabled=move || busy.get()
                                    on:click=move |_| act(true)>{t.discard_change}</button>
                            </div>
                        </div>
                    }.into_any(),
                    // Closed: never beside its subscription.
                    PendingState::Refused => ().into_any(),
                }
            }))
        }}
        {move || failure.get().map(|e| view! { <ErrorNotice error=e /> })}
    }
}
