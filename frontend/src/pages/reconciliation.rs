//! *Reconciliation*: Microsoft's invoice reconciliation file for a month against the console —
//! what to check first (each flag with Microsoft's figure beside the console's), then each
//! customer's cost, price and margin. Admins import the file here; admins and sales read it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::reconciliation::{Flag, FlagKind, Reconciliation};
use shared::roles::Permission;
use shared::statements::Month;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::components::loading::Loading;
use crate::components::notice::{ErrorNotice, FailureNotice};
use crate::console::use_console;
use crate::format;
use crate::routes;

/// The month before this one: Microsoft's invoice for a month arrives early in the next.
fn last_month() -> String {
    Month::parse(&routes::this_month())
        .map_or_else(|_| routes::this_month(), |m| m.previous().to_string())
}

#[component]
pub fn ReconciliationPage() -> impl IntoView {
    let console = use_console();
    let query = use_query_map();
    let navigate = use_navigate();
    let month = Memo::new(move |_| {
        query
            .with(|q| q.get("month"))
            .filter(|m| Month::parse(m).is_ok())
            .unwrap_or_else(last_month)
    });
    let report = LocalResource::new(move || {
        let month = month.get();
        async move { console.api().reconciliation(&month).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let on_month = move |ev| {
        let text = event_target_value(&ev);
        if Month::parse(&text).is_ok() {
            let options = NavigateOptions {
                resolve: false,
                ..Default::default()
            };
            navigate(
                &console.href(&format!("{}?month={text}", routes::RECONCILIATION)),
                options,
            );
        }
    };
    // The file chosen is read as text and sent as the month's; the report shows what it found.
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        busy.set(true);
        spawn_local(async move {
            let name = file.name();
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let result = match text.ok().and_then(|t| t.as_string()) {
                Some(text) => {
                    console
                        .api()
                        .import_reconciliation(&month.get_untracked(), &name, text)
                        .await
                }
                None => Err(ApiError::Network(format!("{name} could not be read"))),
            };
            busy.set(false);
            match result {
                Ok(found) => {
                    failure.set(None);
                    report.set(Some(Ok(Some(found))));
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let m = console.money();
    view! {
        <h1>{m.reconciliation}</h1>
        <section class="rc-card rc-reconciliation">
            <p class="rc-muted">{m.reconciliation_intro}</p>
            <div class="rc-toolbar">
                <label class="rc-inline-field">
                    <span>{m.month}</span>
                    <input type="month" class="rc-month" prop:value=move || month.get() on:change=on_month />
                </label>
                {console.may(Permission::SetPrices).then(|| view! {
                    <label class="rc-button rc-file-button">
                        {move || if busy.get() { m.importing } else { m.import_file }}
                        <input type="file" class="rc-visually-hidden" accept=".csv,text/csv" on:change=on_file disabled=move || busy.get() />
                    </label>
                })}
                {move || report.get().and_then(|r| r.ok()).flatten().map(|_| view! {
                    <a class="rc-button" download href=console.api().reconciliation_csv_url(&month.get())>{m.download_csv}</a>
                })}
            </div>
            <FailureNotice failure retry=Callback::new(|_| ()) />
            {move || failure.get().and_then(|e| match e {
                ApiError::Refused(body) if !body.lines.is_empty() => Some(view! {
                    <ul class="rc-refused-lines">{body.lines.into_iter().take(50).map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                }),
                _ => None,
            })}
        </section>
        <Transition fallback=Loading>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| report.refetch()) /> }.into_any(),
                Ok(None) => view! { <p class="rc-muted rc-empty">{m.no_file}</p> }.into_any(),
                Ok(Some(found)) => view! { <Report found /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Report(found: Reconciliation) -> impl IntoView {
    let console = use_console();
    let (m, lang) = (console.money(), console.lang.get_untracked());
    let currency = found.currency.clone();
    let money = move |cents: i64| format::signed_money(lang, cents, &currency);
    let imported = (m.imported)(
        &found.file_name,
        found.lines,
        &found.imported_by,
        &format::moment(lang, &found.imported_at),
    );
    let count = found.flags.len();
    let below = found.margin_cents < 0;
    view! {
        <section class="rc-card rc-recon-flags">
            <p class="rc-muted rc-small">{imported}</p>
            <h2>{if count == 0 { m.all_match.to_owned() } else { (m.to_check)(count) }}</h2>
            {(count > 0).then(|| view! {
                <table class="rc-table rc-flag-table">
                    <thead><tr>
                        <th scope="col">{m.col_charge}</th>
                        <th scope="col">{m.col_customer}</th>
                        <th scope="col" class="rc-num">{m.col_found}</th>
                    </tr></thead>
                    <tbody>
                        {found.flags.iter().map(|f| view! { <FlagRow flag=f.clone() money=money.clone() /> }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
        <section class="rc-card rc-recon-customers">
            <table class="rc-table rc-margin-table">
                <thead><tr>
                    <th scope="col">{m.col_customer}</th>
                    <th scope="col" class="rc-num">{m.col_microsoft_cost}</th>
                    <th scope="col" class="rc-num">{m.col_customer_price}</th>
                    <th scope="col" class="rc-num">{m.col_margin}</th>
                </tr></thead>
                <tbody>
                    {found.customers.iter().take(500).map(|c| { let (flagged, below) = (c.flags > 0, c.margin_cents < 0); view! {
                        <tr class:rc-flagged=flagged>
                            <td>{c.customer_name.clone()}{(c.flags > 0).then(|| view! { <span class="rc-badge rc-badge-suspended">{c.flags}</span> })}</td>
                            <td class="rc-num">{money(c.microsoft_cost_cents)}</td>
                            <td class="rc-num">{money(c.customer_price_cents)}</td>
                            <td class="rc-num" class:rc-below-cost=below>{money(c.margin_cents)}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{m.total}</th>
                    <td class="rc-num">{money(found.microsoft_cost_cents)}</td>
                    <td class="rc-num">{money(found.customer_price_cents)}</td>
                    <td class="rc-num" class:rc-below-cost=below>{money(found.margin_cents)}</td>
                </tr></tfoot>
            </table>
        </section>
    }
}

#[component]
fn FlagRow(flag: Flag, money: impl Fn(i64) -> String + 'static) -> impl IntoView {
    let console = use_console();
    let (m, lang) = (console.money(), console.lang.get_untracked());
    // Seats are counts; the other figures are money.
    let figure = |v: Option<i64>| match (flag.kind, v) {
        (_, None) => "—".to_owned(),
        (FlagKind::QuantityDiffers, Some(n)) => n.to_string(),
        (_, Some(cents)) => money(cents),
    };
    let found = format!("{} / {}", figure(flag.microsoft), figure(flag.console));
    let what = flag
        .offer_name
        .clone()
        .unwrap_or_else(|| flag.subscription_id.clone());
    let place = [
        flag.line.map(|l| (m.file_line)(l)),
        flag.day.as_deref().map(|d| format::day(lang, d)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <tr>
            <td>
                <strong>{m.flag(flag.kind, lang)}</strong>
                <span class="rc-muted rc-small rc-block">{format!("{what} · {place}")}</span>
            </td>
            <td>{flag.customer_name.clone()}</td>
            <td class="rc-num">{found}</td>
        </tr>
    }
}
