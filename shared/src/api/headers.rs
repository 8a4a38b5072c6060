//! The conditional and idempotent requests' headers: ETags, `If-Match`, `Idempotency-Key`.

use crate::api::errors::InvalidParameter;

/// The `ETag` of a subscription version: a strong tag, `"7"`.
pub fn etag_for(version: u64) -> String {
    format!("\"{version}\"")
}

/// Reads an `If-Match` header back into the version it names. Accepts `"7"` and `7`. A weak
/// tag (`W/"7"`) never matches: RFC 9110 §13.1.1 has `If-Match` compare strongly.
pub fn parse_if_match(header: &str) -> Result<u64, InvalidParameter> {
    let h = header.trim();
    if h.starts_with("W/") {
        return Err(InvalidParameter {
            out_of_range: false,
            field: "If-Match",
            message: format!(
                "If-Match compares entity tags strongly (RFC 9110), so the weak tag {} never matches: send the ETag as the subscription's answer gave it, e.g. \"3\".",
                h.chars().take(40).collect::<String>()
            ),
        });
    }
    let h = h
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(h);
    // The tag as the ETag wrote it, byte for byte: no sign, no leading zero ("04" is not "4").
    let canonical =
        !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()) && (h == "0" || !h.starts_with('0'));
    h.parse::<u64>()
        .ok()
        .filter(|_| canonical)
        .ok_or_else(|| InvalidParameter {
            out_of_range: false,
            field: "If-Match",
            message: "If-Match must be the ETag of the subscription as you read it, e.g. \"3\"."
                .to_owned(),
        })
}

/// The longest idempotency key accepted.
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 200;

/// Checks an `Idempotency-Key`: 1 to 200 visible ASCII characters (a UUID is typical).
pub fn parse_idempotency_key(header: &str) -> Result<&str, InvalidParameter> {
    let ok = !header.is_empty()
        && header.len() <= IDEMPOTENCY_KEY_MAX_LEN
        && header.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(header)
    } else {
        Err(InvalidParameter {
            out_of_range: false,
            field: "Idempotency-Key",
            message: format!(
                "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_LEN} visible characters, e.g. a UUID."
            ),
        })
    }
}
