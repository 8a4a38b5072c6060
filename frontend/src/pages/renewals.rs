//! *Renewals*: the partner's subscriptions whose term ends in the next 7, 30 or 90 days, across
//! all customers, each linking to its page; and the same as a calendar file with reminders.

use leptos::prelude::*;
use shared::renewals::{RENEWAL_WINDOWS, Renewal, TermEnd};

use crate::components::loading::Loading;
use crate::components::notice::ErrorNotice;
use crate::console::use_console;
use crate::format;
use crate::routes;

#[component]
pub fn RenewalsPage() -> impl IntoView {
    let console = use_console();
    let days = RwSignal::new(30u32);
    let list = LocalResource::new(move || {
        let days = days.get();
        async move { console.api().renewals(days).await }
    });
    view! {
        <h1>{console.t().renewals}</h1>
        <section class="rc-card rc-renewals">
            <p class="rc-muted">{console.t().renewals_intro}</p>
            <div class="rc-toolbar" role="group" aria-label=console.t().renewals>
                {RENEWAL_WINDOWS.iter().map(|d| {
                    let d = *d;
                    view! {
                        <button type="button" class="rc-window" aria-pressed=move || (days.get() == d).to_string()
                            class:rc-primary=move || days.get() == d on:click=move |_| days.set(d)>
                            {move || (console.t().next_days)(d)}
                        </button>
                    }
                }).collect_view()}
                <a class="rc-button rc-calendar" download href=move || console.api().renewals_calendar_url(days.get())>
                    {console.t().add_to_calendar}
                </a>
            </div>
            // How many, said when the window changes (the table alone changes silently).
            <p class="rc-small rc-muted rc-renewal-count" role="status">
                {move || list.get().and_then(|r| r.ok()).map(|items| (console.t().terms_ending)(items.len(), days.get()))}
            </p>
            <Transition fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| list.refetch()) /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="rc-muted rc-empty">{console.t().no_renewals}</p> }.into_any(),
                    Ok(items) => view! { <RenewalTable items /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RenewalTable(items: Vec<Renewal>) -> impl IntoView {
    let console = use_console();
    let lang = move || console.lang.get();
    view! {
        <table class="rc-table rc-renewal-table" aria-label=console.t().renewals>
            <thead><tr>
                <th scope="col">{console.t().col_term_ends}</th>
                <th scope="col">{console.t().col_offer}</th>
                <th scope="col" class="rc-num">{console.t().seats_label}</th>
                <th scope="col" class="rc-num rc-col-domain">{console.t().col_monthly}</th>
                <th scope="col">{console.t().status}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|r| {
                    let s = r.subscription;
                    let end = s.commitment_end.clone();
                    let href = console.href(&routes::subscription(s.id));
                    let (cents, currency) = (r.monthly_cost_cents, s.currency.clone());
                    // To roles that see costs: the margin of the new term's month.
                    let margin = r.monthly_partner_cost_cents.map(|cost| {
                        let price = i64::try_from(cents).unwrap_or(i64::MAX);
                        (price - cost, price < cost)
                    });
                    let margin_currency = currency.clone();
                    let (term_end, days_left) = (r.term_end, r.days_left);
                    view! {
                        <tr>
                            <td>
                                {move || format::day(lang(), &end)}
                                <span class="rc-muted rc-small rc-block">{move || (console.t().days_left)(days_left)}</span>
                            </td>
                            <td>
                                // Named with the customer: many rows share an offer.
                                <a href=href aria-label=format!("{} — {}", s.offer_name, s.customer_name)>{s.offer_name.clone()}</a>
                                <span class="rc-muted rc-small rc-block">{s.customer_name.clone()}</span>
                            </td>
                            <td class="rc-num rc-renewal-seats" data-label=console.t().seats_label>
                                {s.quantity}
                                // The change scheduled for the renewal, where there is one.
                                {s.scheduled.clone().map(|c| view! {
                                    <span class="rc-muted rc-small rc-block rc-renewal-scheduled">
                                        {move || format!("{}: {} ({})", console.t().at_renewal, c.quantity, console.t().term(c.term))}
                                    </span>
                                })}
                            </td>
                            <td class="rc-num rc-col-domain">
                                {move || format::money(lang(), cents, &currency)}
                                {margin.map(|(m, below)| view! {
                                    <span class="rc-muted rc-small rc-block rc-renewal-margin" class:rc-below-cost=below>
                                        {move || (console.t().margin_cell)(&format::signed_money(lang(), m, &margin_currency), below)}
                                    </span>
                                })}
                            </td>
                            <td>
                                <span class="rc-badge" class:rc-badge-active=term_end == TermEnd::Renews
                                    class:rc-badge-suspended=term_end != TermEnd::Renews>
                                    {move || match term_end {
                                        TermEnd::Renews => console.t().term_renews,
                                        TermEnd::Expires => console.t().term_expires,
                                        TermEnd::Ends => console.t().term_ends,
                                    }}
                                </span>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
