//! The pages outside the first download. Built with `--features split` (as `scripts/build-wasm`
//! builds the app), each page below is cut into a wasm chunk of its own: the browser fetches it
//! the first time the page opens, or before, quietly, once the customer list is drawn
//! ([`prefetch`]). What the first load holds is what every visit needs: the shell, sign-in, the
//! customer list and its action pane. Without the feature (the browser tests) the pages are
//! linked in as usual and take the same path, with nothing to fetch.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::loading::Loading;
use crate::console::use_console;
use crate::pages::{
    account::AccountPage, activity::ActivityPage, new_customer::NewCustomerPage,
    new_subscription::NewSubscriptionPage, prices::PricesPage, reconciliation::ReconciliationPage,
    renewals::RenewalsPage, statement::StatementPage, subscription::SubscriptionPage,
    team::TeamPage,
};

/// Builds a page, once its chunk is there.
pub type Build = fn() -> AnyView;

/// One page per chunk: `chunk::page()` gives the page's builder once its chunk is there (an
/// error if it could not be fetched: it is fetched anew next time), `chunk::preload()` only
/// fetches it. The page is built where it is shown, like any other view, not inside the load.
macro_rules! lazy_pages {
    ($($chunk:ident => $page:ident),* $(,)?) => {$(
        pub mod $chunk {
            use super::*;

            #[cfg(feature = "split")]
            #[leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split, preload(preload))]
            pub fn page() -> Result<Build, SplitLoaderError> {
                Ok(|| view! { <$page /> }.into_any())
            }

            #[cfg(not(feature = "split"))]
            pub async fn page() -> Result<Build, SplitLoaderError> {
                Ok(|| view! { <$page /> }.into_any())
            }

            #[cfg(not(feature = "split"))]
            pub async fn preload() -> Result<(), SplitLoaderError> {
                Ok(())
            }
        }
    )*

        /// Fetches every page's chunk, one after the other, without showing anything: a click
        /// on a good connection then never waits. A chunk that fails is fetched again when its
        /// page opens.
        pub fn prefetch() {
            if PREFETCHED.replace(true) {
                return;
            }
            // After the next frame: the list is on the screen before anything else is asked.
            request_animation_frame(|| {
                set_timeout(
                    || leptos::task::spawn_local(async { $(let _ = $chunk::preload().await;)* }),
                    std::time::Duration::ZERO,
                )
            });
        }
    };
}

thread_local! {
    static PREFETCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

lazy_pages! {
    account => AccountPage,
    activity => ActivityPage,
    new_customer => NewCustomerPage,
    new_subscription => NewSubscriptionPage,
    prices => PricesPage,
    reconciliation => ReconciliationPage,
    renewals => RenewalsPage,
    statement => StatementPage,
    subscription => SubscriptionPage,
    team => TeamPage,
}

/// A page from its chunk: "Loading…" while it is fetched; if the network fails, an error with
/// Retry in the page's place, and the rest of the console goes on working.
pub fn lazy<F>(page: fn() -> F) -> impl IntoView
where
    F: Future<Output = Result<Build, SplitLoaderError>> + 'static,
{
    // `None` while loading; `Some(None)` when the chunk did not arrive.
    let loaded = RwSignal::new(None::<Option<Build>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let build = page().await.ok();
            // The agent may have left the page meanwhile.
            loaded.try_set(Some(build));
        })
    };
    load();
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Some(build)) => build(),
        Some(None) => {
            let console = use_console();
            let retry = move |_| {
                loaded.set(None);
                load();
            };
            // In the page's place, with a heading of its own like every page.
            view! {
                <h1>{console.t().page_unavailable_title}</h1>
                <div class="rc-callout rc-danger" role="alert">
                    <span>{console.t().page_unavailable}</span>
                    <button type="button" class="rc-retry" on:click=retry>{console.t().retry}</button>
                </div>
            }
            .into_any()
        }
    }
}
