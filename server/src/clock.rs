//! Time as the API writes it: RFC 3339 UTC to the second (term end dates: `shared::lifecycle`).

use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// Seconds added to the system clock for the subscription rules (the reduction window,
/// orders' dates). Zero, except on a server started with `--unsafe-test-clock`, whose tests
/// move it (`POST /api/test/clock`) instead of sleeping. Sessions, tokens and sign-in throttling
/// keep real time ([`unix_now`]), so moving it does not sign anyone out.
static OFFSET_SECONDS: AtomicI64 = AtomicI64::new(0);
/// A test's frozen instant (Unix seconds), or `NOT_FROZEN`: boundaries "to the second" can only
/// be tested on a clock that does not move by itself.
static FROZEN_AT: AtomicI64 = AtomicI64::new(NOT_FROZEN);
const NOT_FROZEN: i64 = i64::MIN;

/// Stops the subscription rules' clock at `unix` seconds (tests only).
pub fn freeze_at(unix: i64) {
    FROZEN_AT.store(unix, Ordering::SeqCst);
}

/// Lets the clock run again (tests only).
pub fn unfreeze() {
    FROZEN_AT.store(NOT_FROZEN, Ordering::SeqCst);
}

pub fn frozen_at() -> Option<i64> {
    Some(FROZEN_AT.load(Ordering::SeqCst)).filter(|t| *t != NOT_FROZEN)
}

pub fn set_offset(seconds: i64) {
    OFFSET_SECONDS.store(seconds, Ordering::SeqCst);
}

pub fn offset() -> i64 {
    OFFSET_SECONDS.load(Ordering::SeqCst)
}

/// Now, for the subscription rules (see [`set_offset`]), to the second.
pub fn now() -> OffsetDateTime {
    if let Some(t) = frozen_at().and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok()) {
        return t;
    }
    (OffsetDateTime::now_utc() + Duration::seconds(offset()))
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
}

/// [`now`] in Unix seconds.
pub fn unix_business_now() -> i64 {
    now().unix_timestamp()
}

pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).expect("UTC times always format")
}

pub fn now_rfc3339() -> String {
    rfc3339(now())
}

/// Real time in Unix seconds: sessions, tokens, sign-in throttling.
pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn days_ago(days: i64) -> OffsetDateTime {
    now() - Duration::days(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_seconds_in_utc() {
        let s = now_rfc3339();
        assert!(s.ends_with('Z') && !s.contains('.'), "{s}");
    }
}
