//! Small labels: a subscription's status, and the mark of one bought directly.

use leptos::prelude::*;
use shared::model::{Channel, Status, Subscription};

use crate::console::use_console;

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let console = use_console();
    let class = match status {
        Status::Active => "rc-badge rc-badge-active",
        Status::Suspended => "rc-badge rc-badge-suspended",
        // Read-only for good: one quiet colour for all the ends.
        _ => "rc-badge rc-badge-ended",
    };
    view! { <span class=class>{move || console.t().status(status)}</span> }
}

/// Direct subscriptions show their read-only mark instead of a status badge's colour.
#[component]
pub fn SubscriptionBadge(
    subscription: Subscription,
    #[prop(optional)] long: bool,
) -> impl IntoView {
    let console = use_console();
    match subscription.channel {
        Channel::Direct => view! {
            <span class="rc-badge rc-badge-direct">
                {move || if long { console.t().bought_directly_read_only } else { console.t().bought_directly }}
            </span>
        }
        .into_any(),
        Channel::Partner => view! { <StatusBadge status=subscription.status /> }.into_any(),
    }
}
