//! English: the product's wording.

use super::{Lang, Text};

pub static EN: Text = Text {
    lang: Lang::En,
    language_name: "English",
    language: "Language",
    brand: "Reseller Console",
    sign_out: "Sign out",
    sign_in_title: "Sign in to Reseller Console",
    email: "E-mail",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    bad_credentials: "The e-mail or password is not right.",
    session_expired: "Your session has ended: sign in again to continue where you were.",
    loading: "Loading…",
    network_error: "The server could not be reached. Check the connection and try again.",
    page_unavailable_title: "Page not loaded",
    page_unavailable: "This page could not be loaded. Check the connection and try again; if it still fails, reload the console: it may have been updated.",
    retry: "Retry",
    not_found: "Not found: it may have been removed, or the link is wrong.",
    customers: "Customers",
    search_label: "Search customers",
    search_placeholder: "Search by company or domain",
    col_company: "Company",
    col_domain: "Domain",
    col_subscriptions: "Subscriptions",
    previous: "Previous",
    next: "Next",
    showing: |from, to, total| format!("{from}–{to} of {total} customers"),
    matching: |q| format!(" matching “{q}”"),
    no_customers: "No customers match.",
    keyboard_hint: "↑ ↓ move, Enter opens, Esc closes",
    select_customer: "Select a customer to see its subscriptions.",
    all_customers: "← All customers",
    subscription_count: |n| {
        if n == 1 {
            "1 subscription".into()
        } else {
            format!("{n} subscriptions")
        }
    },
    add_subscriptions: "Add new subscriptions",
    no_subscriptions: "No subscriptions yet.",
    bought_directly_read_only: "Bought directly · read-only",
    bought_directly: "Bought directly",
    new_badge: "New",
    seats: |n| {
        if n == 1 {
            "1 seat".into()
        } else {
            format!("{n} seats")
        }
    },
    renews: |d| format!("renews {d}"),
    auto_renew_off: "auto-renew off",
    customer: "Customer",
    seats_label: "Seats",
    seats_value: |n, min, max| format!("{n} ({min} – {max} for this offer)"),
    status: "Status",
    bought: "Bought",
    through_partner: |p| format!("Through {p}"),
    auto_renew: "Auto-renew",
    on: "On",
    off: "Off",
    created: "Created",
    commitment_end: "Commitment ends",
    history: "History",
    no_history: "No changes yet.",
    seats_over_time: "Seats over time",
    chart_from: "From",
    chart_seats: "Seats",
    chart_range: |most, now| format!("at most {most} · now {now}"),
    download_csv: "Download CSV",
    event_created: |n| format!("subscription ordered, {n} seats"),
    event_seats: |a, b| format!("seats {a} → {b}"),
    event_status: |a, b| format!("status {a} → {b}"),
    edit_quantity: "Edit quantity",
    number_of_licences: "Number of licences",
    submit: "Submit",
    saving: "Saving…",
    cancel: "Cancel",
    seats_changed: |n| format!("Saved: the subscription now has {n} seats."),
    change_status: "Change status",
    changing_prefix: "You are changing",
    changing_for: "for",
    new_status: "New status",
    suspend: "Suspend",
    activate: "Activate",
    suspend_warning: "Suspending starts the customer's cancellation process: its users lose access, and auto-renew is turned off.",
    save: "Save",
    now_suspended: "Saved: the subscription is suspended and auto-renew is off.",
    now_active: "Saved: the subscription is active again.",
    conflict: |seats, status| {
        format!(
            "Someone else changed this subscription while you were working: it now has {seats} seats and is {status}. Your input is kept below."
        )
    },
    apply_again: "Apply my change again",
    new_subscription_for: |c| format!("Add new subscriptions for {c}"),
    step_choose: "1 Offer and seats",
    step_confirm: "2 Confirm",
    select_offer: "Select offer",
    choose_offer: "Choose an offer…",
    choose_offer_error: "Select an offer first.",
    offer_option: |name, price, min, max| {
        format!("{name} — {price} per seat/month, {min}–{max} seats")
    },
    number_of_seats: "Number of seats",
    confirm_title: "Confirm the new subscription",
    offer: "Offer",
    monthly_cost: "Monthly cost",
    confirm_note: "Check the offer and the number of seats: Finish places the order.",
    back: "Back",
    finish: "Finish",
    ordering: "Ordering…",
    back_to_customers: "Customers",
    sections: "Console sections",
    team: "Team",
    account: "Your account",
    add_customer: "Add customer",
    company_name: "Company name",
    primary_domain: "Primary domain",
    domain_hint: "For example contoso.onmicrosoft.com: unique among your customers.",
    adding: "Adding…",
    col_agent: "Agent",
    col_role: "Role",
    col_last_sign_in: "Last sign-in",
    col_state: "State",
    never: "Never",
    state_active: "Active",
    state_disabled: "Disabled",
    disable: "Disable",
    enable: "Enable",
    you: "(you)",
    add_agent: "Add an agent",
    agent_name: "Name",
    role: "Role",
    save_role: "Save role",
    password_optional: "Password (leave empty for a one-time password)",
    one_time_password: |e| format!("Give {e} this one-time password. It is shown only now:"),
    agent_added: |e| format!("Added {e}."),
    agent_saved: |e| format!("Saved: {e}."),
    recent_changes: "Recent changes",
    no_team_changes: "No changes to the team yet.",
    team_event: |actor, agent, action, before, after| match action {
        "added" => format!("{actor} added {agent} as {after}"),
        "disabled" => format!("{actor} disabled {agent}"),
        "enabled" => format!("{actor} re-enabled {agent}"),
        "password_set" => format!("{agent} changed their password"),
        _ => format!("{actor} changed {agent}: {before} → {after}"),
    },
    change_password: "Change password",
    current_password: "Current password",
    new_password: "New password (at least 12 characters)",
    repeat_password: "Repeat the new password",
    passwords_differ: "The two new passwords differ.",
    password_changed: "Saved: your password is changed, and your other sessions have ended.",
    choose_own_password: "You signed in with a password you were given: choose your own to continue.",
    removable_seats: "Seats you can still remove",
    removable_badge: |n| format!("{n} removable"),
    turn_auto_renew_off: "Turn auto-renew off",
    turn_auto_renew_on: "Turn auto-renew on",
    auto_renew_now_off: "Saved: auto-renew is off; the subscription ends with its term.",
    auto_renew_now_on: "Saved: auto-renew is on; the subscription renews at the end of its term.",
    event_auto_renew: |on| format!("auto-renew {}", if on { "on" } else { "off" }),
    renewals: "Renewals",
    renewals_intro: "Subscriptions you sold whose term ends soon: renewing ones lock their seats for another term; the others expire.",
    next_days: |d| format!("Next {d} days"),
    col_term_ends: "Term ends",
    col_offer: "Offer",
    col_monthly: "Monthly",
    term_renews: "Renews",
    term_expires: "Expires",
    term_ends: "Ends (suspended)",
    days_left: |d| match d {
        0 => "today".into(),
        1 => "in 1 day".into(),
        d => format!("in {d} days"),
    },
    no_renewals: "No term ends in this window.",
    terms_ending: |n, d| match n {
        1 => format!("1 term ends in the next {d} days."),
        n => format!("{n} terms end in the next {d} days."),
    },
    add_to_calendar: "Add to calendar (.ics, reminder 7 days before)",
    cost_preview: |from, to, up, per_month, now| {
        if up {
            format!(
                "{from} → {to} seats: +{per_month} a month; {now} charged now for the rest of this term."
            )
        } else {
            format!(
                "{from} → {to} seats: −{per_month} a month; {now} credited for the rest of this term."
            )
        }
    },
    margin_preview: |to, cost, margin, below| {
        let flag = if below {
            " Below cost: this customer's price is under what Microsoft charges you."
        } else {
            ""
        };
        format!("At {to} seats: {cost} a month to Microsoft, a margin of {margin} a month.{flag}")
    },
    margin_cell: |margin, below| {
        if below {
            format!("Below cost: {margin}")
        } else {
            format!("Margin {margin}")
        }
    },
    none_removable: "None: seats can be removed only within 7 days of being added.",
    removable_until: |n, when| {
        if n == 1 {
            format!("1 seat until {when}")
        } else {
            format!("{n} seats until {when}")
        }
    },
    cancel_subscription: "Cancel subscription",
    cancel_warning: |refund, full| {
        format!(
            "Cancelling ends the subscription now: its users lose access and it cannot be reactivated. Refund: {refund}{}.",
            if full {
                " (all of it: within 24 hours of the order)"
            } else {
                " for the unused days of the term"
            }
        )
    },
    now_cancelled: "Saved: the subscription is cancelled.",
    drops_schedule: "This also removes the change scheduled for the renewal.",
    term_label: "Term",
    billed_monthly: "billed monthly",
    billed_annually: "billed annually",
    renews_on: |d, w| format!("renews on {d} ({w})"),
    expires_on: |d, w| format!("expires on {d} ({w}): auto-renew is off"),
    disabled_on: |d, w| format!("is disabled on {d} ({w})"),
    deleted_on: |d, w| format!("is deleted on {d} ({w})"),
    cancelled_for_good: "cancelled: read-only",
    at_renewal: "At renewal",
    renews_unchanged: "No change scheduled: it renews as it is.",
    scheduled_value: |n, term, cost| format!("{n} seats, {term}: {cost} a month"),
    manage_renewal: "Manage renewal",
    next_term: "Next term",
    remove_schedule: "Remove the scheduled change",
    schedule_saved: "Saved: the change is scheduled for the renewal.",
    schedule_removed: "Saved: the subscription renews as it is.",
    expires_badge: |d| format!("expires {d}"),
    renewal_actor: "automatic renewal",
    term_end_actor: "end of term",
    import_actor: "import",
    event_imported: |src, n, status, end| {
        format!("imported from {src}: {n} seats, {status}, term ends {end}")
    },
    older_in_csv: "Only the latest changes are shown: the CSV has them all.",
    activity: "Activity",
    activity_intro: "Every change to your customers' subscriptions, newest first.",
    date_from: "From",
    date_to: "To",
    col_when: "When",
    col_change: "Change",
    any_action: "All actions",
    any_agent: "All agents",
    only_me: "Only me",
    action_label: "Action",
    actions: [
        "Ordered",
        "Seats changed",
        "Status changed",
        "Auto-renew changed",
        "Renewal scheduled",
        "Renewed",
        "Imported",
        "Changed in Partner Center",
    ],
    newer: "Newer",
    older: "Older",
    no_activity: "No changes match these filters.",
    customer_filter: |name| format!("Customer: {name}"),
    all_customers_filter: "All customers",
    only_this_customer: "Show only this customer's changes",
    downloads: "Download (CSV):",
    export_customers: "customers",
    export_subscriptions: "all subscriptions",
    event_renewed: |end, n| format!("renewed until {end}, {n} seats"),
    event_scheduled: |n, term| format!("scheduled for renewal: {n} seats, {term}"),
    event_schedule_removed: "scheduled change removed",
    time_left: |s| match s {
        s if s <= 0 => "closed".into(),
        s if s >= 86_400 => format!("{} days {} hours left", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("{} hours {} min left", s / 3600, s % 3600 / 60),
        s => format!("{} min left", (s + 59) / 60),
    },
    partner_center_actor: "Partner Center",
    event_partner_center: |c| format!("changed in Partner Center: {c}"),
    event_ends: |end| format!("term ends {end}"),
    waiting_badge: "Waiting for Microsoft",
    failed_badge: "Microsoft did not answer",
    missing_badge: "Not in Partner Center",
    missing_explained: |when| {
        format!(
            "The last sync ({when}) did not find this subscription in Partner Center. It is kept here; check it in Partner Center."
        )
    },
    renewal_settings: "renewal settings",
    pending_title: |what| format!("Waiting for Microsoft: {what}."),
    pending_detail: |by, when, n| format!("Asked by {by}, {when}. Attempts so far: {n}."),
    pending_values: "The values below change once Partner Center confirms it.",
    pending_next: |when| format!("Next attempt {when}."),
    pending_last_error: |e| format!("Last attempt: {e}."),
    failed_title: |what| {
        format!("Microsoft did not answer: {what}. Nothing was changed, here or in Partner Center.")
    },
    send_again: "Send again",
    discard_change: "Discard the change",
    sent_waiting: "Sent to Microsoft: it shows here once Partner Center confirms it.",
    change_discarded: "Discarded: the subscription stays as it is.",
    microsoft_confirmed: "Done: Partner Center confirmed the change.",
    orders_waiting: |n| match n {
        1 => "1 order waiting for Microsoft".into(),
        n => format!("{n} orders waiting for Microsoft"),
    },
    pending_orders_title: "Orders waiting for Microsoft",
    order_pending_title: |offer, n| format!("Waiting for Microsoft: {n} × {offer}."),
    order_failed_title: |offer, n| format!("Microsoft did not answer this order: {n} × {offer}."),
    stage_cart: "Not in Partner Center yet.",
    stage_checkout: "In a Partner Center cart, not ordered yet.",
    stage_provisioning: "Ordered: Microsoft is creating the subscription.",
    order_sent_waiting: "Sent to Microsoft: the subscription joins the customer's list once Partner Center has created it.",
    order_confirmed: "Done: Microsoft created the subscription.",
    order_answered: "Partner Center answered an order: the customer's subscriptions show what it created.",
    discard_order: "Give the order up",
    order_discarded: "Order given up: nothing more is sent to Microsoft.",
    refused_badge: "Refused by Microsoft",
    attempts_so_far: |n| format!("Attempts: {n}."),
    order_of: |n, offer| format!("order of {n} × {offer}"),
    queue_title: "Waiting for Microsoft",
    queue_note: "Changes and orders Partner Center has not confirmed yet, and those Microsoft refused in the last 7 days (nothing was changed or bought for those).",
};
