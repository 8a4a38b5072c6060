//! The Partner Center connector (issue 22): a connected partner's changes are made at
//! Microsoft first (through the outbox, `outbox`), and a sync brings Partner Center's own
//! changes in (`sync`). A partner without a connection works as before: the console is then
//! its own record.
//!
//! Here: the partner's connection (sealed credentials), its access tokens (cached until
//! shortly before they expire, refreshed on a 401 once), and each partner's throttle (a 429
//! slows that partner only).

pub mod budget;
pub mod client;
pub mod orders;
pub mod outbox;
pub mod secrets;
pub mod sync;
pub mod wire;
pub mod worker;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use shared::ids::PartnerId;
use shared::partner_center::{MAX_ATTEMPTS, retry_delay_seconds};
use uuid::Uuid;

use crate::clock::{Clock, unix_now};
use crate::store::Store;
use crate::store::partner_center::StoredConnection;
use client::{CallError, Client, Credentials};
use secrets::{Purpose, Sealer};

/// Why a change or order waits without an attempt: the partner's throttle.
pub const THROTTLED: &str = "Partner Center asked to slow down (429), or the console's request budget for this partner is spent: sent as soon as either allows";

/// A token is used until this many seconds before it expires.
const TOKEN_MARGIN_SECONDS: i64 = 300;

/// What the server (and each subcommand) is told about Partner Center.
#[derive(Clone, Debug)]
pub struct Settings {
    pub api: String,
    pub login: String,
    /// The bound of each call; the first attempt within an agent's request waits this long.
    pub timeout: Duration,
    /// Calls to Partner Center per partner per minute, at most.
    pub budget_per_minute: u32,
}

struct CachedToken {
    access_token: String,
    /// Unix seconds (real time: tokens expire by Microsoft's clock, not the test clock).
    use_until: i64,
}

pub struct Connector {
    pub store: Arc<dyn Store>,
    pub clock: Arc<Clock>,
    client: Client,
    sealer: Option<Arc<Sealer>>,
    tokens: Mutex<HashMap<PartnerId, CachedToken>>,
    /// Partner → Unix second (the rules' clock, which tests move) before which no call is
    /// made: its last 429's `Retry-After`.
    throttled: Mutex<HashMap<PartnerId, i64>>,
    budget: budget::Budget,
}

/// When an unanswered change or order is tried next.
pub struct NextAttempt {
    pub attempts: u32,
    /// Unix seconds, on the rules' clock.
    pub at: i64,
    /// The attempts ran out: it waits for an agent.
    pub failed: bool,
}

/// The connection a partner gave, opened.
pub struct Connection {
    pub tenant_id: String,
    pub app_id: String,
    pub app_secret: String,
    pub refresh_token: Option<String>,
}

impl Connector {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<Clock>,
        settings: &Settings,
        sealer: Option<Arc<Sealer>>,
    ) -> Result<Connector, String> {
        Ok(Connector {
            store,
            clock,
            client: Client::new(&settings.api, &settings.login, settings.timeout)?,
            sealer,
            tokens: Mutex::default(),
            throttled: Mutex::default(),
            budget: budget::Budget::new(settings.budget_per_minute),
        })
    }

    /// Whether the partner's changes go through Partner Center.
    pub async fn is_connected(&self, partner: PartnerId) -> Result<bool, crate::store::StoreError> {
        Ok(self.store.connection(partner).await?.is_some())
    }

    fn sealer(&self) -> Result<&Sealer, String> {
        self.sealer.as_deref().ok_or_else(|| {
            "Partner Center credentials are sealed with the server's secret key: start it (and run this command) with --secret-key-file FILE".to_owned()
        })
    }

    fn open(&self, stored: &StoredConnection) -> Result<Connection, String> {
        let sealer = self.sealer()?;
        let partner = stored.partner_id;
        Ok(Connection {
            tenant_id: stored.tenant_id.clone(),
            app_id: stored.app_id.clone(),
            app_secret: sealer.open(partner, Purpose::AppSecret, &stored.sealed_app_secret)?,
            refresh_token: stored
                .sealed_refresh_token
                .as_deref()
                .map(|t| sealer.open(partner, Purpose::RefreshToken, t))
                .transpose()?,
        })
    }

    /// The connected partners whose stored credentials cannot be opened here (no secret key,
    /// or another one than they were sealed with), and why.
    pub async fn unreadable_connections(
        &self,
    ) -> Result<Vec<(PartnerId, String)>, crate::store::StoreError> {
        let mut unreadable = Vec::new();
        for partner in self.store.connected_partners().await? {
            if let Some(stored) = self.store.connection(partner).await?
                && let Err(why) = self.open(&stored)
            {
                unreadable.push((partner, why));
            }
        }
        Ok(unreadable)
    }

    /// `partner connect`: asks Entra ID for a token with these credentials (so that a wrong
    /// secret or tenant fails here, in Entra ID's words), then one page of customers (so that
    /// an app Partner Center does not know fails here too), then stores them sealed.
    pub async fn connect(&self, partner: PartnerId, given: Connection) -> Result<(), String> {
        let sealer = self.sealer()?;
        let token = self
            .client
            .token(&Credentials {
                tenant_id: &given.tenant_id,
                app_id: &given.app_id,
                app_secret: &given.app_secret,
                refresh_token: given.refresh_token.as_deref(),
            })
            .await
            .map_err(|e| match e {
                CallError::Refused { error, .. } => format!(
                    "Microsoft Entra ID refused the sign-in ({}): {}",
                    error.code, error.description
                ),
                other => format!("could not sign in to Microsoft Entra ID: {other}"),
            })?;
        let _: wire::Collection<wire::Customer> = self
            .client
            .call(
                &token.access_token,
                Method::GET,
                "/v1/customers?size=1",
                None,
                Uuid::new_v4(),
                &[],
            )
            .await
            .map_err(|e| format!("signed in, but Partner Center's API refused the app: {e}"))?;
        let refresh_token = token.refresh_token.or(given.refresh_token);
        self.store
            .save_connection(&StoredConnection {
                partner_id: partner,
                tenant_id: given.tenant_id.clone(),
                app_id: given.app_id.clone(),
                sealed_app_secret: sealer.seal(partner, Purpose::AppSecret, &given.app_secret),
                sealed_refresh_token: refresh_token
                    .as_deref()
                    .map(|t| sealer.seal(partner, Purpose::RefreshToken, t)),
                connected_at: self.clock.now_rfc3339(),
                last_sync_at: None,
                last_sync_result: None,
            })
            .await
            .map_err(|e| e.to_string())?;
        self.tokens.lock().expect("token cache").insert(
            partner,
            CachedToken {
                access_token: token.access_token,
                use_until: unix_now() + token.lifetime_seconds - TOKEN_MARGIN_SECONDS,
            },
        );
        Ok(())
    }

    /// The partner's access token: the cached one while it is good, else a new one (keeping
    /// a rotated refresh token).
    async fn token(&self, partner: PartnerId, fresh: bool) -> Result<String, CallError> {
        // A partner disconnected meanwhile (by another process) gets no call with a cached
        // token.
        let connected =
            self.store
                .connection(partner)
                .await
                .map_err(|e| CallError::Unanswered {
                    reason: format!("the console's database: {e}"),
                    retry_after: None,
                })?;
        if connected.is_none() {
            self.tokens.lock().expect("token cache").remove(&partner);
            return Err(CallError::Unanswered {
                reason: "the partner is not connected to Partner Center".into(),
                retry_after: None,
            });
        }
        if !fresh {
            let cache = self.tokens.lock().expect("token cache");
            if let Some(t) = cache.get(&partner).filter(|t| t.use_until > unix_now()) {
                return Ok(t.access_token.clone());
            }
        }
        // Without a token the change was not refused by Microsoft: it waits (and, the
        // retries spent, fails with this reason) for the connection to be put right.
        let not_connected = |why: String| CallError::Unanswered {
            reason: why,
            retry_after: None,
        };
        let stored = self
            .store
            .connection(partner)
            .await
            .map_err(|e| CallError::Unanswered {
                reason: format!("the console's database: {e}"),
                retry_after: None,
            })?
            .ok_or_else(|| {
                not_connected("the partner is not connected to Partner Center".into())
            })?;
        let connection = self.open(&stored).map_err(not_connected)?;
        let token = self
            .client
            .token(&Credentials {
                tenant_id: &connection.tenant_id,
                app_id: &connection.app_id,
                app_secret: &connection.app_secret,
                refresh_token: connection.refresh_token.as_deref(),
            })
            .await
            .map_err(|e| match e {
                CallError::Refused { error, .. } => not_connected(format!(
                    "Microsoft Entra ID refused the connector's sign-in ({}): {}; connect the partner again",
                    error.code, error.description
                )),
                other => other,
            })?;
        if let (Some(new), Some(old)) = (&token.refresh_token, &connection.refresh_token)
            && new != old
        {
            {
                let sealed =
                    self.sealer()
                        .map_err(not_connected)?
                        .seal(partner, Purpose::RefreshToken, new);
                if let Err(e) = self.store.rotate_refresh_token(partner, &sealed).await {
                    tracing::error!(%partner, error = %e, "could not keep the rotated refresh token");
                }
            }
        }
        self.tokens.lock().expect("token cache").insert(
            partner,
            CachedToken {
                access_token: token.access_token.clone(),
                use_until: unix_now() + token.lifetime_seconds - TOKEN_MARGIN_SECONDS,
            },
        );
        Ok(token.access_token)
    }

    /// After an attempt without an answer (`attempts_before` made until then): when the
    /// next is due (back-off, or the `Retry-After` asked), or whether it is the last.
    pub fn next_attempt(&self, attempts_before: u32, retry_after: Option<u64>) -> NextAttempt {
        let attempts = attempts_before + 1;
        let delay = retry_delay_seconds(attempts, retry_after);
        NextAttempt {
            attempts,
            at: self.clock.unix() + i64::try_from(delay).unwrap_or(3600),
            failed: attempts >= MAX_ATTEMPTS,
        }
    }

    /// When the partner's throttle lets a call through again (the rules' clock), while it
    /// holds calls back.
    pub fn throttled_until(&self, partner: PartnerId) -> Option<i64> {
        let wait = self.throttled_for(partner);
        (wait > 0).then(|| self.clock.unix() + wait)
    }

    /// An agent's *Send again* while Partner Center asks the partner to wait: refused (429),
    /// nothing sent, no attempt spent.
    pub fn refuse_if_throttled(&self, partner: PartnerId) -> Result<(), crate::error::AppError> {
        let wait = self.throttled_for(partner);
        if wait == 0 {
            return Ok(());
        }
        Err(crate::error::AppError::new(
            shared::ErrorCode::PartnerCenterThrottled,
            format!("Partner Center asked this partner to slow down, or the console's request budget for it is spent: nothing was sent. Try again in {wait} s."),
        )
        .retry_after(u64::try_from(wait).unwrap_or(60)))
    }

    /// Seconds until the partner's throttle (Partner Center's last 429, or the console's own
    /// budget spent) lets a call through; 0 when it does.
    pub fn throttled_for(&self, partner: PartnerId) -> i64 {
        let map = self.throttled.lock().expect("throttle");
        let asked = map
            .get(&partner)
            .map_or(0, |until| (until - self.clock.unix()).max(0));
        let budget = self.budget.wait(partner);
        let budget =
            i64::try_from(budget.as_secs() + u64::from(budget.subsec_nanos() > 0)).unwrap_or(60);
        asked.max(budget)
    }

    /// One call on the partner's behalf: its token (fresh once if Microsoft answers 401), its
    /// throttle (a 429 holds the partner's next calls back as `Retry-After` says).
    pub async fn call<T: DeserializeOwned>(
        &self,
        partner: PartnerId,
        method: Method,
        path_or_url: &str,
        body: Option<&serde_json::Value>,
        request_id: Uuid,
        extra_headers: &[(String, String)],
    ) -> Result<T, CallError> {
        self.call_when(
            partner,
            method,
            path_or_url,
            body,
            request_id,
            extra_headers,
            false,
        )
        .await
    }

    /// [`Connector::call`], waiting for the partner's budget as long as it takes (a sync: its
    /// pages may wait; an agent's request may not).
    pub async fn call_patiently<T: DeserializeOwned>(
        &self,
        partner: PartnerId,
        method: Method,
        path_or_url: &str,
        body: Option<&serde_json::Value>,
        request_id: Uuid,
        extra_headers: &[(String, String)],
    ) -> Result<T, CallError> {
        self.call_when(
            partner,
            method,
            path_or_url,
            body,
            request_id,
            extra_headers,
            true,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn call_when<T: DeserializeOwned>(
        &self,
        partner: PartnerId,
        method: Method,
        path_or_url: &str,
        body: Option<&serde_json::Value>,
        request_id: Uuid,
        extra_headers: &[(String, String)],
        patient: bool,
    ) -> Result<T, CallError> {
        let asked = {
            let map = self.throttled.lock().expect("throttle");
            map.get(&partner)
                .map_or(0, |until| (until - self.clock.unix()).max(0))
        };
        if asked > 0 {
            return Err(CallError::Unanswered {
                reason: format!("Partner Center asked to slow down: next call in {asked} s"),
                retry_after: Some(u64::try_from(asked).unwrap_or(60)),
            });
        }
        loop {
            match self.budget.take(partner) {
                Ok(()) => break,
                Err(wait) if patient => tokio::time::sleep(wait).await,
                Err(wait) => {
                    return Err(CallError::Unanswered {
                        reason: format!(
                            "the console's request budget for this partner ({} calls a minute) is spent: next call in {} s",
                            self.budget.per_minute(),
                            wait.as_secs() + 1
                        ),
                        retry_after: None,
                    });
                }
            }
        }
        let mut fresh = false;
        loop {
            let token = self.token(partner, fresh).await?;
            let result = self
                .client
                .call(
                    &token,
                    method.clone(),
                    path_or_url,
                    body,
                    request_id,
                    extra_headers,
                )
                .await;
            match result {
                Err(CallError::Unauthorized) if !fresh => {
                    fresh = true;
                    self.tokens.lock().expect("token cache").remove(&partner);
                }
                Err(CallError::Unanswered {
                    reason,
                    retry_after: Some(seconds),
                }) => {
                    let until = self.clock.unix() + i64::try_from(seconds.min(3600)).unwrap_or(60);
                    self.throttled
                        .lock()
                        .expect("throttle")
                        .insert(partner, until);
                    return Err(CallError::Unanswered {
                        reason,
                        retry_after: Some(seconds),
                    });
                }
                other => return other,
            }
        }
    }
}
