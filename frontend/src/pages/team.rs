//! *Team* (admin agents): the partner's agents with role, last sign-in and state; add an agent
//! (a one-time password shown once, or one the admin sets); change a role; disable or
//! re-enable; the latest changes. The server keeps the last active admin; this page says why.

use leptos::prelude::*;
use shared::api::{ChangeAgentRequest, NewAgentRequest, Team, TeamMember};
use shared::ids::AgentId;
use shared::model::Role;
use shared::roles::Permission;
use shared::team::{check_email_domain, check_new_password, normalise_email, normalise_name};

use crate::action::action_then;
use crate::api::ApiError;
use crate::components::focus_soon;
use crate::components::loading::Loading;
use crate::components::notice::{Confirmation, ErrorNotice, FailureNotice};
use crate::components::text_field::TextField;
use crate::console::use_console;
use crate::format;
use crate::i18n::error_message;

#[component]
pub fn TeamPage() -> impl IntoView {
    let console = use_console();
    let team = LocalResource::new(move || async move { console.api().team().await });
    // What the last change did, for the live region: a confirmation or a refusal.
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    let refusal = move || console.refusal(Permission::ManageTeam);
    // The control a change was made with: focused again in the reloaded table.
    let refocus = StoredValue::new(None::<String>);
    view! {
        <h1>{console.t().team}</h1>
        {move || match refusal() {
            Some(why) => view! { <p class="rc-callout rc-info">{why}</p> }.into_any(),
            None => view! {
                <div class="rc-card rc-team">
                    <Confirmation message=Signal::derive(move || outcome.get().and_then(Result::ok)) />
                    <div aria-live="assertive">
                        <FailureNotice failure=Signal::derive(move || outcome.get().and_then(Result::err))
                            retry=Callback::new(move |_| team.refetch()) />
                    </div>
                    <Transition fallback=Loading>
                        {move || team.get().map(|r| match r {
                            Ok(t) => view! { <TeamTable team=t outcome refocus on_change=Callback::new(move |_| team.refetch()) /> }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| team.refetch()) /> }.into_any(),
                        })}
                    </Transition>
                </div>
                <AddAgent on_added=Callback::new(move |_| team.refetch()) team />
            }.into_any(),
        }}
    }
}

#[component]
fn TeamTable(
    team: Team,
    outcome: RwSignal<Option<Result<String, ApiError>>>,
    refocus: StoredValue<Option<String>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    if let Some(selector) = refocus.get_value() {
        refocus.set_value(None);
        focus_soon(selector);
    }
    let me = console.agent().map(|s| s.agent.id);
    // Saved or refused, the outcome is said above the table, which loads again.
    let change = action_then(
        move |(id, request): &(AgentId, ChangeAgentRequest)| {
            let (id, request) = (*id, request.clone());
            async move { console.api().change_agent(id, &request).await }
        },
        move |answer: &Result<TeamMember, ApiError>| {
            outcome.set(Some(answer.clone().map(|m| {
                let state = if m.active {
                    console.t().state_active
                } else {
                    console.t().state_disabled
                };
                (console.t().agent_saved)(&format!(
                    "{} · {} · {state}",
                    m.email,
                    console.t().role(m.role)
                ))
            })));
            on_change.run(());
        },
    );
    let pending = change.pending();
    let lang = move || console.lang.get();
    let events = team.events.clone();
    view! {
        <table class="rc-table rc-team-table">
            <thead>
                <tr>
                    <th scope="col">{console.t().col_agent}</th>
                    <th scope="col">{console.t().col_role}</th>
                    <th scope="col" class="rc-col-domain">{console.t().col_last_sign_in}</th>
                    <th scope="col">{console.t().col_state}</th>
                </tr>
            </thead>
            <tbody>
                {team.agents.into_iter().map(|a| {
                    let id = a.id;
                    let email = a.email.clone();
                    let label_email = a.email.clone();
                    let toggle_email = a.email.clone();
                    let select_id = format!("rc-role-{id}");
                    let save_email = a.email.clone();
                    let chosen = RwSignal::new(a.role.as_str().to_owned());
                    let you = (Some(id) == me).then(|| view! { " " <span class="rc-muted">{console.t().you}</span> });
                    let last = a.last_sign_in_at.clone();
                    view! {
                        <tr class:rc-disabled-agent=!a.active data-email=email.clone() data-agent=id.to_string()>
                            <td>
                                <strong>{a.display_name.clone()}</strong>{you}
                                <span class="rc-muted rc-small rc-block">{email.clone()}</span>
                            </td>
                            <td>
                                <label class="rc-visually-hidden" for=select_id.clone()>
                                    {move || format!("{} {label_email}", console.t().role)}
                                </label>
                                // Chosen, then saved with its own button: on a closed select an arrow key
                                // changes the value, and browsing the roles must not change them.
                                <select id=select_id class="rc-role" disabled=move || pending.get()
                                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                                    {Role::ALL.iter().map(|r| view! {
                                        <option value=r.as_str() selected=*r == a.role>{move || console.t().role(*r)}</option>
                                    }).collect_view()}
                                </select>
                                " "
                                <button type="button" class="rc-save-role"
                                    disabled=move || pending.get() || chosen.get() == a.role.as_str()
                                    aria-label=move || format!("{} {save_email}", console.t().save_role)
                                    on:click=move |_| {
                                        refocus.set_value(Some(format!("#rc-role-{id}")));
                                        change.dispatch((id, ChangeAgentRequest { role: Some(chosen.get_untracked()), active: None }));
                                    }>
                                    {console.t().save_role}
                                </button>
                            </td>
                            <td class="rc-muted rc-col-domain">
                                {move || last.as_deref().map_or_else(|| console.t().never.to_owned(), |t| format::moment(lang(), t))}
                            </td>
                            <td>
                                <span class="rc-state">{move || if a.active { console.t().state_active } else { console.t().state_disabled }}</span>
                                " "
                                <button type="button" class="rc-toggle-agent" disabled=move || pending.get()
                                    aria-label=move || format!("{} {}", if a.active { console.t().disable } else { console.t().enable }, toggle_email)
                                    on:click=move |_| {
                                        refocus.set_value(Some(format!("tr[data-agent=\"{id}\"] .rc-toggle-agent")));
                                        change.dispatch((id, ChangeAgentRequest { role: None, active: Some(!a.active) }));
                                    }>
                                    {move || if a.active { console.t().disable } else { console.t().enable }}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h2 class="rc-history-head">{console.t().recent_changes}</h2>
        {if events.is_empty() {
            view! { <p class="rc-muted">{console.t().no_team_changes}</p> }.into_any()
        } else {
            view! {
                <ul class="rc-history rc-team-events">
                    {events.into_iter().map(|e| view! {
                        <li>
                            <span class="rc-small">{move || format::moment(lang(), &e.at)}</span> " — "
                            {move || {
                                let t = console.t();
                                let state = |role: Role, active: bool| if active { t.role(role).to_owned() } else { format!("{} ({})", t.role(role), t.state_disabled) };
                                let before = e.before.map(|b| state(b.role, b.active)).unwrap_or_default();
                                (t.team_event)(&e.actor, &e.agent_email, &e.action, &before, &state(e.after.role, e.after.active))
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn AddAgent(
    on_added: Callback<()>,
    /// The team as loaded: its domains are the ones a new agent's e-mail may be in.
    team: LocalResource<Result<Team, ApiError>>,
) -> impl IntoView {
    let console = use_console();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Helpdesk.as_str().to_owned());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let add = action_then(
        move |request: &NewAgentRequest| {
            let request = request.clone();
            async move { console.api().add_agent(&request).await }
        },
        move |answer: &Result<_, ApiError>| {
            if answer.is_ok() {
                for field in [email, name, password] {
                    field.set(String::new());
                }
                submitted.set(false);
                on_added.run(());
            }
        },
    );
    let pending = add.pending();
    let rule = move |e: shared::RuleError| e.message(console.lang.get());
    let shown = move |text: RwSignal<String>| submitted.get() || !text.get().is_empty();
    // The e-mail last sent: the server's answer about it shows only while it is still typed.
    let sent = RwSignal::new(String::new());
    let server_says = move |field: &str| match add.value().get() {
        Some(Err(ApiError::Refused(body)))
            if body.field.as_deref() == Some(field) && email.get() == sent.get() =>
        {
            Some(error_message(console.lang.get(), &body))
        }
        _ => None,
    };
    // The same rules as the server's: the address, then the partner's own domains (once known).
    // Until the team is loaded, the domains are not known: the server still checks them.
    let email_rule = move |text: &str| {
        normalise_email(text).and_then(|e| match team.get() {
            Some(Ok(t)) => check_email_domain(&e, &t.domains),
            _ => Ok(()),
        })
    };
    let email_message = move || {
        shown(email)
            .then(|| email_rule(&email.get()).err().map(rule))
            .flatten()
            .or_else(|| server_says("email"))
    };
    let name_message = move || {
        shown(name)
            .then(|| normalise_name("display_name", &name.get()).err().map(rule))
            .flatten()
    };
    let password_message = move || {
        let p = password.get();
        (!p.is_empty())
            .then(|| check_new_password(&p).err().map(rule))
            .flatten()
    };
    let failure = Signal::derive(move || match add.value().get() {
        // Refused at a field shown with its own message; any other refusal, here.
        Some(Err(ApiError::Refused(body))) if body.field.as_deref() == Some("email") => None,
        other => other.and_then(Result::err),
    });
    let submit = move || {
        submitted.set(true);
        let p = password.get_untracked();
        let valid = email_rule(&email.get_untracked()).is_ok()
            && normalise_name("display_name", &name.get_untracked()).is_ok()
            && (p.is_empty() || check_new_password(&p).is_ok());
        if valid && !pending.get_untracked() {
            sent.set(email.get_untracked());
            add.dispatch(NewAgentRequest {
                email: email.get_untracked(),
                display_name: name.get_untracked(),
                role: role.get_untracked(),
                password: (!p.is_empty()).then_some(p),
            });
        }
    };
    view! {
        <section class="rc-card rc-order rc-add-agent" aria-labelledby="rc-add-agent-title">
            <h2 id="rc-add-agent-title">{console.t().add_agent}</h2>
            {move || match add.value().get() {
                Some(Ok(added)) => Some(view! {
                    <div class="rc-callout rc-ok" role="status">
                        <p>{(console.t().agent_added)(&added.agent.email)}</p>
                        {added.one_time_password.map(|p| view! {
                            <p>{(console.t().one_time_password)(&added.agent.email)}</p>
                            <p><code class="rc-one-time-password">{p}</code></p>
                        })}
                    </div>
                }),
                _ => None,
            }}
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField id="rc-agent-email" name="email" kind="email" label=|t| t.email text=email
                    message=Signal::derive(email_message) />
                <TextField id="rc-agent-name" name="display_name" label=|t| t.agent_name text=name
                    message=Signal::derive(name_message) />
                <div class="rc-field">
                    <label for="rc-agent-role">{console.t().role}</label>
                    <select id="rc-agent-role" name="role" prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        {Role::ALL.iter().map(|r| view! {
                            <option value=r.as_str()>{move || console.t().role(*r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField id="rc-agent-password" name="password" kind="password" autocomplete="new-password"
                    label=|t| t.password_optional text=password message=Signal::derive(password_message) />
                <div aria-live="assertive"><FailureNotice failure retry=Callback::new(move |_| submit()) /></div>
                <div class="rc-buttons">
                    <button type="submit" class="rc-primary" disabled=move || pending.get()>
                        {move || if pending.get() { console.t().adding } else { console.t().add_agent }}
                    </button>
                </div>
            </form>
        </section>
    }
}
