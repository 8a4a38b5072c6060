//! *Statement*: what one customer owes for a month, line by line at the partner's prices,
//! worked out by the server from the audit trail. Printable as an A4 page a partner could
//! send (the print stylesheet leaves out the console around it), and as CSV.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::ids::CustomerId;
use shared::statements::{Month, Statement, SubscriptionCharges};

use crate::components::loading::Loading;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;
use crate::routes::{self, ListLocation};

#[component]
pub fn StatementPage() -> impl IntoView {
    let console = use_console();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let customer = Memo::new(move |_| {
        params.with(|p| p.get("customer").and_then(|c| c.parse::<CustomerId>().ok()))
    });
    // The month of the URL, read by the server's rule; this month when there is none.
    let month = Memo::new(move |_| {
        query
            .with(|q| q.get("month"))
            .filter(|m| Month::parse(m).is_ok())
            .unwrap_or_else(routes::this_month)
    });
    let statement = LocalResource::new(move || {
        let (customer, month) = (customer.get(), month.get());
        async move {
            match customer {
                Some(c) => console.api().statement(c, &month).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let on_month = move |ev| {
        let text = event_target_value(&ev);
        if let (Some(c), Ok(_)) = (customer.get_untracked(), Month::parse(&text)) {
            let options = NavigateOptions {
                resolve: false,
                ..Default::default()
            };
            navigate(&console.href(&routes::statement(c, &text)), options);
        }
    };
    let print = |_| {
        let _ = window().print();
    };
    let m = console.money();
    view! {
        <Transition fallback=Loading>
            {move || statement.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| statement.refetch()) /> }.into_any(),
                Ok(None) => view! { <p class="rc-callout rc-warn">{console.t().not_found}</p> }.into_any(),
                Ok(Some(s)) => {
                    let back = console.href(&ListLocation::customer(s.customer_id).path());
                    let csv = console.api().statements_csv_url(Some(s.customer_id), &s.month);
                    view! {
                        <h1>{(m.statement_of)(&s.customer_name)}</h1>
                        <div class="rc-toolbar rc-no-print">
                            <a href=back>{console.t().customer}</a>
                            <label class="rc-inline-field">
                                <span>{m.month}</span>
                                <input type="month" class="rc-month" value=s.month.clone() on:change=on_month.clone() />
                            </label>
                            <button type="button" class="rc-print" on:click=print>{m.print}</button>
                            <a class="rc-button" download href=csv>{m.download_csv}</a>
                        </div>
                        <StatementSheet statement=s />
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The statement itself: what prints.
#[component]
fn StatementSheet(statement: Statement) -> impl IntoView {
    let console = use_console();
    let (m, lang) = (console.money(), console.lang.get_untracked());
    let currency = statement.currency.clone();
    let money = move |cents: i64| format::signed_money(lang, cents, &currency);
    let first = format!("{}-01", statement.month);
    view! {
        <section class="rc-card rc-statement">
            <p class="rc-statement-head">
                <strong>{statement.customer_name.clone()}</strong>
                <span class="rc-muted">{format!(" · {} · {}", format::month(lang, &first), statement.currency)}</span>
            </p>
            {if statement.subscriptions.is_empty() {
                view! { <p class="rc-muted rc-empty">{m.no_charges}</p> }.into_any()
            } else {
                let money = money.clone();
                view! {
                    <table class="rc-table rc-statement-table">
                        <thead><tr>
                            <th scope="col">{m.col_charge}</th>
                            <th scope="col">{m.col_period}</th>
                            <th scope="col" class="rc-num">{console.t().seats_label}</th>
                            <th scope="col" class="rc-num">{m.col_price_per_seat}</th>
                            <th scope="col" class="rc-num">{m.col_amount}</th>
                        </tr></thead>
                        {statement.subscriptions.into_iter().map(|part| view! { <Part part money=money.clone() /> }).collect_view()}
                        <tfoot><tr class="rc-statement-total">
                            <th scope="row" colspan="4">{m.total}</th>
                            <td class="rc-num">{money(statement.total_cents)}</td>
                        </tr></tfoot>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// One subscription's lines and subtotal.
#[component]
fn Part(
    part: SubscriptionCharges,
    money: impl Fn(i64) -> String + Clone + 'static,
) -> impl IntoView {
    let console = use_console();
    let (m, lang) = (console.money(), console.lang.get_untracked());
    view! {
        <tbody class="rc-statement-part">
            <tr><th scope="rowgroup" colspan="5" class="rc-statement-offer">{part.offer_name.clone()}</th></tr>
            {part.lines.into_iter().map(|l| view! {
                <tr>
                    <td>{m.line_kind(l.kind, lang)}</td>
                    <td>{format!("{} – {}", format::day(lang, &l.from), format::day(lang, &l.to))}</td>
                    <td class="rc-num">{l.seats}</td>
                    <td class="rc-num">{money(l.price_per_seat_cents)}</td>
                    <td class="rc-num">{money(l.amount_cents)}</td>
                </tr>
            }).collect_view()}
            <tr class="rc-statement-subtotal">
                <th scope="row" colspan="4">{m.subtotal}</th>
                <td class="rc-num">{money(part.subtotal_cents)}</td>
            </tr>
        </tbody>
    }
}
