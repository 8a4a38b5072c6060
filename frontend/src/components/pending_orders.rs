//! A customer's orders sent to Microsoft that Partner Center has not confirmed yet (connected
//! partners): what each buys, how far it got (cart, checkout, provisioning), who asked, the
//! attempts — and *Send again* or *Give the order up*. While one waits, the list is read again
//! every few seconds, so the page shows Microsoft's answer without a reload.

use leptos::prelude::*;
use shared::api::{OrderStage, PendingOrder, PendingState};
use shared::ids::CustomerId;
use shared::model::Offer;

use crate::api::{ApiError, OrderOutcome};
use crate::components::focus_soon;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;

/// Seconds between two reads of the list while an order waits.
const POLL_SECONDS: u64 = 5;

#[component]
pub fn PendingOrders(
    customer: CustomerId,
    offers: StoredValue<Vec<Offer>>,
    orders: RwSignal<Vec<PendingOrder>>,
    /// Said after an answer, a retry or a discard (announced, focusable).
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let waiting = move || orders.with(|all| all.iter().any(|o| o.state == PendingState::Pending));
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !waiting() || busy.get_untracked() {
                return;
            }
            leptos::task::spawn_local(async move {
                if let Ok(now) = console.api().pending_orders(customer).await {
                    let answered = orders.with_untracked(|before| {
                        before.iter().any(|o| now.iter().all(|n| n.id != o.id))
                    });
                    orders.set(now);
                    if answered {
                        message.set(Some(console.t().order_answered.to_owned()));
                    }
                }
            });
        },
        std::time::Duration::from_secs(POLL_SECONDS),
    ) {
        on_cleanup(move || handle.clear());
    }
    let act = move |id: String, discard: bool| {
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let api = console.api();
            let answer = api.act_on_pending_order(customer, &id, discard).await;
            let t = console.t();
            let said = match &answer {
                Ok(None) => Some(t.order_discarded),
                Ok(Some(OrderOutcome::Created(_))) => Some(t.order_confirmed),
                Ok(Some(OrderOutcome::Waiting(_))) => Some(t.order_sent_waiting),
                Err(_) => None,
            };
            // However it ended (refused by Microsoft, answered meanwhile), show the list as it is.
            if let Ok(now) = api.pending_orders(customer).await {
                orders.set(now);
            }
            busy.set(false);
            match said {
                Some(text) => {
                    message.set(Some(text.to_owned()));
                    focus_soon(".rc-order-message");
                }
                None => failure.set(answer.err()),
            }
        });
    };
    view! {
        <Show when=move || orders.with(|o| !o.is_empty())>
            <section class="rc-pending-orders" aria-labelledby="rc-pending-orders-title">
                <h2 id="rc-pending-orders-title">{move || console.t().pending_orders_title}</h2>
                <ul>
                    {move || orders.get().into_iter().map(|o| {
                        let (t, lang) = (console.t(), console.lang.get());
                        let name = offers.with_value(|all| {
                            all.iter().find(|x| x.id == o.offer_id).map_or_else(|| o.offer_id.0.clone(), |x| x.name.clone())
                        });
                        let stage = match o.stage {
                            OrderStage::Cart => t.stage_cart,
                            OrderStage::Checkout => t.stage_checkout,
                            OrderStage::Provisioning => t.stage_provisioning,
                        };
                        let asked = (t.pending_detail)(&o.requested_by, &format::moment(lang, &o.requested_at), o.attempts);
                        let last = o.last_error.as_deref().map(|e| (t.pending_last_error)(e));
                        let failed = o.state == PendingState::Failed;
                        let (retry_id, discard_id) = (o.id.clone(), o.id.clone());
                        view! {
                            <li><div class="rc-callout" class:rc-info=!failed class:rc-warn=failed class:rc-failed=failed class:rc-pending=!failed
                                role=if failed { "alert" } else { "status" }>
                                <p><strong>{if failed { (t.order_failed_title)(&name, o.quantity) } else { (t.order_pending_title)(&name, o.quantity) }}</strong></p>
                                <p>{stage} " " {asked}</p>
                                {last.map(|l| view! { <p class="rc-muted">{l}</p> })}
                                {o.next_attempt_at.clone().map(|n| view! { <p class="rc-muted">{(t.pending_next)(&format::moment(lang, &n))}</p> })}
                                {failed.then(|| view! {
                                    <div class="rc-buttons">
                                        <button type="button" class="rc-primary rc-send-again" disabled=move || busy.get()
                                            on:click=move |_| act(retry_id.clone(), false)>{t.send_again}</button>
                                        <button type="button" class="rc-discard" disabled=move || busy.get()
                                            on:click=move |_| act(discard_id.clone(), true)>{t.discard_order}</button>
                                    </div>
                                })}
                            </div></li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        {move || failure.get().map(|e| view! { <ErrorNotice error=e /> })}
    }
}
