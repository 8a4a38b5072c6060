//! Partner Center credentials at rest: an app secret or refresh token is sealed with
//! ChaCha20-Poly1305 under a key derived from the server's secret file (`--secret-key-file`), so
//! a copy of the database alone holds no credential. Each sealed value is bound to its partner
//! and its purpose (the associated data): one cannot be moved to another partner's row.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::Mac;
use rand_core::{OsRng, RngCore};
use shared::ids::PartnerId;

/// The format's tag: a later key or algorithm gets another.
const VERSION: &str = "v1.";

/// What a sealed value is for (part of the associated data).
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    AppSecret,
    RefreshToken,
}

impl Purpose {
    fn label(self) -> &'static str {
        match self {
            Purpose::AppSecret => "app-secret",
            Purpose::RefreshToken => "refresh-token",
        }
    }
}

pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    pub fn from_file(path: &Path) -> Result<Self, String> {
        Ok(Self::new(&crate::embed::read_secret_file(
            path,
            "secret key",
        )?))
    }

    /// The key is HMAC-SHA256(secret, a fixed label): the same secret file can serve other
    /// purposes without one key being another's.
    pub fn new(secret: &[u8]) -> Self {
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(secret)
            .expect("HMAC takes a key of any length");
        mac.update(b"reseller-console partner-center credentials v1");
        let key = mac.finalize().into_bytes();
        Sealer {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        }
    }

    pub fn seal(&self, partner: PartnerId, purpose: Purpose, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let aad = associated_data(partner, purpose);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .expect("sealing in memory does not fail");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The plain value, or why not (another secret key file, another partner's row, damage).
    pub fn open(
        &self,
        partner: PartnerId,
        purpose: Purpose,
        sealed: &str,
    ) -> Result<String, String> {
        let refused = || {
            format!(
                "the stored Partner Center {} of partner {partner} cannot be opened with this --secret-key-file: connect the partner again (`partner connect`)",
                purpose.label()
            )
        };
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
            .filter(|b| b.len() > 12)
            .ok_or_else(refused)?;
        let (nonce, body) = bytes.split_at(12);
        let aad = associated_data(partner, purpose);
        let plain = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| refused())?;
        String::from_utf8(plain).map_err(|_| refused())
    }
}

fn associated_data(partner: PartnerId, purpose: Purpose) -> String {
    format!("{partner}/{}", purpose.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_partner_purpose_and_key() {
        let sealer = Sealer::new(&[7u8; 32]);
        let (a, b) = (
            PartnerId(uuid::Uuid::new_v4()),
            PartnerId(uuid::Uuid::new_v4()),
        );
        let sealed = sealer.seal(a, Purpose::AppSecret, "s3cret~value");
        assert!(!sealed.contains("s3cret"));
        assert_ne!(
            sealed,
            sealer.seal(a, Purpose::AppSecret, "s3cret~value"),
            "a fresh nonce each time"
        );
        assert_eq!(
            sealer.open(a, Purpose::AppSecret, &sealed).unwrap(),
            "s3cret~value"
        );
        assert!(sealer.open(b, Purpose::AppSecret, &sealed).is_err());
        assert!(sealer.open(a, Purpose::RefreshToken, &sealed).is_err());
        assert!(
            Sealer::new(&[8u8; 32])
                .open(a, Purpose::AppSecret, &sealed)
                .is_err()
        );
        assert!(sealer.open(a, Purpose::AppSecret, "v1.AAAA").is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(sealer.open(a, Purpose::AppSecret, &tampered).is_err());
    }
}
