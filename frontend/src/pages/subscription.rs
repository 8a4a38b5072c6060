//! The Subscriptions page of one subscription: its details, *Edit quantity*, *Change status*,
//! and its history. The URL names the subscription, so it can be shared and reloaded.

use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use shared::api::SubscriptionView;
use shared::ids::SubscriptionId;
use shared::model::{Channel, Status};
use shared::permissions::{SubscriptionAction, UnavailableAction};

use crate::api::ApiError;
use crate::components::badges::SubscriptionBadge;
use crate::components::change::Change;
use crate::components::focus_soon;
use crate::components::history::History;
use crate::components::loading::Loading;
use crate::components::notice::{Confirmation, ErrorNotice, FailureNotice};
use crate::components::pending_change::PendingChangeNotice;
use crate::components::renewal_form::RenewalForm;
use crate::components::seat_form::SeatForm;
use crate::components::seat_history::SeatHistory;
use crate::components::status_form::StatusForm;
use crate::console::use_console;
use crate::format;
use crate::i18n::unavailable_reason;
use crate::routes::ListLocation;

/// `/subscriptions/:subscription`; an id that does not parse is a subscription not found.
#[derive(Params, Clone, Debug, PartialEq)]
struct SubscriptionParams {
    subscription: Option<SubscriptionId>,
}

#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let console = use_console();
    let params = use_params::<SubscriptionParams>();
    let id = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.subscription)));
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => console.api().subscription(id).await,
                None => Err(ApiError::not_found("subscription")),
            }
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || loaded.get().map(|r| match r {
                Ok(view) => view! { <SubscriptionDetails initial=view /> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| loaded.refetch()) /> }.into_any(),
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Editing {
    Nothing,
    Seats,
    Status,
    Renewal,
}

#[component]
fn SubscriptionDetails(initial: SubscriptionView) -> impl IntoView {
    let console = use_console();
    let current = RwSignal::new(initial);
    let editing = RwSignal::new(Editing::Nothing);
    let confirmation = RwSignal::new(None::<String>);
    // Each version has its own history: a save, or someone else's change seen in a conflict,
    // loads it again.
    let events = LocalResource::new(move || {
        let (id, _version) = current.with(|c| (c.subscription.id, c.subscription.version));
        async move { console.api().events(id).await }
    });
    let saved = Callback::new(move |view: SubscriptionView| {
        let t = console.t();
        let s = &view.subscription;
        let message = match editing.get_untracked() {
            // Connected to Partner Center, which has not answered yet.
            _ if view.pending_change.is_some() => t.sent_waiting.to_owned(),
            Editing::Status if s.status == Status::Suspended => t.now_suspended.to_owned(),
            Editing::Status if s.status == Status::Cancelled => t.now_cancelled.to_owned(),
            Editing::Status => t.now_active.to_owned(),
            Editing::Renewal if s.scheduled.is_some() => t.schedule_saved.to_owned(),
            Editing::Renewal => t.schedule_removed.to_owned(),
            _ => (t.seats_changed)(s.quantity),
        };
        confirmation.set(Some(message));
        editing.set(Editing::Nothing);
        focus_soon(".rc-live .rc-callout");
    });
    // Closing a form gives the focus back to the button that opened it.
    let cancel = Callback::new(move |()| {
        focus_soon(match editing.get_untracked() {
            Editing::Status => ".rc-change-status",
            Editing::Renewal => ".rc-manage-renewal",
            _ => ".rc-edit-quantity",
        });
        editing.set(Editing::Nothing);
    });
    // The auto-renew switch applies at once (it can be switched back as easily).
    let renewed = Callback::new(move |view: SubscriptionView| {
        let t = console.t();
        let message = if view.pending_change.is_some() {
            t.sent_waiting
        } else if view.subscription.auto_renew {
            t.auto_renew_now_on
        } else {
            t.auto_renew_now_off
        };
        confirmation.set(Some(message.to_owned()));
        editing.set(Editing::Nothing);
        // The button was disabled while saving, which dropped the focus: it goes back.
        focus_soon(".rc-auto-renew");
    });
    let renew = Change::new(current, renewed);
    let renew_pending = renew.pending();
    let switch_renewal = move || {
        confirmation.set(None);
        let on = current.with_untracked(|c| c.subscription.auto_renew);
        renew.send(shared::api::ChangeSubscriptionRequest::auto_renew(!on));
    };
    // Opening a form moves the focus into it, to its first field.
    let open = move |what: Editing| {
        confirmation.set(None);
        editing.set(what);
        focus_soon(match what {
            Editing::Status => "#rc-status",
            Editing::Renewal => "#rc-renewal-seats",
            _ => "#rc-seats",
        });
    };

    // Why an action is not possible, in the agent's language; None when it is possible.
    let reason = move |action: SubscriptionAction| -> Option<String> {
        current.with(|c| {
            if c.allowed_actions.contains(&action) {
                return None;
            }
            c.unavailable_actions
                .iter()
                .find(|u: &&UnavailableAction| u.action == action)
                .map(|u| match u.code {
                    // The role's refusal is worked out here, from the same table, in any language.
                    shared::ErrorCode::RoleNotAllowed => console
                        .refusal(shared::roles::Permission::Change)
                        .unwrap_or_else(|| u.reason.clone()),
                    // Refusals that need the subscription's own facts, in the agent's language.
                    shared::ErrorCode::SubscriptionEnded => shared::RuleError::SubscriptionEnded {
                        status: c.subscription.status,
                    }
                    .message(console.lang.get()),
                    // The notice above says what waits; each action says so in a word.
                    shared::ErrorCode::ChangeWaitingForMicrosoft => match &c.pending_change {
                        Some(p) if p.state == shared::api::PendingState::Failed => {
                            console.t().failed_badge.to_owned()
                        }
                        _ => console.t().waiting_badge.to_owned(),
                    },
                    shared::ErrorCode::AutoRenewOff => {
                        shared::RuleError::ScheduleNeedsAutoRenew.message(console.lang.get())
                    }
                    code => unavailable_reason(console.lang.get(), code, &u.reason),
                })
        })
    };
    let seats_reason = move || reason(SubscriptionAction::ChangeQuantity);
    // Change status opens when any status change is possible; else it says why the usual one
    // (suspend or activate) is not.
    let status_reason = move || {
        let (status, any) = current.with(|c| {
            let any = [
                SubscriptionAction::Suspend,
                SubscriptionAction::Activate,
                SubscriptionAction::Cancel,
            ]
            .iter()
            .any(|a| c.allowed_actions.contains(a));
            (c.subscription.status, any)
        });
        if any {
            return None;
        }
        reason(match status {
            Status::Suspended => SubscriptionAction::Activate,
            _ => SubscriptionAction::Suspend,
        })
    };
    let renewal_reason = move || reason(SubscriptionAction::ManageRenewal);
    // The page's clock: the server's time of the view, moved on by the browser's, so the
    // windows count down without asking the server.
    let loaded_at = Memo::new(move |_| {
        current.with(|c| c.as_of.len());
        js_sys::Date::now()
    });
    let tick = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t = t.wrapping_add(1)),
        std::time::Duration::from_secs(20),
    ) {
        on_cleanup(move || handle.clear());
    }
    let now = move || {
        tick.track();
        let elapsed = ((js_sys::Date::now() - loaded_at.get()) / 1000.0) as i64;
        current.with(|c| c.as_of_unix()) + elapsed.max(0)
    };
    // "renews on 15 Mar 2027 (in 108 days)", "expires on …", "is disabled on …".
    let term_line = move || {
        let (t, lang) = (console.t(), console.lang.get());
        current.with(|c| {
            let s = &c.subscription;
            let today = c.as_of.get(0..10).unwrap_or_default();
            let line = match shared::lifecycle::next_step(s) {
                None if s.status == Status::Cancelled => t.cancelled_for_good.to_owned(),
                None => t.status(s.status).to_lowercase(),
                Some((step, at)) => {
                    use shared::lifecycle::Step;
                    let day = match step {
                        Step::Renewed | Step::Expired => s.commitment_end.clone(),
                        _ => shared::calendar::rfc3339(at)[..10].to_owned(),
                    };
                    let days = shared::renewals::days_between(today, &day)
                        .unwrap_or(0)
                        .max(0);
                    let when = (t.days_left)(u32::try_from(days).unwrap_or(u32::MAX));
                    let shown = format::day(lang, &day);
                    (match step {
                        Step::Renewed => t.renews_on,
                        Step::Expired => t.expires_on,
                        Step::Disabled => t.disabled_on,
                        Step::Deleted => t.deleted_on,
                    })(&shown, &when)
                }
            };
            let billed = match s.billing_cycle {
                shared::model::BillingCycle::Monthly => t.billed_monthly,
                shared::model::BillingCycle::Annual => t.billed_annually,
            };
            format!("{}, {billed} · {line}", t.term(s.term))
        })
    };
    let at_renewal = move || {
        let (t, lang) = (console.t(), console.lang.get());
        current.with(|c| {
            let s = &c.subscription;
            match &s.scheduled {
                None => t.renews_unchanged.to_owned(),
                Some(n) => {
                    let cost = u64::from(s.price_per_seat_cents) * u64::from(n.quantity);
                    (t.scheduled_value)(
                        n.quantity,
                        t.term(n.term),
                        &format::money(lang, cost, &s.currency),
                    )
                }
            }
        })
    };
    let renew_reason = move || reason(SubscriptionAction::SwitchAutoRenew);
    let s = move || current.get().subscription;
    let live = move || current.with(|c| c.subscription.status.is_live());
    let renewing = move || {
        current.with(|c| c.subscription.status == Status::Active && c.subscription.auto_renew)
    };
    let customer_href = move || console.href(&ListLocation::customer(s().customer_id).path());

    view! {
        <nav class="rc-breadcrumb rc-muted" aria-label="Breadcrumb">
            <a href=move || console.href("/")>{console.t().back_to_customers}</a>
            " › "
            <a href=customer_href>{move || s().customer_name}</a>
            " ›"
        </nav>
        <h1 class="rc-title">
            {move || s().offer_name} " "
            {move || view! { <SubscriptionBadge subscription=s() long=true /> }}
        </h1>
        <Confirmation message=confirmation />
        <PendingChangeNotice current confirmation />
        {move || s().missing_at_partner_center.map(|when| view! {
            <p class="rc-callout rc-info rc-missing">{(console.t().missing_explained)(&format::moment(console.lang.get(), &when))}</p>
        })}
        <div class="rc-card">
            <dl class="rc-details">
                <dt>{console.t().customer}</dt>
                <dd>{move || s().customer_name}</dd>
                <dt>{console.t().seats_label}</dt>
                <dd class="rc-seats-value">{move || { let s = s(); (console.t().seats_value)(s.quantity, s.min_quantity, s.max_quantity) }}</dd>
                <dt>{console.t().status}</dt>
                <dd class="rc-status-value">{move || console.t().status(s().status)}</dd>
                <dt>{console.t().bought}</dt>
                <dd>{move || match s().channel {
                    Channel::Partner => (console.t().through_partner)(&console.agent().map(|i| i.partner.name).unwrap_or_default()),
                    Channel::Direct => console.t().bought_directly.to_owned(),
                }}</dd>
                <dt>{console.t().term_label}</dt>
                <dd class="rc-term-value">{term_line}</dd>
                <dt>{console.t().auto_renew}</dt>
                <dd>{move || if s().auto_renew { console.t().on } else { console.t().off }}</dd>
                // What the renewal brings, only where one comes.
                {move || renewing().then(|| view! {
                    <dt>{console.t().at_renewal}</dt>
                    <dd class="rc-scheduled-value">{at_renewal}</dd>
                })}
                <dt>{console.t().created}</dt>
                <dd>{move || format::moment(console.lang.get(), &s().created_at)}</dd>
                {move || live().then(|| view! {
                <dt>{console.t().removable_seats}</dt>
                <dd class="rc-removable">{move || current.with(|v| {
                    let (t, lang) = (console.t(), console.lang.get());
                    if v.reducible_seats.details.is_empty() {
                        return t.none_removable.to_owned();
                    }
                    let now = now();
                    v.reducible_seats.details.iter()
                        .map(|d| {
                            let left = shared::calendar::parse_rfc3339(&d.allowed_until).unwrap_or(0) - now;
                            format!("{} ({})", (t.removable_until)(d.quantity, &format::moment(lang, &d.allowed_until)), (t.time_left)(left))
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })}</dd>
                })}
            </dl>

            // An ended subscription says once why nothing can change, instead of four times.
            <Show when=live fallback=move || view! { <p class="rc-callout rc-info rc-ended">{seats_reason}</p> }>
            <div class="rc-actions">
                <div class="rc-action">
                    <button type="button" class="rc-edit-quantity" disabled=move || seats_reason().is_some()
                        aria-expanded=move || (editing.get() == Editing::Seats).to_string()
                        aria-describedby="rc-seats-why"
                        on:click=move |_| open(Editing::Seats)>
                        {console.t().edit_quantity}
                    </button>
                    <p id="rc-seats-why" class="rc-why">{seats_reason}</p>
                </div>
                <div class="rc-action">
                    <button type="button" class="rc-change-status" disabled=move || status_reason().is_some()
                        aria-expanded=move || (editing.get() == Editing::Status).to_string()
                        aria-describedby="rc-status-why"
                        on:click=move |_| open(Editing::Status)>
                        {console.t().change_status}
                    </button>
                    <p id="rc-status-why" class="rc-why">{status_reason}</p>
                </div>
                <div class="rc-action">
                    <button type="button" class="rc-auto-renew" disabled=move || renew_reason().is_some() || renew_pending.get()
                        aria-describedby="rc-auto-renew-why" on:click=move |_| switch_renewal()>
                        {move || if s().auto_renew { console.t().turn_auto_renew_off } else { console.t().turn_auto_renew_on }}
                    </button>
                    <p id="rc-auto-renew-why" class="rc-why">
                        {renew_reason}
                        // Turning it off drops the scheduled change: said before the click.
                        {move || (renew_reason().is_none() && current.with(|c| c.subscription.auto_renew && c.subscription.scheduled.is_some()))
                            .then(|| console.t().drops_schedule)}
                    </p>
                </div>
                <div class="rc-action">
                    <button type="button" class="rc-manage-renewal" disabled=move || renewal_reason().is_some()
                        aria-expanded=move || (editing.get() == Editing::Renewal).to_string()
                        aria-describedby="rc-renewal-why"
                        on:click=move |_| open(Editing::Renewal)>
                        {console.t().manage_renewal}
                    </button>
                    <p id="rc-renewal-why" class="rc-why">{renewal_reason}</p>
                </div>
            </div>
            </Show>
            <div aria-live="assertive">
                <FailureNotice failure=renew.failure retry=Callback::new(move |_| switch_renewal()) />
            </div>

            {move || match editing.get() {
                Editing::Seats => view! { <SeatForm current on_saved=saved on_cancel=cancel /> }.into_any(),
                Editing::Status => view! { <StatusForm current on_saved=saved on_cancel=cancel /> }.into_any(),
                Editing::Renewal => view! { <RenewalForm current on_saved=saved on_cancel=cancel /> }.into_any(),
                Editing::Nothing => ().into_any(),
            }}

            <div class="rc-history-head">
                <h2 class="rc-history-title">{console.t().history}</h2>
                <a class="rc-download" download
                    href=move || console.api().events_csv_url(current.with(|c| c.subscription.id))>
                    {console.t().download_csv}
                </a>
            </div>
            <Transition fallback=Loading>
                {move || events.get().map(|r| match r {
                    Ok(page) => {
                        let (created_at, seats_now) = current.with_untracked(|c| {
                            (c.subscription.created_at.clone(), c.subscription.quantity)
                        });
                        let (list, cut_short) = (page.items, page.earlier.is_some());
                        view! {
                            <SeatHistory created_at seats_now events=list.clone() />
                            <History events=list cut_short />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| events.refetch()) /> }.into_any(),
                })}
            </Transition>
        </div>
    }
}
