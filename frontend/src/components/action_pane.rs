//! The action pane beside the customer list: the selected customer's subscriptions, and the
//! way to order new ones.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::api::SubscriptionView;
use shared::ids::{CustomerId, SubscriptionId};
use shared::model::{Channel, Status};

use crate::components::badges::SubscriptionBadge;
use crate::components::loading::Loading;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;
use crate::routes;

#[component]
pub fn ActionPane(
    customer: CustomerId,
    #[prop(into)] new_subscription: Signal<Option<SubscriptionId>>,
    /// Closes the pane (back to the list): the "All customers" button, shown on narrow screens.
    on_close: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    let navigate = use_navigate();
    let data = LocalResource::new(move || async move {
        let api = console.api();
        let customer = api.customer(customer).await?;
        let subscriptions = api.customer_subscriptions(customer.id).await?;
        // A connected partner's orders still waiting for Microsoft (none otherwise).
        let waiting = api.pending_order_count(customer.id).await?;
        Ok::<_, crate::api::ApiError>((customer, subscriptions, waiting))
    });
    let order_refusal = move || console.refusal(shared::roles::Permission::Order);
    let add = move |_| {
        navigate(
            &console.href(&routes::new_subscription(customer)),
            NavigateOptions {
                resolve: false,
                ..Default::default()
            },
        );
    };
    view! {
        <aside class="rc-card rc-pane" aria-live="polite">
            <button type="button" class="rc-back" on:click=move |_| on_close.run(())>
                {console.t().all_customers}
            </button>
            <Suspense fallback=Loading>
                {move || data.get().map(|result| match result {
                    Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| data.refetch()) /> }.into_any(),
                    Ok((customer, subscriptions, waiting)) => {
                        let count = subscriptions.len();
                        view! {
                            <h2 class="rc-pane-title">
                                <span>{customer.name.clone()}</span>
                                <span class="rc-muted rc-small">{move || (console.t().subscription_count)(count)}</span>
                            </h2>
                            <p class="rc-muted rc-small rc-pane-domain">{customer.domain.clone()}</p>
                            {if subscriptions.is_empty() {
                                view! { <p class="rc-muted">{console.t().no_subscriptions}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="rc-subscriptions" aria-label=console.t().col_subscriptions>
                                        {subscriptions.into_iter().map(|s| view! { <SubscriptionCard view=s new_subscription /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {(waiting > 0).then(|| view! {
                                <a class="rc-callout rc-info rc-orders-waiting" href=console.href(&routes::new_subscription(customer.id))>
                                    {move || (console.t().orders_waiting)(waiting)}
                                </a>
                            })}
                            <button type="button" class="rc-primary rc-wide" on:click=add.clone()
                                disabled=move || order_refusal().is_some()
                                aria-describedby="rc-add-why">
                                {console.t().add_subscriptions}
                            </button>
                            <p id="rc-add-why" class="rc-why">{order_refusal}</p>
                            <a class="rc-pane-statement" href=console.href(&routes::statement(customer.id, ""))>{console.money().statement}</a>
                        }.into_any()
                    }
                })}
            </Suspense>
        </aside>
    }
}

#[component]
fn SubscriptionCard(
    view: SubscriptionView,
    new_subscription: Signal<Option<SubscriptionId>>,
) -> impl IntoView {
    let console = use_console();
    let s = view.subscription;
    let removable = view.reducible_seats.total_quantity;
    let pending = view.pending_change.as_ref().map(|p| p.state);
    let missing = s.missing_at_partner_center.is_some();
    let id = s.id;
    let is_new = move || new_subscription.get() == Some(id);
    let href = console.href(&routes::subscription(id));
    let (quantity, term) = (s.quantity, s.commitment_end.clone());
    let offer_term = s.term;
    let renewal = {
        let (status, channel, auto_renew) = (s.status, s.channel, s.auto_renew);
        move || {
            let t = console.t();
            match (channel, status, auto_renew) {
                (Channel::Direct, _, _) => String::new(),
                (_, Status::Active, true) => (t.renews)(&format::day(console.lang.get(), &term)),
                (_, Status::Active, false) => {
                    (t.expires_badge)(&format::day(console.lang.get(), &term))
                }
                (_, Status::Suspended, _) => t.auto_renew_off.to_owned(),
                // Ended: the badge says it all.
                _ => String::new(),
            }
        }
    };
    view! {
        <li>
            <a class="rc-sub" class:rc-sub-new=is_new href=href>
                <span class="rc-line">
                    <strong>{s.offer_name.clone()}</strong>
                    <span class="rc-badges">
                        {move || is_new().then(|| view! { <span class="rc-badge rc-badge-new">{console.t().new_badge}</span> })}
                        <SubscriptionBadge subscription=s.clone() long=true />
                        {pending.map(|state| view! {
                            <span class="rc-badge rc-badge-waiting">{move || match state {
                                shared::api::PendingState::Pending => console.t().waiting_badge,
                                // (a refused change is never beside its subscription)
                                _ => console.t().failed_badge,
                            }}</span>
                        })}
                        {missing.then(|| view! { <span class="rc-badge rc-badge-missing">{move || console.t().missing_badge}</span> })}
                        {(removable > 0).then(|| view! {
                            <span class="rc-badge rc-badge-removable">{move || (console.t().removable_badge)(removable)}</span>
                        })}
                    </span>
                </span>
                <span class="rc-line rc-muted">
                    <span>
                        {move || (console.t().seats)(quantity)}
                        " · "
                        {move || console.t().term(offer_term)}
                    </span>
                    <span>{renewal}</span>
                </span>
            </a>
        </li>
    }
}
