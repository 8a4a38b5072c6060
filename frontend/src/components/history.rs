//! A subscription's audit trail: who changed what, when.

use leptos::prelude::*;
use shared::api::{EventAction, SubscriptionEvent};

use crate::console::use_console;
use crate::format;

#[component]
pub fn History(events: Vec<SubscriptionEvent>) -> impl IntoView {
    let console = use_console();
    if events.is_empty() {
        return view! { <p class="rc-muted">{move || console.t().no_history}</p> }.into_any();
    }
    view! {
        <ul class="rc-history">
            {events.into_iter().rev().map(|e| {
                let what = move || {
                    let t = console.t();
                    match (e.action, e.before) {
                        (EventAction::QuantityChanged, Some(b)) => (t.event_seats)(b.quantity, e.after.quantity),
                        (EventAction::StatusChanged, Some(b)) => (t.event_status)(t.status(b.status), t.status(e.after.status)),
                        (EventAction::AutoRenewChanged, _) => (t.event_auto_renew)(e.after.auto_renew),
                        _ => (t.event_created)(e.after.quantity),
                    }
                };
                let at = e.at.clone();
                view! {
                    <li>
                        <time datetime=e.at.clone()>{move || format::moment(console.lang.get(), &at)}</time>
                        " · " {e.agent_email.clone()} " · " {what}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
