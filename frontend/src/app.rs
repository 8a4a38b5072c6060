//! The application shell: the router, its routes, and the sign-in gate in front of them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use shared::ids::AgentId;

use crate::Options;
use crate::components::header::Header;
use crate::components::loading::Loading;
use crate::console::{Console, SessionState, use_console};
use crate::lazy::{self, lazy};
use crate::pages::customers::CustomersPage;
use crate::pages::sign_in::SignInPage;

/// The whole console. When the session expires, the sign-in form covers the pages but they
/// stay mounted, so what the agent typed survives and, once signed in again, they are exactly
/// where they were. The pages are rebuilt only for a different agent.
#[component]
pub fn ConsoleApp(options: Options) -> impl IntoView {
    let console = Console::new(&options);
    provide_context(console);
    // Unmounting the console ends its requests still on their way.
    on_cleanup({
        let api = console.api();
        move || api.abort_all()
    });
    crate::base_links::leave_outside_links_to_the_browser(options.base_path.clone());
    let token = options.sign_in_token.clone();
    spawn_local(async move {
        let api = console.api();
        // A host's token signs the agent in; if it is refused (expired, used), the agent may
        // still have a session of their own, else the sign-in form appears.
        let exchanged = match token {
            Some(token) => api.exchange_token(&token).await.ok(),
            None => None,
        };
        let state = match exchanged {
            Some(info) => SessionState::SignedIn(info),
            None => match api.session().await {
                Ok(Some(info)) => SessionState::SignedIn(info),
                Ok(None) | Err(_) => SessionState::SignedOut { expired: false },
            },
        };
        console.session.set(state);
    });
    let pages_for =
        Memo::new(
            move |before: Option<&Option<AgentId>>| match console.session.get() {
                // Pages wait until an agent with a one-time password has chosen their own.
                SessionState::SignedIn(info) if !info.must_change_password => Some(info.agent.id),
                SessionState::SignedIn(_) => None,
                SessionState::SignedOut { expired: true } => before.copied().flatten(),
                _ => None,
            },
        );
    let signed_in = move || matches!(console.session.get(), SessionState::SignedIn(_));
    let base = options.base_path.clone();
    view! {
        <div class="rc-app" lang=move || console.lang.get().tag()>
            <Router base=base>
                // Everything below is rendered again in a new language (see Console::t); the
                // URL keeps where the agent is.
                {move || { console.lang.track(); view! {
                <Header />
                <main class="rc-main">
                    {move || match console.session.get() {
                        SessionState::Checking => {
                            Some(view! { <Loading /> }.into_any())
                        }
                        SessionState::SignedOut { expired } => Some(view! { <SignInPage expired /> }.into_any()),
                        SessionState::SignedIn(info) if info.must_change_password => Some(lazy(lazy::account::page).into_any()),
                        SessionState::SignedIn(_) => None,
                    }}
                    <div class="rc-pages" hidden=move || !signed_in()>
                        {move || pages_for.get().map(|_| view! { <Pages /> })}
                    </div>
                </main>
                } }}
            </Router>
        </div>
    }
}

#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=NoRoute>
            // One parent for the list with and without a selected customer, so the page (and
            // the focused row) stays mounted while the action pane changes.
            <ParentRoute path=path!("") view=CustomersPage>
                <Route path=path!("/") view=|| () />
                <Route path=path!("/customers/:customer") view=|| () />
            </ParentRoute>
            // Every other page is a chunk of its own, fetched when first needed (`lazy.rs`).
            <Route path=path!("/customers/:customer/new") view=|| lazy(lazy::new_subscription::page) />
            <Route path=path!("/customers/:customer/statement") view=|| lazy(lazy::statement::page) />
            <Route path=path!("/subscriptions/:subscription") view=|| lazy(lazy::subscription::page) />
            <Route path=path!("/new-customer") view=|| lazy(lazy::new_customer::page) />
            <Route path=path!("/team") view=|| lazy(lazy::team::page) />
            <Route path=path!("/renewals") view=|| lazy(lazy::renewals::page) />
            <Route path=path!("/activity") view=|| lazy(lazy::activity::page) />
            <Route path=path!("/prices") view=|| lazy(lazy::prices::page) />
            <Route path=path!("/reconciliation") view=|| lazy(lazy::reconciliation::page) />
            <Route path=path!("/account") view=|| lazy(lazy::account::page) />
        </Routes>
    }
}

/// A path no route takes. Below the base it is a wrong or stale link; outside it (a host
/// mounted the console on another of its pages) it is the console's home, the customer list.
#[component]
fn NoRoute() -> impl IntoView {
    let console = use_console();
    let location = use_location();
    let outside = Memo::new(move |_| !console.owns(&location.pathname.get()));
    move || match outside.get() {
        true => view! { <CustomersPage /> }.into_any(),
        false => view! { <p class="rc-callout rc-warn">{console.t().not_found}</p> }.into_any(),
    }
}
