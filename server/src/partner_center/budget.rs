//! The console's own request budget for each partner: at most so many calls to Partner Center
//! in any minute, so that a sync of a large partner or a burst of changes stays below the
//! limits Microsoft throttles at (which it counts per partner tenant:
//! <https://learn.microsoft.com/partner-center/developer/api-throttling-guidance>). Counted in
//! real time: it is about Microsoft's clock, not the rules'.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use shared::ids::PartnerId;

const WINDOW: Duration = Duration::from_secs(60);

pub struct Budget {
    per_minute: usize,
    calls: Mutex<HashMap<PartnerId, VecDeque<Instant>>>,
}

impl Budget {
    pub fn new(per_minute: u32) -> Budget {
        Budget {
            per_minute: usize::try_from(per_minute.max(1)).unwrap_or(usize::MAX),
            calls: Mutex::default(),
        }
    }

    pub fn per_minute(&self) -> usize {
        self.per_minute
    }

    /// Takes a slot for one call now; or, the minute's calls all made, says how long until
    /// one frees (nothing taken).
    pub fn take(&self, partner: PartnerId) -> Result<(), Duration> {
        let mut calls = self.calls.lock().expect("budget");
        let made = calls.entry(partner).or_default();
        let now = Instant::now();
        while made
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            made.pop_front();
        }
        if made.len() < self.per_minute {
            made.push_back(now);
            return Ok(());
        }
        let oldest = made.front().copied().unwrap_or(now);
        Err(WINDOW.saturating_sub(now.duration_since(oldest)))
    }

    /// How long until a call could be made (zero when one can now), taking nothing.
    pub fn wait(&self, partner: PartnerId) -> Duration {
        let calls = self.calls.lock().expect("budget");
        let Some(made) = calls.get(&partner) else {
            return Duration::ZERO;
        };
        let now = Instant::now();
        let recent = made
            .iter()
            .filter(|t| now.duration_since(**t) < WINDOW)
            .count();
        if recent < self.per_minute {
            return Duration::ZERO;
        }
        let oldest = made.iter().find(|t| now.duration_since(**t) < WINDOW);
        oldest.map_or(Duration::ZERO, |t| {
            WINDOW.saturating_sub(now.duration_since(*t))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_partners_minute_holds_its_budget_and_no_other_partners() {
        let budget = Budget::new(2);
        let (a, b) = (PartnerId(Uuid::new_v4()), PartnerId(Uuid::new_v4()));
        assert!(budget.take(a).is_ok() && budget.take(a).is_ok());
        assert_eq!(budget.wait(b), Duration::ZERO);
        let wait = budget.take(a).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= WINDOW, "{wait:?}");
        assert!(budget.wait(a) > Duration::from_secs(50));
        assert!(
            budget.take(b).is_ok(),
            "another partner's budget is its own"
        );
    }
}
