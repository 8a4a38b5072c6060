//! Signed embedding: a host portal's back end signs a short-lived token for one of its staff
//! (HS256), and the console trades it for its own session.
//!
//! Each partner's portal gets a key of its own: HMAC-SHA256 of the partner's id under the
//! console's master secret (`--embed-secret-file`), printed by `reseller-console partner
//! embed-key`. A token names its partner in `aud` and is checked with that partner's key, so a
//! portal can sign in only its own partner's agents; the master secret never leaves the console.
//!
//! The token's claims: `aud` — the partner's id; `sub` — the agent's e-mail; `iat` and `exp`
//! (Unix seconds, at most [`MAX_LIFETIME_SECONDS`] apart); `nbf`, if given, not after now (RFC
//! 7519 §4.1.5); `jti` — unique per token among its partner's, accepted once. Every way a token
//! can be wrong gets its own error code.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use shared::ErrorCode;
use shared::ids::PartnerId;

/// Longest a token may live: long enough for a page load, too short to be worth stealing.
pub const MAX_LIFETIME_SECONDS: i64 = 5 * 60;
/// Clocks of host and console may differ this much.
pub const CLOCK_SKEW_SECONDS: i64 = 30;
/// Shortest secret accepted: 256 bits, as HS256 needs.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The partner whose portal signed the token (its id).
    pub aud: String,
    /// The agent's e-mail.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// Not valid before (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub jti: String,
}

/// A server secret from a file: surrounding whitespace ignored, at least 32 bytes (the embed
/// secret; the key that seals stored Partner Center credentials).
pub fn read_secret_file(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))?;
    let secret = bytes.trim_ascii().to_vec();
    if secret.len() < MIN_SECRET_BYTES {
        return Err(format!(
            "the {what} in {} has {} bytes; use at least {MIN_SECRET_BYTES} random bytes (e.g. `openssl rand -hex 32`)",
            path.display(),
            secret.len()
        ));
    }
    Ok(secret)
}

/// The shared secret, read once at start.
pub struct EmbedKey {
    secret: Vec<u8>,
}

/// Why a token was refused: the code, and a sentence for the host's developers.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: &'static str,
}

fn refuse(code: ErrorCode, message: &'static str) -> Refusal {
    Refusal { code, message }
}

impl EmbedKey {
    /// Reads the secret from a file (surrounding whitespace ignored, at least 32 bytes).
    pub fn from_file(path: &Path) -> Result<Self, String> {
        Ok(EmbedKey {
            secret: read_secret_file(path, "embed secret")?,
        })
    }

    /// The key of one partner's portal: HMAC-SHA256(master secret, partner id), in hex.
    pub fn partner_key(&self, partner: PartnerId) -> String {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.secret)
            .expect("HMAC takes keys of any length");
        mac.update(partner.to_string().as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A token for `email` of `partner`, valid `lifetime` seconds from `now` (what a host's back
    /// end does, with the partner's key).
    pub fn sign(&self, partner: PartnerId, email: &str, now: i64, lifetime: i64) -> String {
        let claims = Claims {
            aud: partner.to_string(),
            sub: shared::team::email_key(email),
            iat: now,
            exp: now + lifetime,
            nbf: None,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(self.partner_key(partner).as_bytes()),
        )
        .expect("HS256 with a byte secret always signs")
    }

    /// Checks the signature and the times; the `jti` and the agent are the caller's to check.
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, Refusal> {
        // The algorithm is read first, so `none` (or any other) gets its own answer instead
        // of a generic parse error.
        let header = token
            .split('.')
            .next()
            .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
            .and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
            .ok_or_else(|| {
                refuse(
                    ErrorCode::TokenMalformed,
                    "The sign-in token is not a JSON Web Token.",
                )
            })?;
        if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err(refuse(
                ErrorCode::TokenAlgorithmRefused,
                "The sign-in token must be signed with HS256.",
            ));
        }
        // RFC 7515: a token that lists extensions it calls critical must be refused when they
        // are not understood, and this console understands none.
        if header.get("crit").is_some() {
            return Err(refuse(
                ErrorCode::TokenMalformed,
                "The sign-in token lists critical header extensions (crit): none are supported.",
            ));
        }
        // The partner it is for decides the key it is checked with.
        let partner: PartnerId = token
            .split('.')
            .nth(1)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|p| serde_json::from_slice::<serde_json::Value>(&p).ok())
            .and_then(|claims| claims.get("aud")?.as_str()?.parse().ok())
            .ok_or_else(|| {
                refuse(
                    ErrorCode::TokenMalformed,
                    "The sign-in token's aud must be the id of the partner whose portal signed it.",
                )
            })?;
        let mut validation = Validation::new(Algorithm::HS256);
        // Times are checked below, against this server's clock, with messages of our own.
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "sub", "aud"]);
        validation.set_audience(&[partner.to_string()]);
        let data = jsonwebtoken::decode::<Claims>(
            token,
            &DecodingKey::from_secret(self.partner_key(partner).as_bytes()),
            &validation,
        )
        .map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => refuse(
                ErrorCode::TokenBadSignature,
                "The sign-in token's signature does not match its partner's embed key.",
            ),
            ErrorKind::InvalidAlgorithm => refuse(
                ErrorCode::TokenAlgorithmRefused,
                "The sign-in token must be signed with HS256.",
            ),
            _ => refuse(
                ErrorCode::TokenMalformed,
                "The sign-in token is not a JSON Web Token with the claims sub, iat, exp and jti.",
            ),
        })?;
        let claims = data.claims;
        if claims.jti.is_empty()
            || claims.jti.len() > 200
            || claims.jti.chars().any(char::is_control)
        {
            return Err(refuse(
                ErrorCode::TokenMalformed,
                "The sign-in token's jti must be a unique id of 1 to 200 printable characters.",
            ));
        }
        if now >= claims.exp {
            return Err(refuse(
                ErrorCode::TokenExpired,
                "The sign-in token has expired: ask the portal for a new one.",
            ));
        }
        if claims.iat > now + CLOCK_SKEW_SECONDS {
            return Err(refuse(
                ErrorCode::TokenNotYetValid,
                "The sign-in token was issued in the future: check the portal's clock.",
            ));
        }
        if claims.nbf.is_some_and(|nbf| nbf > now + CLOCK_SKEW_SECONDS) {
            return Err(refuse(
                ErrorCode::TokenNotYetValid,
                "The sign-in token is not valid yet (its nbf is in the future).",
            ));
        }
        // Checked arithmetic: an `iat` of i64::MIN must not wrap into a short lifetime. A
        // token issued after it expires has no lifetime at all.
        let lifetime = claims.exp.checked_sub(claims.iat);
        if lifetime.is_none_or(|l| !(0..=MAX_LIFETIME_SECONDS).contains(&l))
            || claims.exp > now.saturating_add(MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
        {
            return Err(refuse(
                ErrorCode::TokenLifetimeTooLong,
                "The sign-in token may be valid for at most 5 minutes.",
            ));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> EmbedKey {
        EmbedKey {
            secret: b"0123456789abcdef0123456789abcdef".to_vec(),
        }
    }

    #[test]
    fn a_fresh_token_verifies_and_each_fault_has_its_code() {
        let now = 1_800_000_000;
        let partner: PartnerId = "6a0c7a1e-2222-4c59-8d3e-0f1a2b3c4d5e".parse().unwrap();
        let token = key().sign(partner, "Ann@Contoso.com", now, 60);
        let claims = key().verify(&token, now).unwrap();
        assert_eq!(claims.sub, "ann@contoso.com");
        let code = |t: &str, at: i64| key().verify(t, at).unwrap_err().code;
        assert_eq!(code(&token, now + 60), ErrorCode::TokenExpired);
        assert_eq!(code(&token, now - 31), ErrorCode::TokenNotYetValid);
        assert_eq!(
            code(&key().sign(partner, "a@b.co", now, 301), now),
            ErrorCode::TokenLifetimeTooLong
        );
        let other = EmbedKey {
            secret: vec![b'x'; 32],
        };
        assert_eq!(
            code(&other.sign(partner, "a@b.co", now, 60), now),
            ErrorCode::TokenBadSignature
        );
        let neighbour: PartnerId = "7b1d8b2f-3333-4c59-8d3e-0f1a2b3c4d5e".parse().unwrap();
        assert_ne!(
            key().partner_key(partner),
            key().partner_key(neighbour),
            "a key per partner"
        );
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            token.split('.').nth(1).unwrap()
        );
        assert_eq!(code(&none, now), ErrorCode::TokenAlgorithmRefused);
        assert_eq!(code("not a token", now), ErrorCode::TokenMalformed);
    }

    /// A token with chosen claims, signed with the partner's key.
    fn signed(partner: PartnerId, claims: &serde_json::Value) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(key().partner_key(partner).as_bytes()),
        )
        .unwrap()
    }

    #[test]
    fn time_claims_are_checked_without_wrapping_and_nbf_is_honoured() {
        let now = 1_800_000_000_i64;
        let partner: PartnerId = "6a0c7a1e-2222-4c59-8d3e-0f1a2b3c4d5e".parse().unwrap();
        let token = |iat: i64, exp: i64, nbf: Option<i64>| {
            let mut c = serde_json::json!({"aud": partner.to_string(), "sub": "a@b.co",
                "iat": iat, "exp": exp, "jti": "t-1"});
            if let Some(nbf) = nbf {
                c["nbf"] = nbf.into();
            }
            signed(partner, &c)
        };
        let code = |t: &str| key().verify(t, now).map(|_| ()).unwrap_err().code;
        // exp - iat would overflow (and wrap to a negative lifetime).
        assert_eq!(
            code(&token(i64::MIN, now + 300, None)),
            ErrorCode::TokenLifetimeTooLong
        );
        assert_eq!(
            code(&token(now, now - 10 + 300, Some(now + 3600))),
            ErrorCode::TokenNotYetValid
        );
        // Issued after it expires.
        assert_eq!(
            code(&token(now + 20, now + 10, None)),
            ErrorCode::TokenLifetimeTooLong
        );
        assert!(key().verify(&token(now, now + 60, Some(now)), now).is_ok());
        assert!(key().verify(&token(now, i64::MAX, None), now).is_err());
    }
}
