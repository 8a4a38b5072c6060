//! The top bar: product, the console's sections, partner, who is signed in, language, sign out.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use shared::roles::Permission;

use crate::console::{SessionState, use_console};
use crate::i18n::Lang;
use crate::routes;

#[component]
pub fn Header() -> impl IntoView {
    let console = use_console();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signed out locally whatever the server says: the cookie is cleared either way.
            let _ = console.api().sign_out().await;
            // Leave the page first, then end the session, so pages unmount in order.
            navigate(
                &console.href("/"),
                NavigateOptions {
                    resolve: false,
                    ..Default::default()
                },
            );
            queue_microtask(move || {
                console
                    .session
                    .set(SessionState::SignedOut { expired: false })
            });
        });
    };
    // The section on screen, for screen readers (and the style): customers is everything else.
    let location = use_location();
    let here = move |section: &'static str| {
        let path = location.pathname.get();
        let on = |s: &str| path.ends_with(s);
        let current = match section {
            "/" => ![
                routes::RENEWALS,
                routes::ACTIVITY,
                routes::TEAM,
                routes::ACCOUNT,
                routes::PRICES,
                routes::RECONCILIATION,
            ]
            .into_iter()
            .any(on),
            s => on(s),
        };
        current.then_some("page")
    };
    let on_language = move |ev| {
        console.lang.set(Lang::from_tag(&event_target_value(&ev)));
    };
    view! {
        <header class="rc-header">
            <a class="rc-brand" href=move || console.href("/")>{console.t().brand}</a>
            // No sections while a one-time password waits to be replaced: they would not open.
            {move || console.signed_in().filter(|s| !s.must_change_password).map(|_| view! {
                <nav class="rc-nav" aria-label=console.t().sections>
                    <a href=move || console.href("/") aria-current=move || here("/")>{console.t().customers}</a>
                    <a href=move || console.href(routes::RENEWALS) aria-current=move || here(routes::RENEWALS)>{console.t().renewals}</a>
                    <a href=move || console.href(routes::ACTIVITY) aria-current=move || here(routes::ACTIVITY)>{console.t().activity}</a>
                    {console.may(Permission::SetPrices).then(|| view! {
                        <a href=move || console.href(routes::PRICES) aria-current=move || here(routes::PRICES)>{console.money().prices}</a>
                    })}
                    {console.may(Permission::SeeCosts).then(|| view! {
                        <a href=move || console.href(routes::RECONCILIATION) aria-current=move || here(routes::RECONCILIATION)>{console.money().reconciliation}</a>
                    })}
                    {console.may(Permission::ManageTeam).then(|| view! {
                        <a href=move || console.href(routes::TEAM) aria-current=move || here(routes::TEAM)>{console.t().team}</a>
                    })}
                    <a href=move || console.href(routes::ACCOUNT) aria-current=move || here(routes::ACCOUNT)>{console.t().account}</a>
                </nav>
            })}
            {move || console.signed_in().map(|s| view! {
                <span class="rc-muted rc-partner">{s.partner.name.clone()}</span>
                <span class="rc-who">
                    {s.agent.email.clone()} " · "
                    {console.t().role(s.agent.role)}
                </span>
            })}
            <label class="rc-language">
                <span class="rc-visually-hidden">{console.t().language}</span>
                <select on:change=on_language prop:value=move || console.lang.get().tag()>
                    {Lang::ALL.iter().map(|l| view! { <option value=l.tag()>{crate::i18n::text(*l).language_name}</option> }).collect_view()}
                </select>
            </label>
            {move || console.signed_in().map(|_| view! {
                <button type="button" on:click=sign_out.clone()>{console.t().sign_out}</button>
            })}
        </header>
    }
}
