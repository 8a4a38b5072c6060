//! The customer management list: search, pages, keyboard selection, and the action pane of
//! the selected customer. Search text, page and selection live in the URL, so reload and
//! shared links keep them.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::ids::{CustomerId, SubscriptionId};
use shared::model::Customer;
use wasm_bindgen::JsCast;

use crate::app::use_console;
use crate::components::action_pane::ActionPane;
use crate::components::notice::ErrorNotice;

const PER_PAGE: u32 = 15;
/// How long typing must pause before the search is sent.
const SEARCH_DELAY_MS: u64 = 250;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let console = use_console();
    let navigate = use_navigate();
    let params = use_params_map();
    let query = use_query_map();

    let selected = Memo::new(move |_| {
        params.with(|p| {
            p.get("customer")
                .and_then(|id| id.parse::<CustomerId>().ok())
        })
    });
    let search = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1)
        })
    });
    let new_subscription = Signal::derive(move || {
        query.with(|q| {
            q.get("new")
                .and_then(|id| id.parse::<SubscriptionId>().ok())
        })
    });

    // Keeps the list state in the URL; `customer` None keeps the current selection.
    let go = {
        let navigate = navigate.clone();
        move |customer: Option<CustomerId>, search: &str, page: u32, replace: bool| {
            let mut path = match customer.or(selected.get_untracked()) {
                Some(id) => format!("/customers/{id}"),
                None => "/".to_owned(),
            };
            let mut params = Vec::new();
            if !search.is_empty() {
                params.push(format!("q={}", js_sys::encode_uri_component(search)));
            }
            if page > 1 {
                params.push(format!("page={page}"));
            }
            if !params.is_empty() {
                path = format!("{path}?{}", params.join("&"));
            }
            navigate(
                &console.href(&path),
                NavigateOptions {
                    resolve: false,
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };

    let customers = LocalResource::new(move || {
        let (search, page) = (search.get(), page.get());
        async move { console.api().customers(&search, page, PER_PAGE).await }
    });

    // Typing updates the box at once and the search after a pause.
    let typed = RwSignal::new(search.get_untracked());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let on_search = {
        let go = go.clone();
        move |ev| {
            let text = event_target_value(&ev);
            typed.set(text.clone());
            if let Some(t) = timer.get_value() {
                t.clear();
            }
            let go = go.clone();
            let handle = set_timeout_with_handle(
                move || go(None, text.trim(), 1, true),
                std::time::Duration::from_millis(SEARCH_DELAY_MS),
            );
            timer.set_value(handle.ok());
        }
    };

    let active = RwSignal::new(0usize);
    let table = NodeRef::<leptos::html::Table>::new();
    let focus_row = move |index: usize| {
        if let Some(row) = table
            .get()
            .and_then(|t| {
                t.query_selector(&format!("tr[data-index=\"{index}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = row.focus();
        }
    };
    let rows = move || {
        customers
            .get()
            .and_then(|r| r.ok())
            .map(|p| p.items)
            .unwrap_or_default()
    };
    let on_key = {
        let go = go.clone();
        move |ev: web_sys::KeyboardEvent| {
            let count = rows().len();
            if count == 0 {
                return;
            }
            let current = active.get_untracked().min(count - 1);
            let next = match ev.key().as_str() {
                "ArrowDown" => (current + 1).min(count - 1),
                "ArrowUp" => current.saturating_sub(1),
                "Home" => 0,
                "End" => count - 1,
                "Enter" | " " => {
                    ev.prevent_default();
                    let id = rows()[current].id;
                    go(
                        Some(id),
                        &search.get_untracked(),
                        page.get_untracked(),
                        false,
                    );
                    return;
                }
                _ => return,
            };
            ev.prevent_default();
            active.set(next);
            focus_row(next);
        }
    };

    let pager = move || {
        customers.get().and_then(|r| r.ok()).map(|p| {
            let t = console.t();
            let from = if p.total == 0 {
                0
            } else {
                u64::from(p.page - 1) * u64::from(p.per_page) + 1
            };
            let to = (from + p.items.len() as u64).saturating_sub(1).max(from);
            let mut summary = (t.showing)(from, if p.total == 0 { 0 } else { to }, p.total);
            if !search.get().is_empty() {
                summary.push_str(&(t.matching)(&search.get()));
            }
            let last_page = p.total.div_ceil(u64::from(p.per_page)).max(1) as u32;
            (summary, p.page > 1, p.page < last_page)
        })
    };

    let go_prev = go.clone();
    let go_next = go.clone();
    let go_row = go.clone();
    view! {
        <div class="rc-split">
            <section class="rc-card rc-list" aria-labelledby="rc-customers-title">
                <h1 id="rc-customers-title">{move || console.t().customers}</h1>
                <div class="rc-toolbar">
                    <input class="rc-search" type="search" name="q" autocomplete="off"
                        aria-label=move || console.t().search_label
                        placeholder=move || console.t().search_placeholder
                        prop:value=move || typed.get()
                        on:input=on_search />
                </div>
                <Transition fallback=move || view! { <p class="rc-muted">{console.t().loading}</p> }>
                    {move || customers.get().and_then(|r| r.err()).map(|e| view! {
                        <ErrorNotice error=e retry=Callback::new(move |_| customers.refetch()) />
                    })}
                    <table class="rc-table" node_ref=table aria-labelledby="rc-customers-title"
                        aria-describedby="rc-keyboard-hint" on:keydown=on_key.clone()>
                        <thead>
                            <tr>
                                <th scope="col">{move || console.t().col_company}</th>
                                <th scope="col">{move || console.t().col_domain}</th>
                                <th scope="col" class="rc-num">{move || console.t().col_subscriptions}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let go_row = go_row.clone();
                                rows().into_iter().enumerate().map(move |(index, c): (usize, Customer)| {
                                    let go_row = go_row.clone();
                                    let id = c.id;
                                    let is_selected = move || selected.get() == Some(id);
                                    view! {
                                        <tr data-index=index.to_string()
                                            tabindex=move || if active.get() == index { "0" } else { "-1" }
                                            aria-selected=move || is_selected().to_string()
                                            class:rc-selected=is_selected
                                            on:focus=move |_| active.set(index)
                                            on:click=move |_| { active.set(index); go_row(Some(id), &search.get_untracked(), page.get_untracked(), false); }>
                                            <td>{c.name.clone()}</td>
                                            <td class="rc-muted">{c.domain.clone()}</td>
                                            <td class="rc-num">{c.subscription_count}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                    {move || (customers.get().and_then(|r| r.ok()).is_some_and(|p| p.items.is_empty()))
                        .then(|| view! { <p class="rc-muted rc-empty">{console.t().no_customers}</p> })}
                </Transition>
                <div class="rc-pager">
                    <span role="status" aria-live="polite">{move || pager().map(|p| p.0)}</span>
                    <span class="rc-muted rc-small" id="rc-keyboard-hint">{move || console.t().keyboard_hint}</span>
                    <span class="rc-buttons">
                        <button type="button" disabled=move || !pager().is_some_and(|p| p.1)
                            on:click=move |_| go_prev(None, &search.get_untracked(), page.get_untracked().saturating_sub(1).max(1), false)>
                            {move || console.t().previous}
                        </button>
                        <button type="button" disabled=move || !pager().is_some_and(|p| p.2)
                            on:click=move |_| go_next(None, &search.get_untracked(), page.get_untracked() + 1, false)>
                            {move || console.t().next}
                        </button>
                    </span>
                </div>
            </section>
            {move || match selected.get() {
                Some(customer) => view! { <ActionPane customer new_subscription /> }.into_any(),
                None => view! {
                    <aside class="rc-card rc-pane rc-pane-empty"><p class="rc-muted">{console.t().select_customer}</p></aside>
                }.into_any(),
            }}
        </div>
    }
}
