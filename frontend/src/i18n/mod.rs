//! Every visible string, once per language (`en.rs`, `it.rs`). The refusals of the rules and
//! the names of roles, statuses and terms are `shared`'s, English beside Italian, so the page
//! says what the server would.

use shared::api::{ErrorBody, ErrorCode};
use shared::model::{Role, Status, Term};
use shared::rules::RuleError;

mod en;
mod it;
pub mod money;

pub use en::EN;
pub use it::IT;

pub use shared::language::Lang;

/// Every visible string of the console in `lang`.
pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::En => &EN,
        Lang::It => &IT,
    }
}

/// The words of the money pages in `lang`.
pub fn money(lang: Lang) -> &'static money::MoneyText {
    match lang {
        Lang::En => &money::EN,
        Lang::It => &money::IT,
    }
}

pub struct Text {
    /// The language these strings are in: the names of roles, statuses and terms come from
    /// `shared`, beside its refusals.
    pub lang: Lang,
    pub language_name: &'static str,
    pub language: &'static str,
    pub brand: &'static str,
    pub sign_out: &'static str,
    pub sign_in_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub bad_credentials: &'static str,
    pub session_expired: &'static str,
    pub loading: &'static str,
    pub network_error: &'static str,
    /// A page's chunk did not arrive (a flaky network, or a newer console on the server).
    pub page_unavailable_title: &'static str,
    pub page_unavailable: &'static str,
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
    pub bought_directly_read_only: &'static str,
    pub bought_directly: &'static str,
    pub new_badge: &'static str,
    pub seats: fn(n: u32) -> String,
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
    /// For roles that see costs: what the seats cost the partner a month, and its margin.
    pub margin_preview: fn(to: u32, cost: &str, margin: &str, below_cost: bool) -> String,
    /// A table cell's margin, under the customer's price.
    pub margin_cell: fn(margin: &str, below_cost: bool) -> String,
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
    pub actions: [&'static str; 8],
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
    /// Partner Center (connected partners): who a sync's changes are by, and what they did.
    pub partner_center_actor: &'static str,
    pub event_partner_center: fn(changes: &str) -> String,
    pub event_ends: fn(end: &str) -> String,
    /// A change sent to Microsoft and not yet confirmed, or one it never answered.
    pub waiting_badge: &'static str,
    pub failed_badge: &'static str,
    pub missing_badge: &'static str,
    pub missing_explained: fn(when: &str) -> String,
    pub renewal_settings: &'static str,
    pub pending_title: fn(what: &str) -> String,
    pub pending_detail: fn(by: &str, when: &str, attempts: u32) -> String,
    pub pending_next: fn(when: &str) -> String,
    pub pending_values: &'static str,
    pub pending_last_error: fn(error: &str) -> String,
    pub failed_title: fn(what: &str) -> String,
    pub send_again: &'static str,
    pub discard_change: &'static str,
    pub sent_waiting: &'static str,
    pub change_discarded: &'static str,
    pub microsoft_confirmed: &'static str,
    pub orders_waiting: fn(count: usize) -> String,
    pub pending_orders_title: &'static str,
    pub order_pending_title: fn(offer: &str, seats: u32) -> String,
    pub order_failed_title: fn(offer: &str, seats: u32) -> String,
    pub stage_cart: &'static str,
    pub stage_checkout: &'static str,
    pub stage_provisioning: &'static str,
    pub order_sent_waiting: &'static str,
    pub order_confirmed: &'static str,
    pub order_answered: &'static str,
    pub discard_order: &'static str,
    pub order_discarded: &'static str,
    pub refused_badge: &'static str,
    pub attempts_so_far: fn(attempts: u32) -> String,
    pub order_of: fn(seats: u32, offer: &str) -> String,
    pub queue_title: &'static str,
    pub queue_note: &'static str,
}

impl Text {
    pub fn role(&self, role: Role) -> &'static str {
        role.name(self.lang)
    }

    pub fn term(&self, term: Term) -> &'static str {
        term.name(self.lang)
    }

    pub fn status(&self, status: Status) -> &'static str {
        status.name(self.lang)
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
    rule.message(lang)
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
        (Lang::It, ErrorCode::AutoRenewOff) => RuleError::ScheduleNeedsAutoRenew.message(lang),
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
