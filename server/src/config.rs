//! The server's settings: command-line flags, each also readable from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::partner_center::Settings;

/// The server's flags; every flag can also come from the environment variable it names.
#[derive(clap::Args, Debug, Clone)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; the URL is printed).
    #[arg(long, env = "RC_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// sqlite://PATH (created and migrated at start) or postgres://HOST/DATABASE. Every
    /// subcommand uses the same database.
    #[arg(
        long,
        global = true,
        env = "RC_DATABASE_URL",
        default_value = "sqlite://data/reseller-console.db"
    )]
    pub database_url: String,
    /// A file holding the host portal's signing secret (at least 32 bytes): turns on
    /// `POST /api/session/exchange` (signed embedding) and lets `embed-token` sign.
    #[arg(long, global = true, env = "RC_EMBED_SECRET_FILE")]
    pub embed_secret_file: Option<PathBuf>,
    /// A file holding the server's secret (at least 32 bytes) from which the key that seals
    /// stored Partner Center credentials is derived: needed to connect partners and to work
    /// for connected ones.
    #[arg(long, global = true, env = "RC_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
    /// Partner Center's REST API.
    #[arg(
        long,
        global = true,
        env = "RC_PARTNER_CENTER_API",
        default_value = "https://api.partnercenter.microsoft.com"
    )]
    pub partner_center_api: String,
    /// Microsoft Entra ID's sign-in endpoint (tokens for Partner Center).
    #[arg(
        long,
        global = true,
        env = "RC_PARTNER_CENTER_LOGIN",
        default_value = "https://login.microsoftonline.com"
    )]
    pub partner_center_login: String,
    /// The longest wait for one call to Microsoft; an agent's change waits this long for its
    /// first attempt, then shows "waiting for Microsoft".
    #[arg(long, global = true, env = "RC_PARTNER_CENTER_TIMEOUT", default_value = "10s", value_parser = seconds)]
    pub partner_center_timeout: Duration,
    /// Calls to Partner Center per connected partner per minute, at most (below the limits
    /// Partner Center throttles at); past it a sync waits and a change waits for the worker.
    #[arg(long, global = true, env = "RC_PARTNER_CENTER_BUDGET", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub partner_center_budget: u32,
    /// How often the server syncs each connected partner with Partner Center.
    #[arg(long, env = "RC_SYNC_INTERVAL", default_value = "15m", value_parser = seconds)]
    pub sync_interval: Duration,
    /// FOR TESTS ONLY: the instant the subcommands take as now (RFC 3339), e.g. so an import
    /// judges a file's end dates against the day its example files were written for.
    #[arg(long, global = true, env = "RC_UNSAFE_CLOCK_AT", hide = true)]
    pub unsafe_clock_at: Option<String>,
    /// The built browser app (trunk's dist/): served for every path outside /api.
    #[arg(long, env = "RC_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Seed demo partners, agents, offers and customers into an empty database.
    #[arg(long, env = "RC_DEMO")]
    pub demo: bool,
    /// Mark the session cookie Secure (set when TLS ends at this server; `X-Forwarded-Proto:
    /// https` from a proxy does the same per request).
    #[arg(long, env = "RC_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Allow these exact origins to call the API with credentials (CORS). For test set-ups
    /// whose page is served from another port; leave unset in production.
    #[arg(long = "cors-origin", env = "RC_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Longest wait for the database: a connection, a turn to write, a PostgreSQL statement.
    /// Past it the request is answered 503 `storage_unavailable`.
    #[arg(long, env = "RC_DB_TIMEOUT", default_value = "5s", value_parser = seconds)]
    pub db_timeout: Duration,
    /// Longest time from a request's arrival to its answer (body upload included); past it,
    /// 503. The work already begun still finishes or rolls back, never half-way.
    #[arg(long, env = "RC_REQUEST_TIMEOUT", default_value = "30s", value_parser = seconds)]
    pub request_timeout: Duration,
    /// A connection must send a request's headers within this time, and one idle between
    /// requests is closed after it (slow or idle clients cannot hold connections).
    #[arg(long, env = "RC_HEADER_TIMEOUT", default_value = "10s", value_parser = seconds)]
    pub header_timeout: Duration,
    /// Open connections served at once; beyond it a new connection gets 503 and is closed.
    #[arg(long, env = "RC_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// FOR TESTS ONLY, never in production: lets anyone move the clock of the subscription
    /// rules (reduction windows, renewals) with `POST /api/test/clock`, so tests move time
    /// instead of sleeping. Sessions keep real time.
    #[arg(long, env = "RC_UNSAFE_TEST_CLOCK")]
    pub unsafe_test_clock: bool,
    /// Password checks (Argon2, ~19 MiB each) run at once; default one per core. A sign-in
    /// that waits longer than --db-timeout for its turn gets 503 `server_busy`.
    #[arg(long, env = "RC_SIGN_IN_WORKERS")]
    pub sign_in_workers: Option<usize>,
    /// Failed sign-ins remembered for throttling, at most (the oldest go first): bounds the
    /// table whatever anyone sends. Each is a fixed-size row (~150 bytes with its indexes), so
    /// the default is about 75 MB; it is that large so that a flood of new addresses cannot push
    /// a real address's attempts out within the 15 minutes they count (that would take more
    /// than 550 sign-ins a second, which one database does not write).
    #[arg(long, env = "RC_SIGN_IN_ATTEMPTS_KEPT", default_value_t = 500_000,
          value_parser = clap::value_parser!(u32).range(10..=10_000_000))]
    pub sign_in_attempts_kept: u32,
}

impl Config {
    /// What the Partner Center connector is told.
    pub fn partner_center(&self) -> Settings {
        Settings {
            api: self.partner_center_api.clone(),
            login: self.partner_center_login.clone(),
            timeout: self.partner_center_timeout,
            budget_per_minute: self.partner_center_budget,
        }
    }
}

/// "5s", "250ms", "15m" or a bare number of seconds.
fn seconds(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        (text, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n * unit <= 86_400.0 => {
            Ok(Duration::from_secs_f64(n * unit))
        }
        _ => Err(format!(
            "{text:?} is not a duration: write e.g. 5s, 250ms or 15m (more than 0, at most a day)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(seconds("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(seconds("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(seconds("2"), Ok(Duration::from_secs(2)));
        assert_eq!(seconds("15m"), Ok(Duration::from_secs(900)));
        assert!(seconds("0").is_err());
        assert!(seconds("-1s").is_err());
        assert!(seconds("soon").unwrap_err().contains("5s"));
    }
}
