//! Every visible string, once per language. English uses the product's wording (and the
//! `shared` rules' own messages, so the page says what the server would); Italian follows the
//! source article.

use shared::api::{ErrorBody, ErrorCode};
use shared::customer_details::DomainProblem;
use shared::model::{Role, Status, Term};
use shared::roles::Permission;
use shared::rules::RuleError;
use shared::seats::{SeatError, SeatErrorKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    It,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::It];

    /// "it", "it-IT" → Italian; anything else → English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("it") {
            Lang::It
        } else {
            Lang::En
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::It => &IT,
        }
    }
}

pub struct Text {
    pub language_name: &'static str,
    pub language: &'static str,
    pub brand: &'static str,
    pub sign_out: &'static str,
    pub role_admin: &'static str,
    pub role_sales: &'static str,
    pub role_helpdesk: &'static str,
    pub role_read_only: &'static str,
    pub sign_in_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub bad_credentials: &'static str,
    pub session_expired: &'static str,
    pub loading: &'static str,
    pub network_error: &'static str,
    pub retry: &'static str,
    pub not_found: &'static str,
    pub customers: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub col_company: &'static str,
    pub col_domain: &'static str,
    pub col_subscriptions: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub showing: fn(from: u64, to: u64, total: &str) -> String,
    pub matching: fn(query: &str) -> String,
    pub no_customers: &'static str,
    pub keyboard_hint: &'static str,
    pub select_customer: &'static str,
    pub all_customers: &'static str,
    pub subscription_count: fn(n: usize) -> String,
    pub add_subscriptions: &'static str,
    pub no_subscriptions: &'static str,
    pub active: &'static str,
    pub suspended: &'static str,
    pub bought_directly_read_only: &'static str,
    pub bought_directly: &'static str,
    pub new_badge: &'static str,
    pub seats: fn(n: u32) -> String,
    pub monthly: &'static str,
    pub annual: &'static str,
    pub renews: fn(date: &str) -> String,
    pub auto_renew_off: &'static str,
    pub customer: &'static str,
    pub seats_label: &'static str,
    pub seats_value: fn(n: u32, min: u32, max: u32) -> String,
    pub status: &'static str,
    pub bought: &'static str,
    pub through_partner: fn(partner: &str) -> String,
    pub auto_renew: &'static str,
    pub on: &'static str,
    pub off: &'static str,
    pub created: &'static str,
    pub commitment_end: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub seats_over_time: &'static str,
    pub chart_from: &'static str,
    pub chart_seats: &'static str,
    pub chart_range: fn(most: u32, now: u32) -> String,
    pub download_csv: &'static str,
    pub event_created: fn(seats: u32) -> String,
    pub event_seats: fn(before: u32, after: u32) -> String,
    pub event_status: fn(before: &str, after: &str) -> String,
    pub edit_quantity: &'static str,
    pub number_of_licences: &'static str,
    pub submit: &'static str,
    pub saving: &'static str,
    pub cancel: &'static str,
    pub seats_changed: fn(n: u32) -> String,
    pub change_status: &'static str,
    pub changing_prefix: &'static str,
    pub changing_for: &'static str,
    pub new_status: &'static str,
    pub suspend: &'static str,
    pub activate: &'static str,
    pub suspend_warning: &'static str,
    pub save: &'static str,
    pub now_suspended: &'static str,
    pub now_active: &'static str,
    pub conflict: fn(seats: u32, status: &str) -> String,
    pub apply_again: &'static str,
    pub new_subscription_for: fn(customer: &str) -> String,
    pub step_choose: &'static str,
    pub step_confirm: &'static str,
    pub select_offer: &'static str,
    pub choose_offer: &'static str,
    pub choose_offer_error: &'static str,
    pub offer_option: fn(name: &str, price: &str, min: u32, max: u32) -> String,
    pub number_of_seats: &'static str,
    pub confirm_title: &'static str,
    pub offer: &'static str,
    pub monthly_cost: &'static str,
    pub confirm_note: &'static str,
    pub back: &'static str,
    pub finish: &'static str,
    pub ordering: &'static str,
    pub back_to_customers: &'static str,
    pub sections: &'static str,
    pub team: &'static str,
    pub account: &'static str,
    pub add_customer: &'static str,
    pub company_name: &'static str,
    pub primary_domain: &'static str,
    pub domain_hint: &'static str,
    pub adding: &'static str,
    pub col_agent: &'static str,
    pub col_role: &'static str,
    pub col_last_sign_in: &'static str,
    pub col_state: &'static str,
    pub never: &'static str,
    pub state_active: &'static str,
    pub state_disabled: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub you: &'static str,
    pub add_agent: &'static str,
    pub agent_name: &'static str,
    pub role: &'static str,
    pub save_role: &'static str,
    pub password_optional: &'static str,
    pub one_time_password: fn(email: &str) -> String,
    pub agent_added: fn(email: &str) -> String,
    pub agent_saved: fn(email: &str) -> String,
    pub recent_changes: &'static str,
    pub no_team_changes: &'static str,
    pub team_event: fn(actor: &str, agent: &str, action: &str, before: &str, after: &str) -> String,
    pub change_password: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub repeat_password: &'static str,
    pub passwords_differ: &'static str,
    pub password_changed: &'static str,
    pub choose_own_password: &'static str,
    pub removable_seats: &'static str,
    pub none_removable: &'static str,
    pub removable_until: fn(n: u32, when: &str) -> String,
    pub removable_badge: fn(n: u32) -> String,
    pub turn_auto_renew_off: &'static str,
    pub turn_auto_renew_on: &'static str,
    pub auto_renew_now_off: &'static str,
    pub auto_renew_now_on: &'static str,
    pub event_auto_renew: fn(on: bool) -> String,
    pub renewals: &'static str,
    pub renewals_intro: &'static str,
    pub next_days: fn(days: u32) -> String,
    pub col_term_ends: &'static str,
    pub col_offer: &'static str,
    pub col_monthly: &'static str,
    pub term_renews: &'static str,
    pub term_expires: &'static str,
    pub term_ends: &'static str,
    pub days_left: fn(days: u32) -> String,
    pub no_renewals: &'static str,
    pub terms_ending: fn(n: usize, days: u32) -> String,
    pub add_to_calendar: &'static str,
    pub cost_preview: fn(from: u32, to: u32, up: bool, per_month: &str, now: &str) -> String,
    pub status_cancelled: &'static str,
    pub status_expired: &'static str,
    pub status_disabled: &'static str,
    pub status_deleted: &'static str,
    pub cancel_subscription: &'static str,
    pub cancel_warning: fn(refund: &str, full: bool) -> String,
    pub now_cancelled: &'static str,
    pub drops_schedule: &'static str,
    pub term_label: &'static str,
    pub billed_monthly: &'static str,
    pub billed_annually: &'static str,
    pub renews_on: fn(date: &str, when: &str) -> String,
    pub expires_on: fn(date: &str, when: &str) -> String,
    pub disabled_on: fn(date: &str, when: &str) -> String,
    pub deleted_on: fn(date: &str, when: &str) -> String,
    pub cancelled_for_good: &'static str,
    pub at_renewal: &'static str,
    pub renews_unchanged: &'static str,
    pub scheduled_value: fn(seats: u32, term: &str, cost: &str) -> String,
    pub manage_renewal: &'static str,
    pub next_term: &'static str,
    pub remove_schedule: &'static str,
    pub schedule_saved: &'static str,
    pub schedule_removed: &'static str,
    pub expires_badge: fn(date: &str) -> String,
    pub renewal_actor: &'static str,
    pub term_end_actor: &'static str,
    /// Who made what a subscriptions import changed.
    pub import_actor: &'static str,
    pub event_imported: fn(source: &str, seats: u32, status: &str, end: &str) -> String,
    /// Under a history cut short: where the older changes are.
    pub older_in_csv: &'static str,
    pub activity: &'static str,
    pub activity_intro: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub col_when: &'static str,
    pub col_change: &'static str,
    pub any_action: &'static str,
    pub any_agent: &'static str,
    pub only_me: &'static str,
    pub action_label: &'static str,
    pub actions: [&'static str; 7],
    pub newer: &'static str,
    pub older: &'static str,
    pub no_activity: &'static str,
    pub customer_filter: fn(name: &str) -> String,
    pub all_customers_filter: &'static str,
    pub only_this_customer: &'static str,
    pub downloads: &'static str,
    pub export_customers: &'static str,
    pub export_subscriptions: &'static str,
    pub event_renewed: fn(end: &str, seats: u32) -> String,
    pub event_scheduled: fn(seats: u32, term: &str) -> String,
    pub event_schedule_removed: &'static str,
    pub time_left: fn(seconds: i64) -> String,
}

impl Text {
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => self.role_admin,
            Role::Sales => self.role_sales,
            Role::Helpdesk => self.role_helpdesk,
            Role::ReadOnly => self.role_read_only,
        }
    }

    pub fn term(&self, term: Term) -> &'static str {
        match term {
            Term::Monthly => self.monthly,
            Term::Annual => self.annual,
        }
    }

    pub fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Active => self.active,
            Status::Suspended => self.suspended,
            Status::Cancelled => self.status_cancelled,
            Status::Expired => self.status_expired,
            Status::Disabled => self.status_disabled,
            Status::Deleted => self.status_deleted,
        }
    }
}

pub static EN: Text = Text {
    language_name: "English",
    language: "Language",
    brand: "Reseller Console",
    sign_out: "Sign out",
    role_admin: "Admin agent",
    role_sales: "Sales agent",
    role_helpdesk: "Helpdesk agent",
    role_read_only: "Read-only agent",
    sign_in_title: "Sign in to Reseller Console",
    email: "E-mail",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    bad_credentials: "The e-mail or password is not right.",
    session_expired: "Your session has ended: sign in again to continue where you were.",
    loading: "Loading…",
    network_error: "The server could not be reached. Check the connection and try again.",
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
    active: "Active",
    suspended: "Suspended",
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
    monthly: "monthly",
    annual: "annual",
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
    none_removable: "None: seats can be removed only within 7 days of being added.",
    removable_until: |n, when| {
        if n == 1 {
            format!("1 seat until {when}")
        } else {
            format!("{n} seats until {when}")
        }
    },
    status_cancelled: "Cancelled",
    status_expired: "Expired",
    status_disabled: "Disabled",
    status_deleted: "Deleted",
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
};

pub static IT: Text = Text {
    language_name: "Italiano",
    language: "Lingua",
    brand: "Reseller Console",
    sign_out: "Esci",
    role_admin: "Agente amministratore",
    role_sales: "Agente vendite",
    role_helpdesk: "Agente helpdesk",
    role_read_only: "Agente in sola lettura",
    sign_in_title: "Accedi a Reseller Console",
    email: "E-mail",
    password: "Password",
    sign_in: "Accedi",
    signing_in: "Accesso in corso…",
    bad_credentials: "E-mail o password non corrette.",
    session_expired: "La sessione è scaduta: accedi di nuovo per riprendere da dove eri.",
    loading: "Caricamento…",
    network_error: "Impossibile raggiungere il server. Controlla la connessione e riprova.",
    retry: "Riprova",
    not_found: "Non trovato: potrebbe essere stato rimosso, o il link è errato.",
    customers: "Clienti",
    search_label: "Cerca clienti",
    search_placeholder: "Cerca per azienda o dominio",
    col_company: "Azienda",
    col_domain: "Dominio",
    col_subscriptions: "Sottoscrizioni",
    previous: "Precedente",
    next: "Successiva",
    showing: |from, to, total| format!("{from}–{to} di {total} clienti"),
    matching: |q| format!(" per “{q}”"),
    no_customers: "Nessun cliente corrisponde.",
    keyboard_hint: "↑ ↓ per spostarsi, Invio per aprire, Esc per chiudere",
    select_customer: "Seleziona un cliente per vederne le sottoscrizioni.",
    all_customers: "← Tutti i clienti",
    subscription_count: |n| {
        if n == 1 {
            "1 sottoscrizione".into()
        } else {
            format!("{n} sottoscrizioni")
        }
    },
    add_subscriptions: "Aggiungi nuove sottoscrizioni",
    no_subscriptions: "Ancora nessuna sottoscrizione.",
    active: "Attiva",
    suspended: "Sospesa",
    bought_directly_read_only: "Acquistata direttamente · sola lettura",
    bought_directly: "Acquistata direttamente",
    new_badge: "Nuova",
    seats: |n| {
        if n == 1 {
            "1 licenza".into()
        } else {
            format!("{n} licenze")
        }
    },
    monthly: "mensile",
    annual: "annuale",
    renews: |d| format!("si rinnova il {d}"),
    auto_renew_off: "rinnovo automatico disattivato",
    customer: "Cliente",
    seats_label: "Licenze",
    seats_value: |n, min, max| format!("{n} ({min} – {max} per questa offerta)"),
    status: "Stato",
    bought: "Acquisto",
    through_partner: |p| format!("Tramite {p}"),
    auto_renew: "Rinnovo automatico",
    on: "Attivo",
    off: "Disattivato",
    created: "Creata",
    commitment_end: "Fine dell'impegno",
    history: "Cronologia",
    no_history: "Ancora nessuna modifica.",
    seats_over_time: "Licenze nel tempo",
    chart_from: "Dal",
    chart_seats: "Licenze",
    chart_range: |most, now| format!("al massimo {most} · ora {now}"),
    download_csv: "Scarica CSV",
    event_created: |n| format!("sottoscrizione ordinata, {n} licenze"),
    event_seats: |a, b| format!("licenze {a} → {b}"),
    event_status: |a, b| format!("stato {a} → {b}"),
    edit_quantity: "Modifica quantità",
    number_of_licences: "Numero di licenze",
    submit: "Invia",
    saving: "Salvataggio…",
    cancel: "Annulla",
    seats_changed: |n| format!("Salvato: la sottoscrizione ha ora {n} licenze."),
    change_status: "Cambia stato",
    changing_prefix: "Stai modificando",
    changing_for: "per",
    new_status: "Nuovo stato",
    suspend: "Sospendi",
    activate: "Attiva",
    suspend_warning: "La sospensione avvia il processo di cancellazione del cliente: i suoi utenti perdono l'accesso e il rinnovo automatico viene disattivato.",
    save: "Salva",
    now_suspended: "Salvato: la sottoscrizione è sospesa e il rinnovo automatico è disattivato.",
    now_active: "Salvato: la sottoscrizione è di nuovo attiva.",
    conflict: |seats, status| {
        format!(
            "Qualcun altro ha modificato questa sottoscrizione mentre lavoravi: ora ha {seats} licenze ed è {status}. Quanto hai inserito è conservato qui sotto."
        )
    },
    apply_again: "Applica di nuovo la modifica",
    new_subscription_for: |c| format!("Aggiungi nuove sottoscrizioni per {c}"),
    step_choose: "1 Offerta e licenze",
    step_confirm: "2 Conferma",
    select_offer: "Seleziona offerta",
    choose_offer: "Scegli un'offerta…",
    choose_offer_error: "Seleziona prima un'offerta.",
    offer_option: |name, price, min, max| {
        format!("{name} — {price} per licenza/mese, {min}–{max} licenze")
    },
    number_of_seats: "Numero di licenze",
    confirm_title: "Conferma la nuova sottoscrizione",
    offer: "Offerta",
    monthly_cost: "Costo mensile",
    confirm_note: "Controlla l'offerta e il numero di licenze: Fine effettua l'ordine.",
    back: "Indietro",
    finish: "Fine",
    ordering: "Ordine in corso…",
    back_to_customers: "Clienti",
    sections: "Sezioni della console",
    team: "Team",
    account: "Il tuo account",
    add_customer: "Aggiungi cliente",
    company_name: "Ragione sociale",
    primary_domain: "Dominio principale",
    domain_hint: "Per esempio contoso.onmicrosoft.com: unico tra i tuoi clienti.",
    adding: "Aggiunta in corso…",
    col_agent: "Agente",
    col_role: "Ruolo",
    col_last_sign_in: "Ultimo accesso",
    col_state: "Stato",
    never: "Mai",
    state_active: "Attivo",
    state_disabled: "Disattivato",
    disable: "Disattiva",
    enable: "Riattiva",
    you: "(tu)",
    add_agent: "Aggiungi un agente",
    agent_name: "Nome",
    role: "Ruolo",
    save_role: "Salva ruolo",
    password_optional: "Password (lascia vuoto per una password monouso)",
    one_time_password: |e| format!("Comunica a {e} questa password monouso. È mostrata solo ora:"),
    agent_added: |e| format!("Aggiunto {e}."),
    agent_saved: |e| format!("Salvato: {e}."),
    recent_changes: "Modifiche recenti",
    no_team_changes: "Ancora nessuna modifica al team.",
    team_event: |actor, agent, action, before, after| match action {
        "added" => format!("{actor} ha aggiunto {agent} come {after}"),
        "disabled" => format!("{actor} ha disattivato {agent}"),
        "enabled" => format!("{actor} ha riattivato {agent}"),
        "password_set" => format!("{agent} ha cambiato la propria password"),
        _ => format!("{actor} ha modificato {agent}: {before} → {after}"),
    },
    change_password: "Cambia password",
    current_password: "Password attuale",
    new_password: "Nuova password (almeno 12 caratteri)",
    repeat_password: "Ripeti la nuova password",
    passwords_differ: "Le due nuove password sono diverse.",
    password_changed: "Salvato: la password è cambiata e le altre sessioni sono terminate.",
    choose_own_password: "Hai effettuato l'accesso con una password ricevuta: scegline una tua per continuare.",
    removable_seats: "Licenze ancora rimovibili",
    removable_badge: |n| format!("{n} rimovibili"),
    turn_auto_renew_off: "Disattiva il rinnovo automatico",
    turn_auto_renew_on: "Attiva il rinnovo automatico",
    auto_renew_now_off: "Salvato: rinnovo automatico disattivato; la sottoscrizione termina con il periodo.",
    auto_renew_now_on: "Salvato: rinnovo automatico attivo; la sottoscrizione si rinnova alla fine del periodo.",
    event_auto_renew: |on| {
        format!(
            "rinnovo automatico {}",
            if on { "attivo" } else { "disattivato" }
        )
    },
    renewals: "Rinnovi",
    renewals_intro: "Le sottoscrizioni vendute da te il cui periodo termina presto: quelle in rinnovo bloccano le licenze per un altro periodo; le altre scadono.",
    next_days: |d| format!("Prossimi {d} giorni"),
    col_term_ends: "Fine periodo",
    col_offer: "Offerta",
    col_monthly: "Mensile",
    term_renews: "Si rinnova",
    term_expires: "Scade",
    term_ends: "Termina (sospesa)",
    days_left: |d| match d {
        0 => "oggi".into(),
        1 => "tra 1 giorno".into(),
        d => format!("tra {d} giorni"),
    },
    no_renewals: "Nessun periodo termina in questo intervallo.",
    terms_ending: |n, d| match n {
        1 => format!("1 periodo termina nei prossimi {d} giorni."),
        n => format!("{n} periodi terminano nei prossimi {d} giorni."),
    },
    add_to_calendar: "Aggiungi al calendario (.ics, promemoria 7 giorni prima)",
    cost_preview: |from, to, up, per_month, now| {
        if up {
            format!(
                "{from} → {to} licenze: +{per_month} al mese; {now} addebitati ora per il resto del periodo."
            )
        } else {
            format!(
                "{from} → {to} licenze: −{per_month} al mese; {now} accreditati per il resto del periodo."
            )
        }
    },
    none_removable: "Nessuna: le licenze si possono rimuovere solo entro 7 giorni dall'aggiunta.",
    removable_until: |n, when| {
        if n == 1 {
            format!("1 licenza fino al {when}")
        } else {
            format!("{n} licenze fino al {when}")
        }
    },
    status_cancelled: "Annullata",
    status_expired: "Scaduta",
    status_disabled: "Disattivata",
    status_deleted: "Eliminata",
    cancel_subscription: "Annulla la sottoscrizione",
    cancel_warning: |refund, full| {
        format!(
            "L'annullamento chiude subito la sottoscrizione: i suoi utenti perdono l'accesso e non si potrà riattivare. Rimborso: {refund}{}.",
            if full {
                " (tutto: entro 24 ore dall'ordine)"
            } else {
                " per i giorni non usati del periodo"
            }
        )
    },
    now_cancelled: "Salvato: la sottoscrizione è annullata.",
    drops_schedule: "Questo rimuove anche la modifica programmata per il rinnovo.",
    term_label: "Durata",
    billed_monthly: "fatturazione mensile",
    billed_annually: "fatturazione annuale",
    renews_on: |d, w| format!("si rinnova il {d} ({w})"),
    expires_on: |d, w| format!("scade il {d} ({w}): il rinnovo automatico è disattivato"),
    disabled_on: |d, w| format!("viene disattivata il {d} ({w})"),
    deleted_on: |d, w| format!("viene eliminata il {d} ({w})"),
    cancelled_for_good: "annullata: sola lettura",
    at_renewal: "Al rinnovo",
    renews_unchanged: "Nessuna modifica programmata: si rinnova così com'è.",
    scheduled_value: |n, term, cost| format!("{n} licenze, {term}: {cost} al mese"),
    manage_renewal: "Gestisci rinnovo",
    next_term: "Prossimo periodo",
    remove_schedule: "Rimuovi la modifica programmata",
    schedule_saved: "Salvato: la modifica è programmata per il rinnovo.",
    schedule_removed: "Salvato: la sottoscrizione si rinnova così com'è.",
    expires_badge: |d| format!("scade il {d}"),
    renewal_actor: "rinnovo automatico",
    term_end_actor: "fine del periodo",
    import_actor: "importazione",
    event_imported: |src, n, status, end| {
        format!("importata da {src}: {n} licenze, {status}, periodo fino al {end}")
    },
    older_in_csv: "Sono mostrate solo le modifiche più recenti: il CSV le contiene tutte.",
    activity: "Attività",
    activity_intro: "Ogni modifica alle sottoscrizioni dei tuoi clienti, dalla più recente.",
    date_from: "Dal",
    date_to: "Al",
    col_when: "Quando",
    col_change: "Modifica",
    any_action: "Tutte le azioni",
    any_agent: "Tutti gli agenti",
    only_me: "Solo io",
    action_label: "Azione",
    actions: [
        "Ordinata",
        "Licenze modificate",
        "Stato modificato",
        "Rinnovo automatico modificato",
        "Rinnovo pianificato",
        "Rinnovata",
        "Importata",
    ],
    newer: "Più recenti",
    older: "Meno recenti",
    no_activity: "Nessuna modifica corrisponde a questi filtri.",
    customer_filter: |name| format!("Cliente: {name}"),
    all_customers_filter: "Tutti i clienti",
    only_this_customer: "Mostra solo le modifiche di questo cliente",
    downloads: "Scarica (CSV):",
    export_customers: "clienti",
    export_subscriptions: "tutte le sottoscrizioni",
    event_renewed: |end, n| format!("rinnovata fino al {end}, {n} licenze"),
    event_scheduled: |n, term| format!("programmata per il rinnovo: {n} licenze, {term}"),
    event_schedule_removed: "modifica programmata rimossa",
    time_left: |s| match s {
        s if s <= 0 => "chiusa".into(),
        s if s >= 86_400 => format!("restano {} giorni e {} ore", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("restano {} ore e {} min", s / 3600, s % 3600 / 60),
        s => format!("restano {} min", (s + 59) / 60),
    },
};

/// A rule's refusal in the agent's language. In English it is the `shared` message itself,
/// word for word what the server answers.
pub fn rule_message(lang: Lang, error: &RuleError) -> String {
    match lang {
        Lang::En => error.to_string(),
        Lang::It => match error {
            RuleError::RoleNotAllowed { role, permission } => {
                let what = match permission {
                    Permission::View => "vedere i dati di questo partner",
                    Permission::Order => "aggiungere clienti o ordinare sottoscrizioni",
                    Permission::Change => "modificare le sottoscrizioni esistenti",
                    Permission::ManageTeam => "gestire il team",
                };
                let who: Vec<&str> = shared::roles::roles_allowed(*permission).into_iter().map(|r| IT.role(r)).collect();
                format!("Il tuo ruolo ({}) non consente di {what}: chiedi a un {}.", IT.role(*role), who.join(" o a un "))
            }
            RuleError::InvalidDomain { given, problem } => match problem {
                DomainProblem::Empty => "Inserisci il dominio principale del cliente, per esempio contoso.onmicrosoft.com.".into(),
                DomainProblem::NoDot => format!("\"{given}\" non è un nome di dominio: serve almeno un punto, come in contoso.com."),
                DomainProblem::BadCharacter => format!("\"{given}\" non è un nome di dominio: sono ammessi solo lettere a–z, cifre, trattini e punti (i nomi internazionali nella forma xn--)."),
                _ => format!("\"{given}\" non è un nome di dominio valido."),
            },
            RuleError::DomainTaken { domain } => format!("Un altro dei tuoi clienti ha già il dominio principale {domain}."),
            RuleError::InvalidName { field, max } => {
                let what = match *field {
                    "display_name" => "il nome dell'agente",
                    "offer_name" => "il nome dell'offerta",
                    _ => "la ragione sociale",
                };
                format!("Inserisci {what}: da 1 a {max} caratteri, senza caratteri di controllo o invisibili.")
            }
            RuleError::InvalidEmail { given } => format!("\"{given}\" non è un indirizzo e-mail: scrivilo come nome@azienda.com."),
            RuleError::EmailTaken { email } => format!("Un agente accede già con {email}."),
            RuleError::EmailTooLong { max } => format!("Un indirizzo e-mail ha al massimo {max} caratteri."),
            RuleError::EmailDomainNotOwned { domain, owned } => format!("{domain} non è uno dei domini e-mail del tuo partner: {owned}."),
            RuleError::WeakPassword { min, max } => format!("Scegli una password di almeno {min} caratteri (al massimo {max})."),
            RuleError::WrongPassword => "La password attuale non è corretta.".into(),
            RuleError::PasswordUnchanged => "Scegli una nuova password: questa è la password attuale.".into(),
            RuleError::UnknownRole { .. } => "Il ruolo deve essere admin, sales, helpdesk o read_only.".into(),
            RuleError::AutoRenewWhileSuspended => "Questa sottoscrizione è sospesa: non si rinnova, quindi il rinnovo automatico resta disattivato finché non viene riattivata.".into(),
            RuleError::AutoRenewUnchanged { on } => format!("Il rinnovo automatico è già {}.", if *on { "attivo" } else { "disattivato" }),
            RuleError::ReductionWindowClosed { removable: 0, .. } => "Le licenze si possono rimuovere solo entro 7 giorni dall'aggiunta, e ora nessuna: programma un numero inferiore per il rinnovo.".into(),
            RuleError::ReductionWindowClosed { removable, .. } => format!("Le licenze si possono rimuovere solo entro 7 giorni dall'aggiunta: ora puoi rimuoverne al massimo {removable}; per rimuoverne di più programma un numero inferiore per il rinnovo."),
            RuleError::LastAdmin => "È l'ultimo agente amministratore attivo del tuo partner: prima rendi amministratore un altro agente.".into(),
            RuleError::BoughtDirectly => "Questa sottoscrizione è stata acquistata direttamente dal cliente e solo il cliente può modificarla.".into(),
            RuleError::SeatsWhileSuspended => "Questa sottoscrizione è sospesa: riattivala prima di cambiarne le licenze.".into(),
            RuleError::Seats(e) => seat_message_it(e),
            RuleError::QuantityUnchanged { quantity } => format!("La sottoscrizione ha già {quantity} licenze: inserisci un numero diverso."),
            RuleError::StatusUnchanged { status } => format!("La sottoscrizione è già {}.", IT.status(*status).to_lowercase()),
            RuleError::UnknownStatus { .. } => "Lo stato deve essere \"attiva\", \"sospesa\" o \"annullata\".".into(),
            RuleError::OfferNotAuthorised { .. } => "Il tuo account partner non è autorizzato a vendere questa offerta.".into(),
            RuleError::SubscriptionEnded { status } => format!("Questa sottoscrizione è {}: è in sola lettura per sempre. Ordina invece una nuova sottoscrizione.", IT.status(*status).to_lowercase()),
            RuleError::CancelOnlyActive => "Si può annullare solo una sottoscrizione attiva: questa è sospesa.".into(),
            RuleError::CancellationWindowClosed { closed_at } => format!("Una sottoscrizione si può annullare solo entro 7 giorni dall'ordine; per questa il termine è scaduto il {} UTC. Sospendila, o disattiva il rinnovo automatico perché scada alla fine del periodo.", closed_at.replace('T', " ").trim_end_matches('Z')),
            RuleError::NotOrderedHere => "Questa sottoscrizione è stata importata, non ordinata qui: annullala in Partner Center, entro 7 giorni dal suo ordine.".into(),
            RuleError::ScheduleNeedsAutoRenew => "Una modifica per il rinnovo richiede il rinnovo automatico attivo: questa sottoscrizione non si rinnova.".into(),
            RuleError::ScheduleUnchanged { quantity, term } => format!("Il rinnovo mantiene già {quantity} licenze, {}: cambia le licenze o la durata.", IT.term(*term)),
            RuleError::NothingScheduled => "Non c'è nessuna modifica programmata per il rinnovo.".into(),
            RuleError::NothingToChange | RuleError::OneChangeAtATime => error.to_string(),
        },
    }
}

fn seat_message_it(e: &SeatError) -> String {
    let b = e.bounds;
    let allowed = if b.min == b.max {
        match b.min {
            1 => "esattamente 1 licenza".to_owned(),
            n => format!("esattamente {n} licenze"),
        }
    } else {
        format!("tra {} e {} licenze", b.min, b.max)
    };
    match e.kind {
        SeatErrorKind::Missing => format!("Inserisci il numero di licenze: {allowed}."),
        SeatErrorKind::NotANumber => format!("Non è un numero: inserisci {allowed}."),
        SeatErrorKind::NotWhole => format!("Solo licenze intere: inserisci {allowed}."),
        SeatErrorKind::TooFew => format!("Troppo poche: questa offerta consente {allowed}."),
        SeatErrorKind::TooMany => format!("Troppe: questa offerta consente {allowed}."),
    }
}

/// Why an action is unavailable, from the server's code (its message is English).
pub fn unavailable_reason(lang: Lang, code: ErrorCode, server_reason: &str) -> String {
    let rule = match code {
        ErrorCode::LastAdmin => RuleError::LastAdmin,
        ErrorCode::WrongPassword => RuleError::WrongPassword,
        ErrorCode::BoughtDirectly => RuleError::BoughtDirectly,
        ErrorCode::SubscriptionSuspended => RuleError::SeatsWhileSuspended,
        _ => return server_reason.to_owned(),
    };
    rule_message(lang, &rule)
}

/// A server refusal in the agent's language where we know it, else the server's own words.
pub fn error_message(lang: Lang, body: &ErrorBody) -> String {
    let (code, server_message) = (body.code, body.message.as_str());
    match (lang, code) {
        (Lang::En, _) => server_message.to_owned(),
        (Lang::It, ErrorCode::TooManyAttempts) => {
            match body.retry_after_seconds.unwrap_or(60).div_ceil(60) {
                1 => "Troppi tentativi di accesso per questa e-mail. Riprova tra 1 minuto.".into(),
                minutes => format!(
                    "Troppi tentativi di accesso per questa e-mail. Riprova tra {minutes} minuti."
                ),
            }
        }
        (
            Lang::It,
            ErrorCode::LastAdmin
            | ErrorCode::WrongPassword
            | ErrorCode::BoughtDirectly
            | ErrorCode::SubscriptionSuspended,
        ) => unavailable_reason(lang, code, server_message),
        (Lang::It, ErrorCode::SubscriptionEnded) => {
            "Questa sottoscrizione è terminata: è in sola lettura per sempre.".into()
        }
        (Lang::It, ErrorCode::CancellationWindowClosed) => {
            "Una sottoscrizione si può annullare solo entro 7 giorni dall'ordine fatto qui: per questa non è più possibile.".into()
        }
        (Lang::It, ErrorCode::AutoRenewOff) => rule_message(lang, &RuleError::ScheduleNeedsAutoRenew),
        (Lang::It, ErrorCode::InvalidCredentials) => IT.bad_credentials.to_owned(),
        (Lang::It, ErrorCode::NotFound) => IT.not_found.to_owned(),
        (Lang::It, ErrorCode::RequestTimeout) => {
            "Il server non ha risposto in tempo: la modifica potrebbe essere stata salvata. Ricarica prima di riprovare.".into()
        }
        (Lang::It, ErrorCode::StorageUnavailable | ErrorCode::ServerBusy) => {
            "Il server non può completare la richiesta in questo momento; nulla è andato perso. Riprova tra poco.".into()
        }
        _ => server_message.to_owned(),
    }
}
