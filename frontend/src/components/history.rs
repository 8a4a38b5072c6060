//! A subscription's audit trail: who changed what, when. The activity log describes each
//! change with the same words ([`describe`], [`actor`]).

use leptos::prelude::*;
use shared::api::{EventAction, SubscriptionEvent};

use crate::console::use_console;
use crate::format;
use crate::i18n::{Lang, Text};

/// What a change did, in a sentence: "Seats 5 → 8".
pub fn describe(e: &SubscriptionEvent, t: &Text, lang: Lang) -> String {
    let (a, before) = (&e.after, &e.before);
    let mut text = match (e.action, before) {
        (EventAction::QuantityChanged, Some(b)) => (t.event_seats)(b.quantity, a.quantity),
        (EventAction::StatusChanged, Some(b)) => {
            (t.event_status)(t.status(b.status), t.status(a.status))
        }
        (EventAction::AutoRenewChanged, _) => (t.event_auto_renew)(a.auto_renew),
        (EventAction::Renewed, _) => (t.event_renewed)(
            &format::day(lang, a.commitment_end.as_deref().unwrap_or_default()),
            a.quantity,
        ),
        (EventAction::Imported, _) => (t.event_imported)(
            e.source.as_deref().unwrap_or_default(),
            a.quantity,
            &t.status(a.status).to_lowercase(),
            &format::day(lang, a.commitment_end.as_deref().unwrap_or_default()),
        ),
        (EventAction::PartnerCenterChanged, before) => {
            let mut changes = Vec::new();
            let b = before.as_ref();
            if b.is_none_or(|b| b.quantity != a.quantity) {
                changes.push((t.event_seats)(b.map_or(0, |b| b.quantity), a.quantity));
            }
            if let Some(b) = b.filter(|b| b.status != a.status) {
                changes.push((t.event_status)(t.status(b.status), t.status(a.status)));
            }
            if b.is_some_and(|b| b.auto_renew != a.auto_renew) {
                changes.push((t.event_auto_renew)(a.auto_renew));
            }
            if b.is_some_and(|b| b.commitment_end != a.commitment_end) {
                changes.push((t.event_ends)(&format::day(
                    lang,
                    a.commitment_end.as_deref().unwrap_or_default(),
                )));
            }
            (t.event_partner_center)(&changes.join("; "))
        }
        (EventAction::RenewalScheduled, _) => match &a.scheduled {
            Some(c) => (t.event_scheduled)(c.quantity, t.term(c.term)),
            None => t.event_schedule_removed.to_owned(),
        },
        _ => (t.event_created)(a.quantity),
    };
    // Seats, a suspension or auto-renew off dropped a scheduled change: said, not hidden.
    if !matches!(
        e.action,
        EventAction::RenewalScheduled
            | EventAction::Renewed
            | EventAction::Imported
            | EventAction::PartnerCenterChanged
    ) && before.as_ref().is_some_and(|b| b.scheduled.is_some())
        && a.scheduled.is_none()
    {
        text = format!("{text}; {}", t.event_schedule_removed);
    }
    text
}

/// Who made a change: the agent's e-mail, an import, or the end of a term (a renewal, or an
/// expiry and what follows), which have no agent.
pub fn actor(e: &SubscriptionEvent, t: &Text) -> String {
    match (e.agent_id, e.action) {
        (Some(_), _) => e.agent_email.clone(),
        (None, EventAction::Renewed) => t.renewal_actor.to_owned(),
        (None, EventAction::Imported) => t.import_actor.to_owned(),
        (None, EventAction::PartnerCenterChanged) => t.partner_center_actor.to_owned(),
        (None, _) => t.term_end_actor.to_owned(),
    }
}

#[component]
pub fn History(events: Vec<SubscriptionEvent>, #[prop(optional)] cut_short: bool) -> impl IntoView {
    let console = use_console();
    if events.is_empty() {
        return view! { <p class="rc-muted">{console.t().no_history}</p> }.into_any();
    }
    view! {
        <ul class="rc-history">
            {events.into_iter().rev().map(|e| {
                let (at, datetime) = (e.at.clone(), e.at.clone());
                let text = move || {
                    let t = console.t();
                    format!("{} · {}", actor(&e, t), describe(&e, t, console.lang.get()))
                };
                view! {
                    <li>
                        <time datetime=datetime>{move || format::moment(console.lang.get(), &at)}</time>
                        " · " {text}
                    </li>
                }
            }).collect_view()}
        </ul>
        {cut_short.then(|| view! { <p class="rc-muted rc-small">{console.t().older_in_csv}</p> })}
    }
    .into_any()
}
