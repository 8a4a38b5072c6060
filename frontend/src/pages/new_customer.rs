//! *Add customer*: a company name and a primary domain, checked as the agent types by the
//! rules the server runs; on success, the new customer's action pane.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::Customer;
use shared::api::NewCustomerRequest;
use shared::customer_details::{normalise_company_name, normalise_domain};
use shared::roles::Permission;

use crate::action::action_then;
use crate::api::ApiError;
use crate::components::notice::FailureNotice;
use crate::components::text_field::TextField;
use crate::console::use_console;
use crate::i18n::error_message;
use crate::routes::ListLocation;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let console = use_console();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let domain = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let refusal = move || console.refusal(Permission::Order);
    let rule = move |result: Result<String, shared::RuleError>| {
        result.err().map(|e| e.message(console.lang.get()))
    };
    let name_message = move || {
        (submitted.get() || !name.get().is_empty())
            .then(|| rule(normalise_company_name(&name.get())))
            .flatten()
    };
    // Added: the new customer's action pane, in the list narrowed to it.
    let add = action_then(
        move |request: &NewCustomerRequest| {
            let request = request.clone();
            async move { console.api().add_customer(&request).await }
        },
        move |answer: &Result<Customer, ApiError>| {
            if let Ok(customer) = answer {
                let path = ListLocation {
                    customer: Some(customer.id),
                    search: customer.name.clone(),
                    ..Default::default()
                }
                .path();
                let to_list = NavigateOptions {
                    resolve: false,
                    ..Default::default()
                };
                navigate(&console.href(&path), to_list);
            }
        },
    );
    let pending = add.pending();
    // The domain last sent: the server's answer about it is shown only while it is still typed.
    let sent = RwSignal::new(String::new());
    // A domain another customer has is the server's to say; it is shown at the field.
    let taken = move || match add.value().get() {
        Some(Err(ApiError::Refused(body)))
            if body.field.as_deref() == Some("domain")
                && normalise_domain(&domain.get()).is_ok_and(|d| d == sent.get()) =>
        {
            Some(error_message(console.lang.get(), &body))
        }
        _ => None,
    };
    let domain_message = move || {
        (submitted.get() || !domain.get().is_empty())
            .then(|| rule(normalise_domain(&domain.get())))
            .flatten()
            .or_else(taken)
    };
    let failure = Signal::derive(move || match add.value().get() {
        // Refused at a field shown with its own message; any other refusal, here.
        Some(Err(ApiError::Refused(body))) if body.field.as_deref() == Some("domain") => None,
        other => other.and_then(Result::err),
    });
    let submit = move || {
        submitted.set(true);
        if pending.get_untracked() || refusal().is_some() {
            return;
        }
        if let (Ok(name), Ok(domain)) = (
            normalise_company_name(&name.get_untracked()),
            normalise_domain(&domain.get_untracked()),
        ) {
            sent.set(domain.clone());
            add.dispatch(NewCustomerRequest { name, domain });
        }
    };
    view! {
        <nav class="rc-breadcrumb rc-muted" aria-label="Breadcrumb">
            <a href=move || console.href("/")>{console.t().back_to_customers}</a>
            " ›"
        </nav>
        <h1>{console.t().add_customer}</h1>
        <div class="rc-card rc-order">
            {move || refusal().map(|why| view! { <p class="rc-callout rc-info">{why}</p> })}
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField id="rc-company" name="name" label=|t| t.company_name text=name
                    autocomplete="organization" message=Signal::derive(name_message) />
                <TextField id="rc-domain" name="domain" label=|t| t.primary_domain text=domain
                    hint=|t| t.domain_hint message=Signal::derive(domain_message) />
                <div aria-live="assertive"><FailureNotice failure retry=Callback::new(move |_| submit()) /></div>
                <div class="rc-buttons">
                    <button type="submit" class="rc-primary" disabled=move || pending.get() || refusal().is_some()>
                        {move || if pending.get() { console.t().adding } else { console.t().add_customer }}
                    </button>
                    <a class="rc-button" href=move || console.href("/")>{console.t().cancel}</a>
                </div>
            </form>
        </div>
    }
}
