//! What every form that changes a subscription shares: send the change based on the version
//! the agent sees, and sort the answer into saved, conflict (show what is there now, keep the
//! input, let the agent apply it again) or failure (in words; retry when it was the network).

use leptos::prelude::*;
use shared::api::{ChangeSubscriptionRequest, ErrorCode, SubscriptionView};

use crate::action::action_then;
use crate::api::ApiError;
use crate::console::use_console;

#[derive(Clone, Copy)]
pub struct Change {
    current: RwSignal<SubscriptionView>,
    action: Action<(u64, ChangeSubscriptionRequest), Result<SubscriptionView, ApiError>>,
    /// The last attempt was refused because someone else changed the subscription first.
    pub conflict: RwSignal<bool>,
    pub failure: RwSignal<Option<ApiError>>,
    /// Saved: the form closes over a subscription that already has the new values, so its rule
    /// messages ("already has …") stay quiet meanwhile.
    pub saved: RwSignal<bool>,
}

impl Change {
    pub fn new(current: RwSignal<SubscriptionView>, on_saved: Callback<SubscriptionView>) -> Self {
        let console = use_console();
        let (conflict, failure, saved) = (
            RwSignal::new(false),
            RwSignal::new(None),
            RwSignal::new(false),
        );
        let action = action_then(
            move |(version, request): &(u64, ChangeSubscriptionRequest)| {
                let (id, version, request) = (
                    current.get_untracked().subscription.id,
                    *version,
                    request.clone(),
                );
                async move {
                    console
                        .api()
                        .change_subscription(id, version, &request)
                        .await
                }
            },
            move |answer: &Result<SubscriptionView, ApiError>| match answer {
                Ok(now) => {
                    saved.set(true);
                    current.set(now.clone());
                    on_saved.run(now.clone());
                }
                Err(ApiError::Refused(body)) if body.code == ErrorCode::VersionConflict => {
                    if let Some(now) = &body.current {
                        current.set((**now).clone());
                    }
                    conflict.set(true);
                }
                Err(e) => failure.set(Some(e.clone())),
            },
        );
        Change {
            current,
            action,
            conflict,
            failure,
            saved,
        }
    }

    /// Sends `request` based on the version shown now.
    pub fn send(&self, request: ChangeSubscriptionRequest) {
        self.conflict.set(false);
        self.failure.set(None);
        self.action
            .dispatch((self.current.get_untracked().subscription.version, request));
    }

    pub fn pending(&self) -> Memo<bool> {
        self.action.pending()
    }

    /// The submit button's words: progress, "apply again" after a conflict, or `idle`.
    pub fn submit_label(
        &self,
        idle: fn(&'static crate::i18n::Text) -> &'static str,
    ) -> impl Fn() -> &'static str + use<> {
        let (console, pending, conflict) = (use_console(), self.pending(), self.conflict);
        move || {
            let t = console.t();
            if pending.get() {
                t.saving
            } else if conflict.get() {
                t.apply_again
            } else {
                idle(t)
            }
        }
    }
}

/// After a conflict: what the subscription is now. The agent's input stays in the form.
#[component]
pub fn ConflictNotice(change: Change, current: RwSignal<SubscriptionView>) -> impl IntoView {
    let console = use_console();
    move || {
        change.conflict.get().then(|| {
            let s = current.get().subscription;
            view! {
                <div class="rc-callout rc-warn" role="alert">
                    {move || (console.t().conflict)(s.quantity, &console.t().status(s.status).to_lowercase())}
                </div>
            }
        })
    }
}
