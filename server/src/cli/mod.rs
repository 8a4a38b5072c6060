//! The administration subcommands: a partner sets itself up from an empty database (partner,
//! agents, catalogue, customers and subscriptions from Partner Center) without the demo data.
//! Each prints what it did; bad input exits non-zero with a message that names it.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

mod partner_center;
mod prices;
mod reconcile;
mod statements;
use shared::customer_details::normalise_domain;
use shared::ids::{OfferId, PartnerId};
use shared::model::Role;
use shared::team::{normalise_email, normalise_name, parse_role};
use uuid::Uuid;

use crate::clock::{Clock, unix_now};
use crate::config::Config;
use crate::credentials::hash_password;
use crate::embed::EmbedKey;
use crate::import::{self, ImportError, Imported};
use crate::service;
use crate::service::team::AgentToAdd;
use crate::store::{self, DomainOutcome, Store};

/// The command line: serving is the default; the subcommands administer the same database.
#[derive(Parser, Debug)]
#[command(
    name = "reseller-console",
    about = "Reseller Console: API and browser app server, and its administration",
    args_conflicts_with_subcommands = false
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Who the audit trail names for changes made here.
pub const COMMAND_LINE: &str = "command line";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API and the browser app (the default).
    Serve,
    /// Partners: the reseller companies that use the console.
    #[command(subcommand)]
    Partner(PartnerCommand),
    /// A partner's agents and their roles.
    #[command(subcommand)]
    Agent(AgentCommand),
    /// The catalogue, and which offers each partner may sell.
    #[command(subcommand)]
    Offers(OffersCommand),
    /// Microsoft's price list (the partner's cost) and the partner's own prices.
    #[command(subcommand)]
    Prices(prices::PricesCommand),
    /// Customers, from Partner Center's Customers.csv export.
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// Subscriptions, from Partner Center's "Export subscriptions".
    #[command(subcommand)]
    Subscriptions(SubscriptionsCommand),
    /// A month's statements as CSV (one row per line, the customer's columns on each): what
    /// each customer owes, worked out from the audit trail at the partner's prices.
    Statements {
        #[arg(long)]
        partner: String,
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// One customer's (its id); all customers' without it.
        #[arg(long)]
        customer: Option<String>,
    },
    Reconcile(reconcile::ReconcileArgs),
    /// One sync with Partner Center of a connected partner: its customers and their
    /// subscriptions; prints what it created, updated and found changed.
    Sync {
        #[arg(long)]
        partner: String,
    },
    /// Sign a short-lived sign-in token for an agent (with its partner's embed key), as the
    /// partner's portal back end would: to try signed embedding out.
    EmbedToken {
        #[arg(long)]
        email: String,
        /// Seconds the token is valid (at most 300).
        #[arg(long, default_value_t = 60)]
        lifetime: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum PartnerCommand {
    /// Create a partner; prints its id. `--domain` gives it the e-mail domains its agents'
    /// addresses are in (no other partner may own or use them).
    Add {
        name: String,
        #[arg(long = "domain", value_name = "DOMAIN")]
        domains: Vec<String>,
    },
    /// The e-mail domains a partner owns: its agents (added here or on the Team page) have
    /// e-mails in these only, so no partner can take or probe another's addresses.
    #[command(subcommand)]
    Domain(DomainCommand),
    /// Connect the partner to Microsoft Partner Center: its changes are then made there first,
    /// and syncs bring Partner Center's own changes in. Without --refresh-token-file, app-only
    /// tokens (client credentials); with one, app + user tokens (Secure Application Model).
    /// The secrets are read from files, checked with Microsoft, and stored sealed (needs
    /// --secret-key-file); they are never printed.
    Connect {
        #[arg(long)]
        partner: String,
        /// The partner's Microsoft Entra tenant id (or its domain).
        #[arg(long)]
        tenant: String,
        /// The Entra app's id (Partner Center: Account settings, App management).
        #[arg(long)]
        app_id: String,
        #[arg(long, value_name = "FILE")]
        app_secret_file: PathBuf,
        #[arg(long, value_name = "FILE")]
        refresh_token_file: Option<PathBuf>,
    },
    /// Remove the partner's Partner Center connection (its stored secrets with it): the
    /// console is again the partner's own record.
    Disconnect {
        #[arg(long)]
        partner: String,
    },
    /// Print the key this partner's portal signs sign-in tokens with (HS256, `aud` = the
    /// partner's id); derived from --embed-secret-file, so it needs that file.
    EmbedKey {
        #[arg(long)]
        partner: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DomainCommand {
    /// Give these domains to the partner (refused if another partner owns one, or has agents
    /// with e-mails in it).
    Add {
        #[arg(long)]
        partner: String,
        #[arg(required = true)]
        domains: Vec<String>,
    },
    /// Take these domains from the partner (its agents keep their e-mails and sign-ins).
    Remove {
        #[arg(long)]
        partner: String,
        #[arg(required = true)]
        domains: Vec<String>,
    },
    /// Print the partner's domains, one per line.
    List {
        #[arg(long)]
        partner: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AgentCommand {
    /// Add an agent. The password is read from standard input; with none (or a terminal), one
    /// is generated and printed once.
    Add {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        email: String,
        /// admin, sales, helpdesk or read_only.
        #[arg(long)]
        role: String,
        /// Display name (default: the e-mail's part before @).
        #[arg(long)]
        name: Option<String>,
    },
    /// Give an agent another role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Disable an agent: its sessions end at once and it cannot sign in.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Re-enable a disabled agent.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// List a partner's agents.
    List {
        #[arg(long)]
        partner: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OffersCommand {
    /// Load the catalogue: id, name, min seats, max seats, price per seat per month, currency,
    /// term, billing cycle. Offers are added or updated by id.
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        /// Also authorise every offer of the file for this partner.
        #[arg(long, value_name = "PARTNER_ID")]
        authorise: Option<String>,
    },
    /// Let a partner sell these offers.
    Authorise {
        #[arg(long)]
        partner: String,
        #[arg(required = true)]
        offers: Vec<String>,
    },
    /// Stop a partner selling these offers (its existing subscriptions stay).
    Revoke {
        #[arg(long)]
        partner: String,
        #[arg(required = true)]
        offers: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// Import Partner Center's Customers.csv (Microsoft ID, Company name, Primary domain name).
    Import {
        #[arg(long)]
        partner: String,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SubscriptionsCommand {
    /// Import an "Export subscriptions" CSV (Subscription ID, Subscription, Quantity, Status;
    /// optional Term, Commitment end date, Auto-renew). The customer comes from a Microsoft ID
    /// (or Customer ID) column, or from --customer for a one-customer export.
    Import {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        customer: Option<String>,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        /// Also take lines whose end date is before the one the console has (an older export
        /// than the console's record): each change is still recorded in the activity log.
        #[arg(long)]
        force: bool,
    },
}

/// Runs a subcommand (other than serving) against the configured database.
pub async fn run(config: &Config, command: Command) -> Result<(), String> {
    // Checked before the database is opened: without the secret there is nothing to do.
    let embed_key = || -> Result<EmbedKey, String> {
        let path = config.embed_secret_file.as_ref().ok_or(
            "this needs --embed-secret-file (or RC_EMBED_SECRET_FILE): the console's embed secret",
        )?;
        EmbedKey::from_file(path)
    };
    if matches!(
        command,
        Command::EmbedToken { .. } | Command::Partner(PartnerCommand::EmbedKey { .. })
    ) {
        embed_key()?;
    }
    let clock = Arc::new(Clock::system());
    if let Some(at) = &config.unsafe_clock_at {
        let at = shared::calendar::parse_rfc3339(at).ok_or_else(|| {
            format!("--unsafe-clock-at {at:?} is not a time like 2026-12-02T12:00:00Z")
        })?;
        clock.freeze_at(at);
    }
    let store = store::connect(&config.database_url, config.db_timeout)
        .await
        .map_err(|e| e.to_string())?;
    match command {
        Command::Serve => unreachable!("handled by the caller"),
        Command::EmbedToken { email, lifetime } => {
            let email = normalise_email(&email).map_err(|e| e.to_string())?;
            if !(1..=crate::embed::MAX_LIFETIME_SECONDS).contains(&lifetime) {
                return Err("--lifetime must be 1 to 300 seconds".into());
            }
            let agent = store
                .agent_credentials(&email)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no agent signs in with {email}"))?;
            println!(
                "{}",
                embed_key()?.sign(agent.agent.partner_id, &email, unix_now(), lifetime)
            );
        }
        Command::Partner(PartnerCommand::Connect {
            partner,
            tenant,
            app_id,
            app_secret_file,
            refresh_token_file,
        }) => {
            let partner = known_partner(&store, &partner).await?;
            let files = partner_center::SecretFiles {
                app_secret: app_secret_file,
                refresh_token: refresh_token_file,
            };
            partner_center::connect(config, &store, &clock, partner, &tenant, &app_id, files)
                .await?;
        }
        Command::Partner(PartnerCommand::Disconnect { partner }) => {
            let partner = known_partner(&store, &partner).await?;
            partner_center::disconnect(&store, partner).await?;
        }
        Command::Prices(command) => prices::run(&store, &clock, command).await?,
        Command::Statements {
            partner,
            month,
            customer,
        } => statements::run(&store, &partner, &month, customer.as_deref()).await?,
        Command::Reconcile(args) => reconcile::run(&store, &clock, args).await?,
        Command::Sync { partner } => {
            let partner = known_partner(&store, &partner).await?;
            partner_center::sync(config, &store, &clock, partner).await?;
        }
        Command::Partner(PartnerCommand::EmbedKey { partner }) => {
            let partner = known_partner(&store, &partner).await?;
            println!("{}", embed_key()?.partner_key(partner));
        }
        Command::Partner(PartnerCommand::Add { name, domains }) => {
            let name = normalise_name("name", &name).map_err(|e| e.to_string())?;
            let domains = read_domains(&domains)?;
            let id = PartnerId(Uuid::new_v4());
            store
                .create_partner(id, &name)
                .await
                .map_err(|e| e.to_string())?;
            // Only the id on standard output, so a script can keep it: PARTNER=$(… partner add …).
            eprintln!("created partner {name:?}");
            println!("{id}");
            add_domains(&store, id, &domains).await.map_err(|e| {
                format!("{e} (partner {id} was created: add its domains with `partner domain add --partner {id}`)")
            })?;
        }
        Command::Partner(PartnerCommand::Domain(command)) => domain(&store, command).await?,
        Command::Agent(command) => agent(&store, &clock, command).await?,
        Command::Offers(OffersCommand::Import {
            file,
            dry_run,
            authorise: partner,
        }) => {
            // The partner is checked first: a typo must not leave a half-done set-up.
            let partner = match partner {
                Some(p) => Some(known_partner(&store, &p).await?),
                None => None,
            };
            print_import(import::offers(&store, &file, dry_run, partner).await)?;
        }
        Command::Offers(OffersCommand::Authorise { partner, offers }) => {
            authorise(&store, &partner, &offers, true).await?;
        }
        Command::Offers(OffersCommand::Revoke { partner, offers }) => {
            authorise(&store, &partner, &offers, false).await?;
        }
        Command::Customers(CustomersCommand::Import {
            partner,
            file,
            dry_run,
        }) => {
            let partner = known_partner(&store, &partner).await?;
            print_import(
                import::customers(&store, &clock, partner, &file, dry_run, &progress).await,
            )?;
        }
        Command::Subscriptions(SubscriptionsCommand::Import {
            partner,
            customer,
            file,
            dry_run,
            force,
        }) => {
            let partner = known_partner(&store, &partner).await?;
            let customer = customer
                .map(|c| {
                    c.trim()
                        .parse()
                        .map_err(|_| format!("--customer {c:?} is not a customer id (a GUID)"))
                })
                .transpose()?;
            let options = import::SubscriptionImport { dry_run, force };
            print_import(
                import::subscriptions(&store, &clock, partner, customer, &file, options, &progress)
                    .await,
            )?;
        }
    }
    Ok(())
}

/// Domains as typed, normalised (`Contoso.Example.` → `contoso.example`).
fn read_domains(given: &[String]) -> Result<Vec<String>, String> {
    given
        .iter()
        .map(|d| normalise_domain(d).map_err(|e| e.to_string()))
        .collect()
}

async fn add_domains(
    store: &Arc<dyn Store>,
    partner: PartnerId,
    domains: &[String],
) -> Result<(), String> {
    for d in domains {
        match store
            .add_partner_domain(partner, d)
            .await
            .map_err(|e| e.to_string())?
        {
            DomainOutcome::Added => eprintln!("{d}: now a domain of partner {partner}"),
            DomainOutcome::Unchanged => eprintln!("{d}: already a domain of partner {partner}"),
            DomainOutcome::OwnedBy(other) => {
                return Err(format!("{d} is a domain of another partner ({other})"));
            }
            DomainOutcome::UsedBy(other) => {
                return Err(format!(
                    "agents of another partner ({other}) have e-mails in {d}: it cannot be this partner's"
                ));
            }
        }
    }
    Ok(())
}

async fn domain(store: &Arc<dyn Store>, command: DomainCommand) -> Result<(), String> {
    match command {
        DomainCommand::Add { partner, domains } => {
            let partner = known_partner(store, &partner).await?;
            add_domains(store, partner, &read_domains(&domains)?).await
        }
        DomainCommand::Remove { partner, domains } => {
            let partner = known_partner(store, &partner).await?;
            for d in read_domains(&domains)? {
                if !store
                    .remove_partner_domain(partner, &d)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    return Err(format!("{d} is not a domain of partner {partner}"));
                }
                eprintln!("{d}: no longer a domain of partner {partner}");
            }
            Ok(())
        }
        DomainCommand::List { partner } => {
            let partner = known_partner(store, &partner).await?;
            for d in store
                .partner_domains(partner)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("{d}");
            }
            Ok(())
        }
    }
}

/// The partner an id names, or a message saying there is none.
pub async fn known_partner(store: &Arc<dyn Store>, text: &str) -> Result<PartnerId, String> {
    let id: PartnerId = text.trim().parse().map_err(|_| {
        format!("--partner {text:?} is not a partner id (a GUID printed by `partner add`)")
    })?;
    match store.partner_name(id).await.map_err(|e| e.to_string())? {
        Some(_) => Ok(id),
        None => Err(format!("no partner has the id {id}")),
    }
}

async fn agent(store: &Arc<dyn Store>, clock: &Clock, command: AgentCommand) -> Result<(), String> {
    let text = |e: shared::RuleError| e.to_string();
    match command {
        AgentCommand::Add {
            partner,
            email,
            role,
            name,
        } => {
            let partner = known_partner(store, &partner).await?;
            let agent = service::team::check_new_agent(AgentToAdd {
                email: &email,
                display_name: name.as_deref(),
                role: &role,
                password: password_from_stdin()?,
            })
            .map_err(text)?;
            let hashed = agent.password.clone();
            let password_hash = tokio::task::spawn_blocking(move || hash_password(&hashed))
                .await
                .map_err(|e| e.to_string())?;
            // A generated password was printed here: the agent replaces it at first sign-in.
            let member = service::team::add_agent(
                store.as_ref(),
                clock,
                partner,
                &agent,
                password_hash,
                agent.generated,
                COMMAND_LINE,
            )
            .await
            .map_err(|e| e.0.message)?;
            println!(
                "added agent {} <{}> as {}",
                member.id,
                member.email,
                member.role.name(shared::language::Lang::En)
            );
            if agent.generated {
                println!(
                    "one-time password (shown once; the agent changes it after signing in): {}",
                    agent.password
                );
            }
            Ok(())
        }
        AgentCommand::SetRole { email, role } => {
            let role = parse_role(&role).map_err(text)?;
            change(store, clock, &email, Some(role), None).await
        }
        AgentCommand::Disable { email } => change(store, clock, &email, None, Some(false)).await,
        AgentCommand::Enable { email } => change(store, clock, &email, None, Some(true)).await,
        AgentCommand::List { partner } => {
            let partner = known_partner(store, &partner).await?;
            let team = store.team(partner).await.map_err(|e| e.to_string())?;
            println!(
                "{:<36}  {:<32}  {:<16}  {:<8}  last sign-in",
                "id", "e-mail", "role", "state"
            );
            for a in team.agents {
                println!(
                    "{:<36}  {:<32}  {:<16}  {:<8}  {}",
                    a.id,
                    a.email,
                    a.role.name(shared::language::Lang::En),
                    if a.active { "active" } else { "disabled" },
                    a.last_sign_in_at.as_deref().unwrap_or("never")
                );
            }
            Ok(())
        }
    }
}

async fn change(
    store: &Arc<dyn Store>,
    clock: &Clock,
    email: &str,
    role: Option<Role>,
    active: Option<bool>,
) -> Result<(), String> {
    let found = store
        .agent_credentials(email)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no agent signs in with {:?}", email.trim()))?;
    let agent = found.agent;
    let member = service::team::change_agent(
        store.as_ref(),
        clock,
        agent.partner_id,
        agent.agent_id,
        role,
        active,
        COMMAND_LINE,
    )
    .await
    .map_err(|e| e.0.message)?;
    println!(
        "{} is now {} ({})",
        member.email,
        member.role.name(shared::language::Lang::En),
        if member.active {
            "active"
        } else {
            "disabled: its sessions have ended"
        }
    );
    Ok(())
}

/// A large import's progress, on standard error.
fn progress(done: usize, total: usize) {
    eprintln!("… {done} of {total} lines checked");
}

/// Prints an import's report: a dry run's every line on standard output, a real run's refused
/// lines on standard error, then the counts and what was written.
pub(super) fn print_import(result: Result<Imported, ImportError>) -> Result<(), String> {
    let report = match &result {
        Ok(imported) => &imported.report,
        Err(ImportError::Refused(report)) => report,
        Err(ImportError::Failed(message)) => return Err(message.clone()),
    };
    for line in report.lines() {
        if report.dry_run {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    }
    println!("{}", report.summary());
    let imported = result.map_err(|e| e.to_string())?;
    if let Some(written) = imported.written {
        // "customers" → "customer(s)".
        let noun = imported.report.what.trim_end_matches('s');
        println!("imported {written} {noun}(s)");
    }
    if let Some((partner, authorised)) = imported.authorised {
        println!("authorised {authorised} offer(s) for partner {partner}");
    }
    Ok(())
}

/// The first line of standard input when something is piped in; none from a terminal or an
/// empty input (then a password is generated).
fn password_from_stdin() -> Result<Option<String>, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut text = String::new();
    stdin
        .lock()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r')
        .to_owned();
    Ok((!line.is_empty()).then_some(line))
}

async fn authorise(
    store: &Arc<dyn Store>,
    partner: &str,
    offers: &[String],
    authorised: bool,
) -> Result<(), String> {
    let partner = known_partner(store, partner).await?;
    let catalogue = store.all_offers().await.map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    for id in offers {
        let id = id.trim();
        if !catalogue.iter().any(|o| o.id.0 == id) {
            return Err(format!(
                "no offer {id:?} in the catalogue (load it with `offers import`)"
            ));
        }
        ids.push(OfferId(id.to_owned()));
    }
    let changed = store
        .set_offer_authorisation(partner, &ids, authorised)
        .await
        .map_err(|e| e.to_string())?;
    let verb = if authorised { "authorised" } else { "revoked" };
    println!(
        "{verb} {changed} offer(s) for partner {partner} ({} already so)",
        ids.len() as u64 - changed
    );
    Ok(())
}
