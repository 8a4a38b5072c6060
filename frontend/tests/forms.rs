//! The forms in a real browser: mounted components, real DOM events, the `shared` rules'
//! messages as the agent sees them. Run by `cargo test -p frontend --target wasm32-unknown-unknown`
//! in headless Chromium.
#![cfg(target_arch = "wasm32")]

use frontend::Options;
use frontend::components::seat_form::SeatForm;
use frontend::components::status_form::StatusForm;
use frontend::components::text_field::TextField;
use frontend::console::{Console, SessionState};
use frontend::i18n::Lang;
use frontend::pages::new_subscription::OrderForm;
use leptos::prelude::*;
use shared::api::{AgentInfo, PartnerInfo, SessionInfo, SubscriptionView};
use shared::fixtures;
use shared::ids::OfferId;
use shared::model::{Customer, Offer, Role, Status, Subscription};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

mod support;

use support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens on this port: every request fails as a network error would.
const UNREACHABLE_API: &str = "http://127.0.0.1:9";

fn subscription(status: Status) -> SubscriptionView {
    SubscriptionView::new(
        Subscription {
            status,
            auto_renew: status == Status::Active,
            ..fixtures::subscription()
        },
        Role::Admin,
        // The fixture's seats were added at time 0: all still removable.
        0,
    )
}

fn offer(id: &str, name: &str, max: u32, cents: u32) -> Offer {
    Offer {
        name: name.into(),
        price_per_seat_cents: cents,
        ..fixtures::offer(id, 1, max)
    }
}

/// Mounts `view` into a fresh element of the page, with a console context in which an agent
/// of `role` is signed in.
fn mount_as<V: IntoView + 'static>(
    role: Role,
    language: Lang,
    view: impl FnOnce() -> V + 'static,
) -> HtmlElement {
    let host = new_root();
    let options = Options {
        base_path: String::new(),
        api_base: UNREACHABLE_API.into(),
        language,
        sign_in_token: None,
    };
    leptos::mount::mount_to(host.clone(), move || {
        let console = Console::new(&options);
        console.session.set(SessionState::SignedIn(SessionInfo {
            agent: AgentInfo {
                id: "5f0c7a1e-1111-4c59-8d3e-0f1a2b3c4d5e".parse().unwrap(),
                email: "agent@northwind.example".into(),
                display_name: "Agent".into(),
                role,
            },
            partner: PartnerInfo {
                id: "6a0c7a1e-2222-4c59-8d3e-0f1a2b3c4d5e".parse().unwrap(),
                name: "Northwind Reseller".into(),
            },
            must_change_password: false,
        }));
        provide_context(console);
        view()
    })
    .forget();
    host
}

fn mount<V: IntoView + 'static>(language: Lang, view: impl FnOnce() -> V + 'static) -> HtmlElement {
    mount_as(Role::Admin, language, view)
}

fn value(root: &HtmlElement, selector: &str) -> String {
    find(root, selector)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

fn seat_form(language: Lang) -> (HtmlElement, RwSignal<Option<SubscriptionView>>) {
    let saved = RwSignal::new(None);
    let root = mount(language, move || {
        let current = RwSignal::new(subscription(Status::Active));
        view! { <SeatForm current on_saved=Callback::new(move |v| saved.set(Some(v))) on_cancel=Callback::new(|_| ()) /> }
    });
    (root, saved)
}

#[wasm_bindgen_test]
async fn seat_form_validates_as_the_agent_types() {
    let (root, _) = seat_form(Lang::En);
    let submit = "button[type=submit]";
    until(&root, "the form", || {
        root.query_selector("#rc-seats").unwrap().is_some()
    })
    .await;
    // Starts on the current value: nothing to submit, and no complaint before typing.
    until(&root, "the current value", || {
        value(&root, "#rc-seats") == "10"
    })
    .await;
    assert!(disabled(&root, submit));
    assert_eq!(text(&root, "#rc-seats-message"), "");

    for (typed, message) in [
        ("0", "Too few: this offer allows between 1 and 300 seats."),
        (
            "301",
            "Too many: this offer allows between 1 and 300 seats.",
        ),
        ("abc", "Not a number: enter between 1 and 300 seats."),
        ("2.5", "Whole seats only: enter between 1 and 300 seats."),
        ("", "Enter the number of seats: between 1 and 300 seats."),
        (
            "10",
            "The subscription already has 10 seats: enter a different number.",
        ),
    ] {
        type_into(&root, "#rc-seats", typed);
        until(&root, message, || {
            text(&root, "#rc-seats-message") == message
        })
        .await;
        assert!(disabled(&root, submit), "{typed:?} cannot be submitted");
        assert_eq!(
            find(&root, "#rc-seats")
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("true")
        );
    }
    type_into(&root, "#rc-seats", "12");
    until(&root, "the message to clear", || {
        text(&root, "#rc-seats-message").is_empty()
    })
    .await;
    assert!(!disabled(&root, submit));
    assert_eq!(
        find(&root, "#rc-seats")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("false")
    );
    // The cost before Submit: 2 seats at €6.00, an annual term with all of it left.
    assert_eq!(
        text(&root, ".rc-cost-preview"),
        "10 → 12 seats: +€12.00 a month; €144.00 charged now for the rest of this term."
    );
    type_into(&root, "#rc-seats", "abc");
    until(&root, "no cost for an invalid count", || {
        text(&root, ".rc-cost-preview").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn seat_form_speaks_italian() {
    let (root, _) = seat_form(Lang::It);
    until(&root, "the form", || {
        root.query_selector("#rc-seats").unwrap().is_some()
    })
    .await;
    type_into(&root, "#rc-seats", "301");
    let expected = "Troppe: questa offerta consente tra 1 e 300 licenze.";
    until(&root, expected, || {
        text(&root, "#rc-seats-message") == expected
    })
    .await;
    assert_eq!(text(&root, "label[for=rc-seats]"), "Numero di licenze");
}

#[wasm_bindgen_test]
async fn a_network_failure_offers_retry_and_keeps_what_was_typed() {
    let (root, saved) = seat_form(Lang::En);
    until(&root, "the form", || {
        root.query_selector("#rc-seats").unwrap().is_some()
    })
    .await;
    type_into(&root, "#rc-seats", "42");
    until(&root, "submit enabled", || {
        !disabled(&root, "button[type=submit]")
    })
    .await;
    find(&root, "button[type=submit]").click();
    until(&root, "the failure", || {
        root.query_selector(".rc-retry").unwrap().is_some()
    })
    .await;
    assert!(text(&root, "[role=alert]").contains("could not be reached"));
    assert_eq!(
        find(&root, "#rc-seats")
            .unchecked_into::<HtmlInputElement>()
            .value(),
        "42"
    );
    assert!(saved.get_untracked().is_none());
    assert!(
        !disabled(&root, "button[type=submit]"),
        "the agent can submit again"
    );
}

#[wasm_bindgen_test]
async fn status_form_names_the_subscription_and_warns_before_suspending() {
    let root = mount(Lang::En, || {
        let current = RwSignal::new(subscription(Status::Active));
        view! { <StatusForm current on_saved=Callback::new(|_| ()) on_cancel=Callback::new(|_| ()) /> }
    });
    until(&root, "the form", || {
        root.query_selector("#rc-status").unwrap().is_some()
    })
    .await;
    assert_eq!(
        text(&root, ".rc-changing"),
        "You are changing Microsoft 365 Business Basic for Contoso Ltd."
    );
    // An active subscription starts on Suspend, with the warning, before anything is saved.
    assert_eq!(
        find(&root, "#rc-status")
            .unchecked_into::<HtmlSelectElement>()
            .value(),
        "suspended"
    );
    assert!(
        text(&root, ".rc-suspend-warning").contains("starts the customer's cancellation process")
    );
    assert!(!disabled(&root, "button[type=submit]"));
    // Only what the status allows is offered: no "Activate" on an active subscription.
    let options: Vec<String> = (0..find(&root, "#rc-status").child_element_count())
        .map(|i| {
            find(&root, "#rc-status")
                .children()
                .item(i)
                .unwrap()
                .get_attribute("value")
                .unwrap()
        })
        .collect();
    assert_eq!(options, ["suspended", "cancelled"]);
    // Cancelling within a day of the order: the refund is all that was invoiced (billed monthly:
    // one month of 10 seats at 6.00), said before Save.
    choose(&root, "#rc-status", "cancelled");
    until(&root, "the refund", || {
        text(&root, ".rc-suspend-warning").contains("cannot be reactivated")
    })
    .await;
    let warning = text(&root, ".rc-suspend-warning");
    assert!(warning.contains("Refund: €60.00 (all of it"), "{warning}");
    assert!(!disabled(&root, "button[type=submit]"));
}

fn order_data() -> (Customer, Vec<Offer>) {
    let offers = vec![
        offer("teams-essentials", "Microsoft Teams Essentials", 300, 370),
        offer("m365-e3", "Microsoft 365 E3", 10000, 3370),
    ];
    let customer = Customer {
        id: "0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d".parse().unwrap(),
        name: "Contoso Ltd".into(),
        domain: "contosoltd.onmicrosoft.com".into(),
        subscription_count: 3,
        created_at: "2024-01-01T00:00:00Z".into(),
    };
    (customer, offers)
}

#[wasm_bindgen_test]
async fn a_read_only_agent_sees_why_it_cannot_order() {
    let (customer, offers) = order_data();
    let root = mount_as(Role::ReadOnly, Lang::En, move || {
        view! { <leptos_router::components::Router><OrderForm customer offers /></leptos_router::components::Router> }
    });
    until(&root, "the form", || {
        root.query_selector("#rc-offer").unwrap().is_some()
    })
    .await;
    choose(&root, "#rc-offer", "m365-e3");
    type_into(&root, "#rc-new-seats", "5");
    until(&root, "the seats to be valid", || {
        text(&root, "#rc-new-seats-message").is_empty()
    })
    .await;
    assert!(
        disabled(&root, "form button[type=submit]"),
        "a valid order, but not this agent's to place"
    );
    assert_eq!(
        text(&root, ".rc-callout.rc-info"),
        "Your role (Read-only agent) cannot add customers or order subscriptions: ask an Admin agent or a Sales agent."
    );
}

#[wasm_bindgen_test]
async fn order_form_validates_seats_per_offer_and_confirms_the_cost() {
    let (customer, offers) = order_data();
    let root = mount(Lang::En, move || {
        view! { <leptos_router::components::Router><OrderForm customer offers /></leptos_router::components::Router> }
    });
    until(&root, "the form", || {
        root.query_selector("#rc-offer").unwrap().is_some()
    })
    .await;
    let options = root
        .query_selector_all("#rc-offer option")
        .unwrap()
        .length();
    assert_eq!(options, 3, "a placeholder and the partner's two offers");
    assert!(
        disabled(&root, "form button[type=submit]"),
        "nothing chosen yet"
    );

    choose(&root, "#rc-offer", "teams-essentials");
    type_into(&root, "#rc-new-seats", "301");
    let too_many = "Too many: this offer allows between 1 and 300 seats.";
    until(&root, too_many, || {
        text(&root, "#rc-new-seats-message") == too_many
    })
    .await;
    assert!(disabled(&root, "form button[type=submit]"));

    // The same count is fine for an offer with higher bounds.
    choose(&root, "#rc-offer", "m365-e3");
    until(&root, "the message to clear", || {
        text(&root, "#rc-new-seats-message").is_empty()
    })
    .await;
    assert!(!disabled(&root, "form button[type=submit]"));
    find(&root, "form button[type=submit]").click();
    until(&root, "the confirmation step", || {
        root.query_selector(".rc-finish").unwrap().is_some()
    })
    .await;
    assert_eq!(text(&root, ".rc-confirm-offer"), "Microsoft 365 E3");
    assert_eq!(text(&root, ".rc-confirm-seats"), "301");
    assert_eq!(text(&root, ".rc-confirm-cost"), "301 × €33.70 = €10,143.70");
    assert!(
        root.query_selector(".rc-margin-preview").unwrap().is_none(),
        "no cost known: no margin"
    );

    // Back keeps what was entered.
    find(&root, ".rc-buttons button").click();
    until(&root, "the first step", || {
        root.query_selector("#rc-new-seats").unwrap().is_some()
    })
    .await;
    assert_eq!(
        find(&root, "#rc-new-seats")
            .unchecked_into::<HtmlInputElement>()
            .value(),
        "301"
    );
}

#[wasm_bindgen_test]
async fn the_order_confirmation_shows_the_margin_and_flags_a_price_below_cost() {
    let (customer, offers) = order_data();
    // What Microsoft charges the partner: more than this customer's price for E3.
    let costs = vec![(OfferId("m365-e3".into()), 3500)];
    let root = mount(Lang::En, move || {
        view! { <leptos_router::components::Router><OrderForm customer offers costs /></leptos_router::components::Router> }
    });
    until(&root, "the form", || {
        root.query_selector("#rc-offer").unwrap().is_some()
    })
    .await;
    choose(&root, "#rc-offer", "m365-e3");
    type_into(&root, "#rc-new-seats", "2");
    until(&root, "Submit to be enabled", || {
        !disabled(&root, "form button[type=submit]")
    })
    .await;
    find(&root, "form button[type=submit]").click();
    until(&root, "the confirmation step", || {
        root.query_selector(".rc-finish").unwrap().is_some()
    })
    .await;
    assert_eq!(text(&root, ".rc-confirm-cost"), "2 × €33.70 = €67.40");
    assert_eq!(
        text(&root, ".rc-margin-preview"),
        "At 2 seats: €70.00 a month to Microsoft, a margin of −€2.60 a month. Below cost: this customer's price is under what Microsoft charges you."
    );
}

/// Changes to the subtree of the element with `id` since this was called, counted by a
/// MutationObserver (what screen readers react to in a live region).
fn count_mutations(id: &str) -> impl Fn() -> f64 {
    let key = format!("__rcMutations_{id}");
    let observe = js_sys::Function::new_with_args(
        "id, key",
        "window[key] = 0; new MutationObserver(ms => { window[key] += ms.length; })\
         .observe(document.getElementById(id), {childList: true, characterData: true, subtree: true});",
    );
    observe
        .call2(
            &wasm_bindgen::JsValue::NULL,
            &id.into(),
            &key.as_str().into(),
        )
        .unwrap();
    move || {
        js_sys::Reflect::get(&web_sys::window().unwrap(), &key.as_str().into())
            .unwrap()
            .as_f64()
            .unwrap()
    }
}

/// A field's message is announced when it changes, not again at each keystroke that leaves it
/// the same (its live region's text is not rewritten).
#[wasm_bindgen_test]
async fn a_field_message_is_written_once_while_it_stays_the_same() {
    let root = mount(Lang::En, move || {
        let text = RwSignal::new(String::new());
        let message = Signal::derive(move || {
            (text.get().chars().count() < 5).then(|| "At least 5 characters.".to_owned())
        });
        view! { <TextField id="rc-test-field" name="test" label=|t| t.email text message /> }
    });
    until(&root, "the message", || {
        text(&root, "#rc-test-field-message") == "At least 5 characters."
    })
    .await;
    let mutations = count_mutations("rc-test-field-message");
    for typed in ["a", "ab", "abc", "abcd"] {
        type_into(&root, "#rc-test-field", typed);
        sleep(20).await;
    }
    assert_eq!(mutations(), 0.0, "the same message, untouched");
    type_into(&root, "#rc-test-field", "abcde");
    until(&root, "the message to go", || {
        text(&root, "#rc-test-field-message").is_empty()
    })
    .await;
    sleep(20).await;
    assert!(mutations() > 0.0, "the observer sees a change");
}
