//! *Waiting for Microsoft*, at the top of the Activity page for a partner connected to Partner
//! Center: every change and order Microsoft has not confirmed yet, and what it refused in the
//! last week, each with its state, attempts and a link to where it is dealt with. Nothing is
//! shown when nothing waits (an unconnected partner).

use leptos::prelude::*;
use shared::api::{MicrosoftQueue, OrderStage, PendingState};

use crate::components::pending_change::what_from;
use crate::console::use_console;
use crate::i18n::Text;
use crate::routes;

fn state_badge(state: PendingState, t: &Text) -> (&'static str, &'static str) {
    match state {
        PendingState::Pending => ("rc-badge rc-badge-waiting", t.waiting_badge),
        PendingState::Failed => ("rc-badge rc-badge-waiting", t.failed_badge),
        PendingState::Refused => ("rc-badge rc-badge-missing", t.refused_badge),
    }
}

#[component]
pub fn MicrosoftQueueList() -> impl IntoView {
    let console = use_console();
    let queue = LocalResource::new(move || async move { console.api().microsoft_queue().await });
    view! {
        <Suspense fallback=|| ()>
            {move || queue.get().and_then(Result::ok).filter(|q: &MicrosoftQueue| !q.changes.is_empty() || !q.orders.is_empty()).map(|q| {
                let t = console.t();
                let changes = q.changes.into_iter().map(|c| {
                    let (class, badge) = state_badge(c.change.state, t);
                    let what = what_from(c.from_quantity, c.from_status, &c.change, t);
                    let attempts = (t.attempts_so_far)(c.change.attempts);
                    view! {
                        <li>
                            <a href=console.href(&routes::subscription(c.subscription_id))>
                                <strong>{c.customer_name}</strong> " · " {c.offer_name}
                            </a>
                            " " <span class=class>{badge}</span>
                            <span class="rc-muted rc-small rc-queue-detail">{what} ". " {attempts} " " {c.change.last_error.unwrap_or_default()}</span>
                        </li>
                    }
                }).collect_view();
                let orders = q.orders.into_iter().map(|o| {
                    let (class, badge) = state_badge(o.order.state, t);
                    let stage = match o.order.stage {
                        OrderStage::Cart => t.stage_cart,
                        OrderStage::Checkout => t.stage_checkout,
                        OrderStage::Provisioning => t.stage_provisioning,
                    };
                    let attempts = (t.attempts_so_far)(o.order.attempts);
                    let href = console.href(&routes::new_subscription(o.order.customer_id));
                    view! {
                        <li>
                            <a href=href>
                                <strong>{o.customer_name}</strong> " · " {(t.order_of)(o.order.quantity, &o.offer_name)}
                            </a>
                            " " <span class=class>{badge}</span>
                            <span class="rc-muted rc-small rc-queue-detail">{stage} " " {attempts} " " {o.order.last_error.unwrap_or_default()}</span>
                        </li>
                    }
                }).collect_view();
                view! {
                    <section class="rc-card rc-queue" aria-labelledby="rc-queue-title">
                        <h2 id="rc-queue-title">{t.queue_title}</h2>
                        <p class="rc-muted rc-small">{t.queue_note}</p>
                        <ul>{changes}{orders}</ul>
                    </section>
                }
            })}
        </Suspense>
    }
}
