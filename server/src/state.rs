//! What every request handler, use case and background task shares.

use std::sync::Arc;
use std::time::Instant;

use crate::clock::Clock;
use crate::embed::EmbedKey;
use crate::password_check::PasswordChecker;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    /// The subscription rules' clock (moved only by `--unsafe-test-clock`'s tests).
    pub clock: Arc<Clock>,
    pub store: Arc<dyn Store>,
    pub secure_cookies: bool,
    /// Checked when an e-mail is unknown, so sign-in takes as long as for a real agent.
    pub dummy_password_hash: String,
    pub password_checker: PasswordChecker,
    /// The last write probe of `/healthz`: when, and whether the database could save.
    pub health: Arc<tokio::sync::Mutex<Option<(Instant, bool)>>>,
    /// The host portal's signing secret, when signed embedding is configured.
    pub embed: Option<Arc<EmbedKey>>,
    /// `--unsafe-test-clock`: tests may move the subscription rules' clock.
    pub test_clock: bool,
    /// `--sign-in-attempts-kept`: the most rows the sign-in throttle keeps.
    pub sign_in_attempts_kept: u32,
    /// Partner Center: connected partners' changes go through it.
    pub partner_center: Arc<crate::partner_center::Connector>,
}
