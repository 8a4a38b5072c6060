//! Start-up and shutdown: the database, demo data, the background tasks, the listener.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::credentials::hash_password;
use crate::embed::EmbedKey;
use crate::http::serve::{ConnectionLimits, serve};
use crate::password_check::PasswordChecker;
use crate::service::renewals;
use crate::state::AppState;
use crate::{demo, http, partner_center, store};

/// Opens the database, seeds demo data if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let ready = prepare(&config).await?;
    // Tests and scripts read this line to learn the port.
    println!("Reseller Console listening on http://{}/", ready.address);
    if config.demo {
        println!(
            "Demo sign-ins (demo data only; password \"{}\"):",
            demo::DEMO_PASSWORD
        );
        for (email, role, partner) in demo::DEMO_AGENTS {
            println!("  {email:<28} {role:<10} {partner}");
        }
    }
    ready.serve(shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

/// A server ready to answer: database open (and seeded), background tasks started, listener
/// bound. `run` serves it until a signal; a test serves it in its own process until it ends.
pub struct Ready {
    pub address: std::net::SocketAddr,
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
}

impl Ready {
    /// Serves until `shutdown` completes, then lets open requests finish.
    pub async fn serve(self, shutdown: impl std::future::Future<Output = ()>) {
        serve(self.listener, self.app, self.limits, shutdown).await;
    }
}

/// Everything `run` does before it serves.
pub async fn prepare(config: &Config) -> Result<Ready, Box<dyn std::error::Error>> {
    let store = store::connect(&config.database_url, config.db_timeout).await?;
    if config.demo {
        if store.is_empty().await? {
            let seed = tokio::task::spawn_blocking(demo::seed).await?;
            store.seed(&seed).await?;
            tracing::info!("seeded demo data");
        } else {
            tracing::info!("database already has data; demo data not added again");
        }
    }
    let dummy_password_hash =
        tokio::task::spawn_blocking(|| hash_password("not a real password")).await?;
    let workers = config.sign_in_workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let clock = Arc::new(Clock::system());
    let partner_center = Arc::new(partner_center_connector(config, &store, &clock)?);
    // A connected partner's first attempt of a change is made within the agent's request: it
    // must end first.
    if config.partner_center_timeout >= config.request_timeout
        && !store.connected_partners().await?.is_empty()
    {
        return Err(format!(
            "--partner-center-timeout ({:?}) must be shorter than --request-timeout ({:?}): a change's first attempt to Microsoft is made within the agent's request",
            config.partner_center_timeout, config.request_timeout
        )
        .into());
    }
    // A connected partner whose credentials this server cannot open would have every change
    // wait and fail unseen: refuse to start, saying how to put it right.
    let unreadable = partner_center.unreadable_connections().await?;
    if !unreadable.is_empty() {
        return Err(format!(
            "the stored Partner Center credentials of {} cannot be opened: {}. Start the server with the --secret-key-file they were sealed with, or run `reseller-console partner disconnect --partner ID`",
            unreadable.iter().map(|(p, _)| format!("partner {p}")).collect::<Vec<_>>().join(", "),
            unreadable[0].1
        )
        .into());
    }
    let state = AppState {
        partner_center: partner_center.clone(),
        clock: clock.clone(),
        store,
        secure_cookies: config.secure_cookies,
        dummy_password_hash,
        password_checker: PasswordChecker::new(workers, config.db_timeout),
        health: Arc::default(),
        test_clock: config.unsafe_test_clock,
        sign_in_attempts_kept: config.sign_in_attempts_kept,
        embed: match &config.embed_secret_file {
            Some(path) => Some(Arc::new(EmbedKey::from_file(path)?)),
            None => None,
        },
    };
    // Renewals and expiries: at start (catching up after downtime), then every minute.
    renewals::spawn(
        state.store.clone(),
        clock,
        std::time::Duration::from_secs(60),
    );
    // Partner Center: the outbox every second (what is due; nothing when no one is
    // connected), and each connected partner's sync.
    partner_center::worker::spawn(partner_center.clone(), std::time::Duration::from_secs(1));
    partner_center::sync::spawn(partner_center, config.sync_interval);
    let app = http::router(
        state,
        &config.static_dir,
        &config.cors_origins,
        config.request_timeout,
    )?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let limits = ConnectionLimits {
        header_timeout: config.header_timeout,
        max_connections: config.max_connections,
        write_stall: config.request_timeout,
    };
    Ok(Ready {
        address: listener.local_addr()?,
        listener,
        app,
        limits,
    })
}

/// The connector every server and subcommand works through (its secret key, if given).
pub fn partner_center_connector(
    config: &Config,
    store: &Arc<dyn store::Store>,
    clock: &Arc<Clock>,
) -> Result<partner_center::Connector, Box<dyn std::error::Error>> {
    let sealer = match &config.secret_key_file {
        Some(path) => Some(Arc::new(partner_center::secrets::Sealer::from_file(path)?)),
        None => None,
    };
    Ok(partner_center::Connector::new(
        store.clone(),
        clock.clone(),
        &config.partner_center(),
        sealer,
    )?)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}
