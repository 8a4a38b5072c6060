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
                let (after, before) = (e.after.clone(), e.before.clone());
                let what = move || {
                    let (t, lang) = (console.t(), console.lang.get());
                    let a = &after;
                    let mut text = match (e.action, &before) {
                        (EventAction::QuantityChanged, Some(b)) => (t.event_seats)(b.quantity, a.quantity),
                        (EventAction::StatusChanged, Some(b)) => (t.event_status)(t.status(b.status), t.status(a.status)),
                        (EventAction::AutoRenewChanged, _) => (t.event_auto_renew)(a.auto_renew),
                        (EventAction::Renewed, _) => (t.event_renewed)(
                            &format::day(lang, a.commitment_end.as_deref().unwrap_or_default()),
                            a.quantity,
                        ),
                        (EventAction::RenewalScheduled, _) => match &a.scheduled {
                            Some(c) => (t.event_scheduled)(c.quantity, t.term(c.term)),
                            None => t.event_schedule_removed.to_owned(),
                        },
                        _ => (t.event_created)(a.quantity),
                    };
                    // Seats, a suspension or auto-renew off dropped a scheduled change: said, not hidden.
                    if !matches!(e.action, EventAction::RenewalScheduled | EventAction::Renewed)
                        && before.as_ref().is_some_and(|b| b.scheduled.is_some())
                        && a.scheduled.is_none()
                    {
                        text = format!("{text}; {}", t.event_schedule_removed);
                    }
                    text
                };
                let at = e.at.clone();
                // No agent: the end of a term did it (a renewal, or an expiry and what follows).
                let by_term_end = e.agent_id.is_none();
                let renewed = e.action == EventAction::Renewed;
                let who = e.agent_email.clone();
                view! {
                    <li>
                        <time datetime=e.at.clone()>{move || format::moment(console.lang.get(), &at)}</time>
                        " · "
                        {move || match (by_term_end, renewed) {
                            (true, true) => console.t().renewal_actor.to_owned(),
                            (true, false) => console.t().term_end_actor.to_owned(),
                            _ => who.clone(),
                        }}
                        " · " {what}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
