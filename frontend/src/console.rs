//! What every page shares: the API client, where the console lives, the language and the
//! session — the `Console` context that `ConsoleApp` provides.

use leptos::prelude::*;
use shared::api::SessionInfo;
use shared::model::Role;
use shared::roles::{Permission, role_allows};
use shared::rules::ensure_allowed;

use crate::Options;
use crate::api::Api;
use crate::i18n::{Lang, Text};

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    Checking,
    /// `expired`: the agent was signed in and the server no longer accepts the session.
    SignedOut {
        expired: bool,
    },
    SignedIn(SessionInfo),
}

/// What every page needs: the API, where the console lives, the language and the session.
#[derive(Clone, Copy)]
pub struct Console {
    api: StoredValue<Api>,
    base: StoredValue<String>,
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<SessionState>,
}

impl Console {
    pub fn new(options: &Options) -> Self {
        let session = RwSignal::new(SessionState::Checking);
        // An ended session sends the agent to sign-in, and back. Deferred to a microtask: an
        // answer may arrive while a page is being built, and swapping the page for the
        // sign-in form then would dispose signals still in use.
        let api = Api::new(&options.api_base).on_session_ended(move || {
            queue_microtask(move || {
                if let Some(SessionState::SignedIn(_)) = session.try_get_untracked() {
                    session.set(SessionState::SignedOut { expired: true });
                }
            });
        });
        Console {
            api: StoredValue::new(api),
            base: StoredValue::new(options.base_path.clone()),
            lang: RwSignal::new(options.language),
            session,
        }
    }

    pub fn api(&self) -> Api {
        self.api.get_value()
    }

    /// The strings of the current language. Not reactive: a change of language renders the
    /// console anew (`app.rs`), so views take their words once instead of each holding a
    /// closure to watch the language (hundreds of them: ~7 KB of the app as sent).
    pub fn t(&self) -> &'static Text {
        crate::i18n::text(self.lang.get_untracked())
    }

    /// The words of the money pages in the current language (not reactive, as [`Console::t`]).
    pub fn money(&self) -> &'static crate::i18n::money::MoneyText {
        crate::i18n::money(self.lang.get_untracked())
    }

    /// A console path as a link under the base path: `/subscriptions/1` → `/admin/subscriptions/subscriptions/1`.
    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.base.get_value())
    }

    /// The console's own part of a URL path: `/admin/subscriptions/team` → `/team`. A path
    /// outside the base (a host mounted the console on another of its pages) is the console's
    /// home, the customer list: `/`.
    pub fn own_path(&self, path: &str) -> String {
        self.base
            .with_value(|base| match crate::routes::below_base(path, base) {
                Some(own) if !own.is_empty() => own.to_owned(),
                _ => "/".to_owned(),
            })
    }

    /// Whether a URL path is the console's (at or below its base).
    pub fn owns(&self, path: &str) -> bool {
        self.base
            .with_value(|base| crate::routes::below_base(path, base).is_some())
    }

    /// The signed-in agent, without subscribing: pages are rebuilt for each agent, so inside
    /// them it never changes (and a page must not react to the session ending under it).
    pub fn agent(&self) -> Option<SessionInfo> {
        self.session.with_untracked(|s| match s {
            SessionState::SignedIn(info) => Some(info.clone()),
            _ => None,
        })
    }

    fn role(&self) -> Role {
        self.agent().map_or(Role::ReadOnly, |s| s.agent.role)
    }

    /// Why this agent's role may not do `permission`, in its language (reactive); `None` when
    /// it may. The table is `shared::roles`, the one the server enforces.
    pub fn refusal(&self, permission: Permission) -> Option<String> {
        ensure_allowed(self.role(), permission)
            .err()
            .map(|e| e.message(self.lang.get()))
    }

    /// Whether this agent's role may do `permission` (for what is shown at all, like the
    /// Team link).
    pub fn may(&self, permission: Permission) -> bool {
        role_allows(self.role(), permission)
    }

    pub fn signed_in(&self) -> Option<SessionInfo> {
        match self.session.get() {
            SessionState::SignedIn(info) => Some(info),
            _ => None,
        }
    }
}

pub fn use_console() -> Console {
    expect_context::<Console>()
}
