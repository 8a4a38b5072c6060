//! *Activity*: every change to every subscription of the partner, newest first, filtered by
//! dates, action, agent and customer. The filters live in the URL (reload and shared links
//! keep them) and are read by the same `shared` rule as the server's; pages go back in time
//! with "Older" and return with "Newer".

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::activity::{ActivityEntry, ActivityQuery};
use shared::api::{EventAction, RENEWAL_ACTOR};

use crate::api::activity_query;
use crate::components::focus_soon;
use crate::components::history::{actor, describe};
use crate::components::loading::Loading;
use crate::components::microsoft_queue::MicrosoftQueueList;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;
use crate::routes;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let console = use_console();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| {
        query.with(|q| ActivityQuery {
            from: q.get("from"),
            to: q.get("to"),
            customer: q.get("customer"),
            agent: q.get("agent"),
            action: q.get("action"),
            before: None,
        })
    });
    // Where the pages shown so far started: "Older" adds one, "Newer" goes back one, new
    // filters start again from the newest.
    // Kept with the filters they belong to: other filters (a new choice, Back) start again.
    let cursors = RwSignal::new((ActivityQuery::default(), Vec::<String>::new()));
    let stack = move || {
        let current = filters.get();
        cursors.with(|(f, c)| if *f == current { c.clone() } else { Vec::new() })
    };
    let page = LocalResource::new(move || {
        let (filters, before) = (filters.get(), stack().last().cloned());
        async move { console.api().activity(&filters, before.as_deref()).await }
    });
    // A filter changed: checked by the server's own rule first, then put in the URL.
    let problem = RwSignal::new(None::<String>);
    let set = Callback::new(move |(field, value): (&'static str, Option<String>)| {
        let mut next = filters.get_untracked();
        let slot = match field {
            "from" => &mut next.from,
            "to" => &mut next.to,
            "action" => &mut next.action,
            "agent" => &mut next.agent,
            _ => &mut next.customer,
        };
        *slot = value;
        let now = (js_sys::Date::now() / 1000.0) as i64;
        if let Err(e) = next.parse(now) {
            problem.set(Some(e.message));
            return;
        }
        problem.set(None);
        let path = format!("{}?{}", routes::ACTIVITY, activity_query(&next, None));
        let options = NavigateOptions {
            resolve: false,
            ..Default::default()
        };
        navigate(&console.href(&path), options);
    });
    let on_change =
        move |field: &'static str| move |ev| set.run((field, Some(event_target_value(&ev))));
    // A date is applied when the agent leaves the field or presses Enter, not at each part
    // typed (Chromium reports "0002-03-15" on the way to 2026), and only if it changed.
    let apply_date = move |field: &'static str, value: String| {
        // A blur as the page goes away (left with a date field focused): nothing to apply.
        let Some(shown) = page.try_get_untracked() else {
            return;
        };
        let shown = shown.and_then(|r| r.ok());
        let now = shown.map(|p| if field == "from" { p.from } else { p.to });
        if now.as_ref() != Some(&value) {
            set.run((field, Some(value)));
        }
    };
    let on_date = move |field: &'static str| {
        move |ev: leptos::ev::FocusEvent| apply_date(field, event_target_value(&ev))
    };
    let on_enter = move |field: &'static str| {
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" {
                apply_date(field, event_target_value(&ev));
            }
        }
    };
    let shown = move || page.get().and_then(|r| r.ok());
    let me = move || {
        console
            .signed_in()
            .map(|s| s.agent.id.to_string())
            .unwrap_or_default()
    };
    let customer_name = move || {
        shown()
            .and_then(|p| p.items.first().map(|e| e.customer_name.clone()))
            .or_else(|| filters.with(|f| f.customer.clone()))
            .unwrap_or_default()
    };

    view! {
        // Where focus goes when what had it goes away (a filtered row, a pager button that
        // becomes disabled).
        <h1 id="rc-activity-title" tabindex="-1">{console.t().activity}</h1>
        <MicrosoftQueueList />
        <section class="rc-card rc-activity">
            <p class="rc-muted">{console.t().activity_intro}</p>
            <div class="rc-toolbar rc-filters">
                <label>{console.t().date_from}
                    <input type="date" prop:value=move || shown().map(|p| p.from).unwrap_or_default()
                        on:blur=on_date("from") on:keydown=on_enter("from") />
                </label>
                <label>{console.t().date_to}
                    <input type="date" prop:value=move || shown().map(|p| p.to).unwrap_or_default()
                        on:blur=on_date("to") on:keydown=on_enter("to") />
                </label>
                <label>{console.t().action_label}
                    <select prop:value=move || filters.with(|f| f.action.clone().unwrap_or_default())
                        on:change=on_change("action")>
                        <option value="">{console.t().any_action}</option>
                        {EventAction::ALL.iter().enumerate().map(|(i, a)| view! {
                            <option value=a.as_str()>{move || console.t().actions[i]}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{console.t().col_agent}
                    <select prop:value=move || filters.with(|f| f.agent.clone().unwrap_or_default())
                        on:change=on_change("agent")>
                        <option value="">{console.t().any_agent}</option>
                        <option value=me>{console.t().only_me}</option>
                        <option value=RENEWAL_ACTOR>{console.t().term_end_actor}</option>
                    </select>
                </label>
                {move || filters.with(|f| f.customer.is_some()).then(|| view! {
                    <span class="rc-chip">
                        {move || (console.t().customer_filter)(&customer_name())} " "
                        <button type="button" class="rc-link" on:click=move |_| {
                            set.run(("customer", None));
                            focus_soon("#rc-activity-title");
                        }>
                            {console.t().all_customers_filter}
                        </button>
                    </span>
                })}
                <a class="rc-button" download href=move || console.api().activity_csv_url(&filters.get())>
                    {console.t().download_csv}
                </a>
            </div>
            {move || problem.get().map(|m| view! { <p class="rc-callout rc-warn" role="alert">{m}</p> })}
            <Transition fallback=Loading>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| page.refetch()) /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="rc-muted rc-empty" role="status">{console.t().no_activity}</p> }.into_any(),
                    Ok(p) => view! { <ActivityTable items=p.items set_customer=Callback::new(move |id: String| {
                        set.run(("customer", Some(id)));
                        focus_soon("#rc-activity-title");
                    }) /> }.into_any(),
                })}
            </Transition>
            <div class="rc-pager">
                <span class="rc-buttons">
                    <button type="button" disabled=move || stack().is_empty()
                        on:click=move |_| {
                            let mut c = stack();
                            c.pop();
                            cursors.set((filters.get_untracked(), c));
                            focus_soon("#rc-activity-title");
                        }>
                        {console.t().newer}
                    </button>
                    <button type="button" disabled=move || shown().and_then(|p| p.next).is_none()
                        on:click=move |_| if let Some(next) = shown().and_then(|p| p.next) {
                            // A second click while the page loads must not skip one.
                            let mut c = stack();
                            if c.last() != Some(&next) {
                                c.push(next);
                            }
                            cursors.set((filters.get_untracked(), c));
                            focus_soon("#rc-activity-title");
                        }>
                        {console.t().older}
                    </button>
                </span>
            </div>
        </section>
    }
}

#[component]
fn ActivityTable(items: Vec<ActivityEntry>, set_customer: Callback<String>) -> impl IntoView {
    let console = use_console();
    view! {
        <table class="rc-table rc-activity-table" aria-label=console.t().activity>
            <thead><tr>
                <th scope="col">{console.t().col_when}</th>
                <th scope="col">{console.t().customer}</th>
                <th scope="col">{console.t().col_offer}</th>
                <th scope="col">{console.t().col_change}</th>
                <th scope="col">{console.t().col_agent}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|entry| {
                    let e = entry.event;
                    let (at, datetime) = (e.at.clone(), e.at.clone());
                    let customer = entry.customer_id.to_string();
                    let href = console.href(&routes::subscription(e.subscription_id));
                    let (what, who) = (e.clone(), e);
                    view! {
                        <tr>
                            <td><time datetime=datetime>{move || format::moment(console.lang.get(), &at)}</time></td>
                            <td data-label=console.t().customer>
                                // Only this customer's changes.
                                <button type="button" class="rc-link" title=console.t().only_this_customer on:click=move |_| set_customer.run(customer.clone())>
                                    {entry.customer_name}
                                </button>
                            </td>
                            <td data-label=console.t().col_offer><a href=href>{entry.offer_name}</a></td>
                            <td>{move || describe(&what, console.t(), console.lang.get())}</td>
                            <td class="rc-muted" data-label=console.t().col_agent>{move || actor(&who, console.t())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
