//! The customer management list: search, pages, keyboard selection, and the action pane of
//! the selected customer. Where the list is ([`ListLocation`]) lives in the URL, so reload and
//! shared links keep it. The page stays mounted while the selection changes, so keyboard focus
//! stays on the chosen row.

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use shared::api::Page;
use shared::model::Customer;
use wasm_bindgen::JsCast;

use crate::api::ApiResult;
use crate::components::action_pane::ActionPane;
use crate::components::loading::Loading;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;
use crate::routes::ListLocation;

const PER_PAGE: u32 = 15;
/// How long typing must pause before the search is sent.
const SEARCH_DELAY_MS: u64 = 250;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let console = use_console();
    let navigate = use_navigate();
    let location = use_location();
    let here = Memo::new(move |before: Option<&ListLocation>| {
        let path = console.own_path(&location.pathname.get());
        let path = path.as_str();
        // On the way to another page the list keeps what it showed (no reload, no flash).
        match before {
            Some(before) if !ListLocation::is_list_path(path) => before.clone(),
            _ => location
                .query
                .with(|q| ListLocation::parse(path, |key| q.get(key))),
        }
    });
    let go = Callback::new(move |(to, replace): (ListLocation, bool)| {
        // Only while the list is on screen: a late callback (the search pause, a focus
        // handler) must not pull the agent back from the page they went on to.
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        if !ListLocation::is_list_path(&console.own_path(&path)) {
            return;
        }
        navigate(
            &console.href(&to.path()),
            NavigateOptions {
                resolve: false,
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });

    let search = Memo::new(move |_| here.with(|h| h.search.clone()));
    let page = Memo::new(move |_| here.with(|h| h.page));
    let selected = Memo::new(move |_| here.with(|h| h.customer));
    let new_subscription = Signal::derive(move || here.with(|h| h.new_subscription));
    let customers = LocalResource::new(move || {
        let (search, page) = (search.get(), page.get());
        async move { console.api().customers(&search, page, PER_PAGE).await }
    });

    // Typing updates the box at once and the search after a pause; leaving the page cancels
    // a pending search.
    let typed = RwSignal::new(search.get_untracked());
    // Back, Forward or a link change the search in the URL: the box follows (the URL is the
    // source; what is typed leads it only until the pause is over).
    Effect::new(move |_| typed.set(search.get()));
    // Plain shared storage, not a signal: the page's signals are already gone when its
    // cleanup runs, and the timer must be cancelled then.
    let timer: Arc<Mutex<Option<TimeoutHandle>>> = Arc::default();
    let pending = timer.clone();
    on_cleanup(move || {
        if let Some(t) = pending.lock().ok().and_then(|mut t| t.take()) {
            t.clear();
        }
    });
    let on_search = move |ev| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        let mut timer = timer.lock().expect("one thread");
        if let Some(t) = timer.take() {
            t.clear();
        }
        if text.trim() == search.get_untracked() {
            return; // already the search shown
        }
        let handle = set_timeout_with_handle(
            move || {
                let to = ListLocation {
                    search: text.trim().to_owned(),
                    customer: selected.get_untracked(),
                    ..Default::default()
                };
                go.run((to, true));
            },
            std::time::Duration::from_millis(SEARCH_DELAY_MS),
        );
        *timer = handle.ok();
    };

    // Escape anywhere in the list or the pane closes the pane and returns to its row.
    let table = NodeRef::<leptos::html::Table>::new();
    let close_pane = Callback::new(move |()| {
        let to = ListLocation {
            customer: None,
            new_subscription: None,
            ..here.get_untracked()
        };
        go.run((to, false));
        focus_selected_row(table);
    });
    let on_escape = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" && selected.get_untracked().is_some() {
            ev.prevent_default();
            close_pane.run(());
        }
    };

    view! {
        <div class="rc-split" class:rc-has-selection=move || selected.get().is_some() on:keydown=on_escape>
            <section class="rc-card rc-list" aria-labelledby="rc-customers-title">
                <h1 id="rc-customers-title">{console.t().customers}</h1>
                <div class="rc-toolbar">
                    <input class="rc-search" type="search" name="q" autocomplete="off"
                        aria-label=console.t().search_label
                        placeholder=console.t().search_placeholder
                        prop:value=move || typed.get()
                        on:input=on_search />
                    {console.may(shared::roles::Permission::Order).then(|| view! {
                        <a class="rc-button rc-add-customer" href=move || console.href(crate::routes::NEW_CUSTOMER)>
                            {console.t().add_customer}
                        </a>
                    })}
                </div>
                <Transition fallback=Loading>
                    {move || customers.get().and_then(|r| r.err()).map(|e| view! {
                        <ErrorNotice error=e retry=Callback::new(move |_| customers.refetch()) />
                    })}
                    <CustomerTable customers here go table />
                </Transition>
                // Once the first page is there: drawn before it, they would jump down when it
                // arrives (layout shift).
                {move || customers.get().is_some().then(|| {
                    // The list is drawn: now fetch the other pages, so a click never waits.
                    crate::lazy::prefetch();
                    view! {
                    <Pager customers here go />
                    <p class="rc-small rc-exports">
                        {console.t().downloads} " "
                        <a download href=move || console.api().customers_csv_url(&search.get())>{console.t().export_customers}</a>
                        " · "
                        <a download href=console.api().subscriptions_csv_url()>{console.t().export_subscriptions}</a>
                    </p>
                }})}
            </section>
            {move || match selected.get() {
                Some(customer) => view! { <ActionPane customer new_subscription on_close=close_pane /> }.into_any(),
                None => view! {
                    <aside class="rc-card rc-pane rc-pane-empty"><p class="rc-muted">{console.t().select_customer}</p></aside>
                }.into_any(),
            }}
        </div>
    }
}

/// Focuses the first element under `parent` that matches `selector`, if any.
fn focus_first(parent: &web_sys::Element, selector: &str) {
    if let Some(element) = parent
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Puts focus back on the selected row (or the first), once the DOM has settled.
fn focus_selected_row(table: NodeRef<leptos::html::Table>) {
    request_animation_frame(move || {
        if let Some(table) = table.get_untracked() {
            focus_first(&table, "tr[aria-selected=\"true\"], tr[tabindex=\"0\"]");
        }
    });
}

/// On one-column screens the pane replaces the list: focus follows into the pane (its "All
/// customers" button) instead of staying on a row that is no longer shown.
fn focus_pane_if_list_hidden(table: NodeRef<leptos::html::Table>) {
    request_animation_frame(move || {
        let Some(table) = table.get_untracked() else {
            return;
        };
        if table.offset_parent().is_some() {
            return; // the list is still shown
        }
        if let Some(app) = table.closest(".rc-app").ok().flatten() {
            focus_first(&app, ".rc-back");
        }
    });
}

/// The page of customers: one row each, a roving tab stop moved with ↑ ↓ Home End, Enter or a
/// click opens the action pane and keeps focus on the row.
#[component]
fn CustomerTable(
    customers: LocalResource<ApiResult<Page<Customer>>>,
    here: Memo<ListLocation>,
    go: Callback<(ListLocation, bool)>,
    table: NodeRef<leptos::html::Table>,
) -> impl IntoView {
    let console = use_console();
    let active = RwSignal::new(0usize);
    let rows = move || {
        customers
            .get()
            .and_then(|r| r.ok())
            .map(|p| p.items)
            .unwrap_or_default()
    };
    // A new page of rows: the tab stop goes to the selected customer's row, else the first,
    // so the table never loses it.
    Effect::new(move |_| {
        let rows = rows();
        let selected = here.with_untracked(|h| h.customer);
        let index = rows
            .iter()
            .position(|c| Some(c.id) == selected)
            .unwrap_or(0);
        active.set(index);
    });
    let focus_row = move |index: usize| {
        if let Some(table) = table.get() {
            focus_first(&table, &format!("tr[data-index=\"{index}\"]"));
        }
    };
    let open = move |customer: &Customer| {
        let to = ListLocation {
            customer: Some(customer.id),
            new_subscription: None,
            ..here.get_untracked()
        };
        go.run((to, false));
        focus_pane_if_list_hidden(table);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let rows = rows();
        let Some(last) = rows.len().checked_sub(1) else {
            return;
        };
        let current = active.get_untracked().min(last);
        let next = match ev.key().as_str() {
            "ArrowDown" => (current + 1).min(last),
            "ArrowUp" => current.saturating_sub(1),
            "Home" => 0,
            "End" => last,
            "Enter" | " " => {
                ev.prevent_default();
                open(&rows[current]);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        active.set(next);
        focus_row(next);
    };
    let selected = move || here.with(|h| h.customer);
    view! {
        <table class="rc-table" node_ref=table aria-labelledby="rc-customers-title"
            aria-describedby="rc-keyboard-hint" on:keydown=on_key>
            <thead>
                <tr>
                    <th scope="col">{console.t().col_company}</th>
                    <th scope="col" class="rc-col-domain">{console.t().col_domain}</th>
                    <th scope="col" class="rc-num">{console.t().col_subscriptions}</th>
                </tr>
            </thead>
            <tbody>
                {move || rows().into_iter().enumerate().map(|(index, c)| {
                    let id = c.id;
                    let is_selected = move || selected() == Some(id);
                    let chosen = c.clone();
                    view! {
                        <tr data-index=index.to_string()
                            tabindex=move || if active.get() == index { "0" } else { "-1" }
                            aria-selected=move || is_selected().to_string()
                            class:rc-selected=is_selected
                            on:focus=move |_| active.set(index)
                            on:click=move |_| { active.set(index); focus_row(index); open(&chosen); }>
                            <td>
                                {c.name.clone()}
                                <span class="rc-domain-inline rc-muted rc-small">{c.domain.clone()}</span>
                            </td>
                            <td class="rc-muted rc-col-domain">{c.domain.clone()}</td>
                            <td class="rc-num">{c.subscription_count}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {move || customers.get().and_then(|r| r.ok()).is_some_and(|p| p.items.is_empty())
            .then(|| view! { <p class="rc-muted rc-empty">{console.t().no_customers}</p> })}
    }
}

/// "Showing 1–15 of 40", the keyboard hint, and Previous / Next.
#[component]
fn Pager(
    customers: LocalResource<ApiResult<Page<Customer>>>,
    here: Memo<ListLocation>,
    go: Callback<(ListLocation, bool)>,
) -> impl IntoView {
    let console = use_console();
    let shown = move || customers.get().and_then(|r| r.ok());
    let summary = move || {
        shown().map(|p| {
            let t = console.t();
            let from = if p.total == 0 {
                0
            } else {
                u64::from(p.page - 1) * u64::from(p.per_page) + 1
            };
            let to = (from + p.items.len() as u64).saturating_sub(1).max(from);
            let total = if p.total_is_at_least {
                format!("{}+", format::whole(console.lang.get(), p.total))
            } else {
                format::whole(console.lang.get(), p.total)
            };
            let mut summary = (t.showing)(from, if p.total == 0 { 0 } else { to }, &total);
            let search = here.with(|h| h.search.clone());
            if !search.is_empty() {
                summary.push_str(&(t.matching)(&search));
            }
            summary
        })
    };
    let has_previous = move || shown().is_some_and(|p| p.page > 1);
    let has_next = move || shown().is_some_and(|p| p.has_next);
    let to_page = move |page: u32| {
        let to = ListLocation {
            page,
            ..here.get_untracked()
        };
        go.run((to, false));
    };
    view! {
        <div class="rc-pager">
            <span role="status" aria-live="polite">{summary}</span>
            <span class="rc-muted rc-small rc-keyboard-hint" id="rc-keyboard-hint">{console.t().keyboard_hint}</span>
            <span class="rc-buttons">
                <button type="button" disabled=move || !has_previous()
                    on:click=move |_| to_page(here.with_untracked(|h| h.page).saturating_sub(1).max(1))>
                    {console.t().previous}
                </button>
                <button type="button" disabled=move || !has_next()
                    on:click=move |_| to_page(here.with_untracked(|h| h.page) + 1)>
                    {console.t().next}
                </button>
            </span>
        </div>
    }
}
