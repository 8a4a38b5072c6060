//! The HTTP calls to Microsoft: Entra ID's token endpoint and Partner Center's REST API, with the
//! headers every call carries. No storage here: `Connector` keeps tokens and connections.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use shared::api::PartnerCenterError;
use uuid::Uuid;

use super::wire::{ApiError, TokenAnswer, TokenError};

/// Partner Center's API, as the token's audience names it.
pub const PARTNER_CENTER_RESOURCE: &str = "https://api.partnercenter.microsoft.com";

/// How a call to Microsoft ended, when it did not succeed.
#[derive(Clone, Debug)]
pub enum CallError {
    /// Microsoft answered and refused (a 4xx other than 401, 408 and 429): it changed nothing.
    Refused {
        status: u16,
        error: PartnerCenterError,
    },
    /// The token was not accepted (401): a fresh one is worth one more try.
    Unauthorized,
    /// No answer worth acting on: a timeout, a dropped connection, a 5xx, a 429 or 408. What
    /// was sent may or may not have been applied; the same `MS-RequestId` tells Microsoft.
    Unanswered {
        reason: String,
        /// Seconds, from `Retry-After`.
        retry_after: Option<u64>,
    },
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Refused { status, error } => write!(
                f,
                "Partner Center refused it (HTTP {status}, error {}): {}",
                error.code, error.description
            ),
            CallError::Unauthorized => {
                f.write_str("Partner Center did not accept the access token (401)")
            }
            CallError::Unanswered { reason, .. } => f.write_str(reason),
        }
    }
}

/// What one token request brought.
pub struct Token {
    pub access_token: String,
    pub lifetime_seconds: i64,
    /// A new refresh token, when Entra ID rotated it.
    pub refresh_token: Option<String>,
}

/// The credentials a token is asked with.
pub struct Credentials<'a> {
    pub tenant_id: &'a str,
    pub app_id: &'a str,
    pub app_secret: &'a str,
    /// App + user (Secure Application Model) when set; app-only otherwise.
    pub refresh_token: Option<&'a str>,
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub api: String,
    pub login: String,
}

impl Client {
    /// `timeout` bounds each call (connection, request and answer).
    pub fn new(api: &str, login: &str, timeout: Duration) -> Result<Client, String> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("reseller-console/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Client {
            http,
            api: api.trim_end_matches('/').to_owned(),
            login: login.trim_end_matches('/').to_owned(),
        })
    }

    /// An access token for Partner Center: client credentials (app-only), or the refresh
    /// token grant (app + user). Entra ID's refusal comes back in its own words.
    /// <https://learn.microsoft.com/partner-center/developer/partner-center-authentication>
    pub async fn token(&self, c: &Credentials<'_>) -> Result<Token, CallError> {
        let url = format!("{}/{}/oauth2/token", self.login, c.tenant_id);
        let mut form = vec![
            ("client_id", c.app_id),
            ("client_secret", c.app_secret),
            ("resource", PARTNER_CENTER_RESOURCE),
        ];
        match c.refresh_token {
            Some(refresh) => {
                form.push(("grant_type", "refresh_token"));
                form.push(("refresh_token", refresh));
            }
            None => form.push(("grant_type", "client_credentials")),
        }
        let answer = self
            .http
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|e| unanswered("the sign-in endpoint", &e))?;
        let status = answer.status();
        let retry_after = retry_after(&answer);
        let body = answer
            .bytes()
            .await
            .map_err(|e| unanswered("the sign-in endpoint", &e))?;
        if status.is_success() {
            let token: TokenAnswer =
                serde_json::from_slice(&body).map_err(|_| CallError::Unanswered {
                    reason: "the sign-in endpoint answered without an access token".into(),
                    retry_after: None,
                })?;
            return Ok(Token {
                lifetime_seconds: token.lifetime_seconds(),
                access_token: token.access_token,
                refresh_token: token.refresh_token,
            });
        }
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(CallError::Unanswered {
                reason: format!("the sign-in endpoint answered HTTP {}", status.as_u16()),
                retry_after,
            });
        }
        let error: TokenError = serde_json::from_slice(&body).unwrap_or_default();
        Err(CallError::Refused {
            status: status.as_u16(),
            error: PartnerCenterError {
                code: error.error.unwrap_or_else(|| status.as_u16().to_string()),
                description: error
                    .error_description
                    .map(|d| first_line(&d))
                    .unwrap_or_else(|| format!("HTTP {}", status.as_u16())),
            },
        })
    }

    /// One call to Partner Center's API with the headers its documentation asks for: the
    /// bearer token, `Accept`, and `MS-RequestId` (the same on every retry of one change, so
    /// that Microsoft applies it once) and `MS-CorrelationId`.
    /// <https://learn.microsoft.com/partner-center/developer/headers>
    pub async fn call<T: DeserializeOwned>(
        &self,
        token: &str,
        method: Method,
        path_or_url: &str,
        body: Option<&serde_json::Value>,
        request_id: Uuid,
        extra_headers: &[(String, String)],
    ) -> Result<T, CallError> {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{}", self.api, path_or_url)
        };
        let mut request = self
            .http
            .request(method, &url)
            .bearer_auth(token)
            .header("Accept", "application/json")
            .header("MS-RequestId", request_id.to_string())
            .header("MS-CorrelationId", Uuid::new_v4().to_string());
        for (k, v) in extra_headers {
            request = request.header(k, v);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let answer = request
            .send()
            .await
            .map_err(|e| unanswered("Partner Center", &e))?;
        let status = answer.status();
        let retry_after = retry_after(&answer);
        let bytes = answer
            .bytes()
            .await
            .map_err(|e| unanswered("Partner Center", &e))?;
        if status == StatusCode::ACCEPTED {
            // "When the patch operation takes longer than the expected time": applied later;
            // the next attempt, with the same MS-RequestId, reads the outcome.
            return Err(CallError::Unanswered {
                reason: "Partner Center accepted the change and is still applying it (202)".into(),
                retry_after,
            });
        }
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| CallError::Unanswered {
                reason: format!("Partner Center's answer could not be read: {e}"),
                retry_after: None,
            });
        }
        match status {
            StatusCode::UNAUTHORIZED => Err(CallError::Unauthorized),
            StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT => {
                Err(CallError::Unanswered {
                    reason: format!(
                        "Partner Center answered HTTP {} ({})",
                        status.as_u16(),
                        if status == StatusCode::TOO_MANY_REQUESTS {
                            "too many requests"
                        } else {
                            "request timeout"
                        }
                    ),
                    retry_after,
                })
            }
            s if s.is_server_error() => Err(CallError::Unanswered {
                reason: format!("Partner Center answered HTTP {}", s.as_u16()),
                retry_after,
            }),
            s => {
                let error: ApiError = serde_json::from_slice(&bytes).unwrap_or_default();
                let code = match error.code {
                    Some(serde_json::Value::String(c)) => c,
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => s.as_u16().to_string(),
                };
                Err(CallError::Refused {
                    status: s.as_u16(),
                    error: PartnerCenterError {
                        code,
                        description: error
                            .description
                            .map(|d| first_line(&d))
                            .unwrap_or_else(|| format!("HTTP {}", s.as_u16())),
                    },
                })
            }
        }
    }
}

/// `Retry-After` in seconds (the date form is read as "a minute").
fn retry_after(answer: &reqwest::Response) -> Option<u64> {
    let value = answer.headers().get("Retry-After")?.to_str().ok()?;
    Some(value.trim().parse().unwrap_or(60))
}

fn unanswered(who: &str, e: &reqwest::Error) -> CallError {
    let what = if e.is_timeout() {
        "did not answer in time"
    } else if e.is_connect() {
        "could not be reached"
    } else {
        "dropped the connection"
    };
    CallError::Unanswered {
        reason: format!("{who} {what}"),
        retry_after: None,
    }
}

/// Entra ID's descriptions run over several lines (trace and correlation ids after the first).
fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(500)
        .collect()
}
