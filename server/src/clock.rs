//! Time as the API writes it: RFC 3339 UTC to the second (term end dates: `shared::lifecycle`).

use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// The subscription rules' clock (the reduction window, orders' dates, renewals): the system
/// clock, except on a server started with `--unsafe-test-clock`, whose tests move it
/// (`POST /api/test/clock`) instead of sleeping, or a command run with `--unsafe-clock-at`.
/// One per server, in its `AppState`; sessions, tokens and sign-in throttling keep real time
/// ([`unix_now`]), so moving it does not sign anyone out.
pub struct Clock {
    /// Seconds added to the system clock.
    offset_seconds: AtomicI64,
    /// A test's frozen instant (Unix seconds), or `NOT_FROZEN`: boundaries "to the second" can
    /// only be tested on a clock that does not move by itself.
    frozen_at: AtomicI64,
}

const NOT_FROZEN: i64 = i64::MIN;

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock, unmoved.
    pub const fn system() -> Self {
        Clock {
            offset_seconds: AtomicI64::new(0),
            frozen_at: AtomicI64::new(NOT_FROZEN),
        }
    }

    /// Stops the clock at `unix` seconds (tests only).
    pub fn freeze_at(&self, unix: i64) {
        self.frozen_at.store(unix, Ordering::SeqCst);
    }

    /// Lets the clock run again (tests only).
    pub fn unfreeze(&self) {
        self.frozen_at.store(NOT_FROZEN, Ordering::SeqCst);
    }

    pub fn frozen_at(&self) -> Option<i64> {
        Some(self.frozen_at.load(Ordering::SeqCst)).filter(|t| *t != NOT_FROZEN)
    }

    pub fn set_offset(&self, seconds: i64) {
        self.offset_seconds.store(seconds, Ordering::SeqCst);
    }

    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// Now, to the second.
    pub fn now(&self) -> OffsetDateTime {
        if let Some(t) = self
            .frozen_at()
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        {
            return t;
        }
        (OffsetDateTime::now_utc() + Duration::seconds(self.offset()))
            .replace_nanosecond(0)
            .expect("0 is a valid nanosecond")
    }

    /// [`Clock::now`] in Unix seconds.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    pub fn now_rfc3339(&self) -> String {
        rfc3339(self.now())
    }

    pub fn days_ago(&self, days: i64) -> OffsetDateTime {
        self.now() - Duration::days(days)
    }
}

pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).expect("UTC times always format")
}

/// Real time in Unix seconds: sessions, tokens, sign-in throttling.
pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_stays_and_an_offset_one_moves() {
        let clock = Clock::system();
        clock.freeze_at(1_800_000_000);
        assert_eq!(clock.unix(), 1_800_000_000);
        clock.unfreeze();
        clock.set_offset(86_400);
        assert!(clock.unix() >= unix_now() + 86_399);
        // Another clock is not moved by this one.
        assert!(Clock::system().unix() <= unix_now() + 1);
    }

    #[test]
    fn timestamps_are_whole_seconds_in_utc() {
        let s = Clock::system().now_rfc3339();
        assert!(s.ends_with('Z') && !s.contains('.'), "{s}");
    }
}
