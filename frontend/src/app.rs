//! The application shell: options, the shared context, the router and the sign-in gate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use shared::api::SessionInfo;
use shared::ids::AgentId;
use wasm_bindgen::JsValue;

use crate::api::{Api, ApiError};
use crate::components::header::Header;
use crate::i18n::{Lang, Text};
use crate::pages::customers::CustomersPage;
use crate::pages::new_subscription::NewSubscriptionPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::subscription::SubscriptionPage;

/// How a host mounts the console.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The path the console lives under, e.g. "/admin/subscriptions" ("" at the site root).
    pub base_path: String,
    /// Where the API is, e.g. "https://console.example" ("" for the page's own origin).
    pub api_base: String,
    pub language: Lang,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_path: String::new(),
            api_base: String::new(),
            language: browser_language(),
        }
    }
}

impl Options {
    /// Reads `{basePath, apiBase, language}` from a JS object; `undefined` means defaults.
    pub fn from_js(value: &JsValue) -> Result<Options, JsValue> {
        let mut options = Options::default();
        if value.is_undefined() || value.is_null() {
            return Ok(options);
        }
        let text = |key: &str| -> Result<Option<String>, JsValue> {
            let v = js_sys::Reflect::get(value, &JsValue::from_str(key))?;
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            v.as_string().map(Some).ok_or_else(|| {
                JsValue::from_str(&format!("Reseller Console: option {key} must be a string"))
            })
        };
        if let Some(base) = text("basePath")? {
            options.base_path = normalise_base(&base);
        }
        if let Some(api) = text("apiBase")? {
            options.api_base = api.trim_end_matches('/').to_owned();
        }
        if let Some(lang) = text("language")? {
            options.language = Lang::from_tag(&lang);
        }
        Ok(options)
    }
}

/// "admin/subscriptions/" → "/admin/subscriptions"; "/" → "".
pub fn normalise_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

fn browser_language() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map_or(Lang::En, |l| Lang::from_tag(&l))
}

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
        Console {
            api: StoredValue::new(Api::new(&options.api_base)),
            base: StoredValue::new(options.base_path.clone()),
            lang: RwSignal::new(options.language),
            session: RwSignal::new(SessionState::Checking),
        }
    }

    pub fn api(&self) -> Api {
        self.api.get_value()
    }

    /// The strings of the current language (reactive).
    pub fn t(&self) -> &'static Text {
        self.lang.get().text()
    }

    /// A console path as a link under the base path: `/subscriptions/1` → `/admin/subscriptions/subscriptions/1`.
    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.base.get_value())
    }

    /// The signed-in agent, without subscribing: pages are rebuilt for each agent, so inside
    /// them it never changes (and a page must not react to the session ending under it).
    pub fn agent(&self) -> Option<SessionInfo> {
        self.session.with_untracked(|s| match s {
            SessionState::SignedIn(info) => Some(info.clone()),
            _ => None,
        })
    }

    pub fn signed_in(&self) -> Option<SessionInfo> {
        match self.session.get() {
            SessionState::SignedIn(info) => Some(info),
            _ => None,
        }
    }

    /// Call with every API error: an expired session sends the agent to sign-in, and back.
    /// Deferred to a microtask: errors are seen while a page renders, and swapping the page
    /// for the sign-in form mid-render would dispose signals still in use.
    pub fn saw(&self, error: &ApiError) {
        if *error == ApiError::NotSignedIn {
            let session = self.session;
            queue_microtask(move || session.set(SessionState::SignedOut { expired: true }));
        }
    }
}

pub fn use_console() -> Console {
    expect_context::<Console>()
}

/// The whole console. When the session expires, the sign-in form covers the pages but they
/// stay mounted, so what the agent typed survives and, once signed in again, they are exactly
/// where they were. The pages are rebuilt only for a different agent.
#[component]
pub fn ConsoleApp(options: Options) -> impl IntoView {
    let console = Console::new(&options);
    provide_context(console);
    spawn_local(async move {
        let state = match console.api().session().await {
            Ok(Some(info)) => SessionState::SignedIn(info),
            Ok(None) | Err(_) => SessionState::SignedOut { expired: false },
        };
        console.session.set(state);
    });
    let pages_for =
        Memo::new(
            move |before: Option<&Option<AgentId>>| match console.session.get() {
                SessionState::SignedIn(info) => Some(info.agent.id),
                SessionState::SignedOut { expired: true } => before.copied().flatten(),
                _ => None,
            },
        );
    let signed_in = move || matches!(console.session.get(), SessionState::SignedIn(_));
    let base = options.base_path.clone();
    view! {
        <div class="rc-app" lang=move || console.lang.get().tag()>
            <Router base=base>
                <Header />
                <main class="rc-main">
                    {move || match console.session.get() {
                        SessionState::Checking => {
                            Some(view! { <p class="rc-muted" role="status">{console.t().loading}</p> }.into_any())
                        }
                        SessionState::SignedOut { expired } => Some(view! { <SignInPage expired /> }.into_any()),
                        SessionState::SignedIn(_) => None,
                    }}
                    <div class="rc-pages" hidden=move || !signed_in()>
                        {move || pages_for.get().map(|_| view! { <Pages /> })}
                    </div>
                </main>
            </Router>
        </div>
    }
}

#[component]
fn Pages() -> impl IntoView {
    let console = use_console();
    view! {
        <Routes fallback=move || view! { <p class="rc-callout rc-warn">{console.t().not_found}</p> }>
            // One parent for the list with and without a selected customer, so the page (and
            // the focused row) stays mounted while the action pane changes.
            <ParentRoute path=path!("") view=CustomersPage>
                <Route path=path!("/") view=|| () />
                <Route path=path!("/customers/:customer") view=|| () />
            </ParentRoute>
            <Route path=path!("/customers/:customer/new") view=NewSubscriptionPage />
            <Route path=path!("/subscriptions/:subscription") view=SubscriptionPage />
        </Routes>
    }
}
