//! The seat-reduction window of Partner Center's new commerce: seats can be added at any time;
//! every addition (the order, each increase, each renewal) opens its own window of exactly 7
//! days (168 hours, to the second) in which those seats can be removed again. A decrease may
//! remove at most the seats still inside an open window, newest first.
//!
//! Times are Unix seconds, UTC; a window that opened at `t` is open while `now < t + 604800`.

use serde::{Deserialize, Serialize};

use crate::calendar::rfc3339;
pub use crate::model::SeatBatch;
use crate::rules::RuleError;

/// How long added seats can be removed again.
pub const REDUCTION_WINDOW_SECONDS: i64 = 7 * 24 * 60 * 60;

impl SeatBatch {
    /// The first second at which these seats can no longer be removed.
    pub fn removable_until(self) -> i64 {
        self.added_at.saturating_add(REDUCTION_WINDOW_SECONDS)
    }

    pub fn is_open(self, now: i64) -> bool {
        now < self.removable_until()
    }
}

/// Seats that can still be removed, in total and per batch (Partner Center's
/// `refundableQuantity {totalQuantity, details[{quantity, allowedUntilDateTime}]}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReducibleSeats {
    pub total_quantity: u32,
    /// Newest first: the order in which a decrease removes them.
    pub details: Vec<ReducibleBatch>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReducibleBatch {
    pub quantity: u32,
    /// RFC 3339, UTC: the first second at which these seats can no longer be removed.
    pub allowed_until: String,
}

/// What can be removed at `now`, never more than `quantity` (the seats there are).
pub fn reducible_seats(batches: &[SeatBatch], quantity: u32, now: i64) -> ReducibleSeats {
    let mut open: Vec<SeatBatch> = batches
        .iter()
        .copied()
        .filter(|b| b.is_open(now) && b.quantity > 0)
        .collect();
    open.sort_by_key(|b| std::cmp::Reverse(b.added_at));
    let mut left = quantity;
    let mut details = Vec::new();
    for b in open {
        let n = b.quantity.min(left);
        if n == 0 {
            break;
        }
        left -= n;
        details.push(ReducibleBatch {
            quantity: n,
            allowed_until: rfc3339(b.removable_until()),
        });
    }
    ReducibleSeats {
        total_quantity: quantity - left,
        details,
    }
}

/// The lowest seat count a decrease may reach at `now`.
pub fn lowest_allowed_now(batches: &[SeatBatch], quantity: u32, now: i64) -> u32 {
    quantity - reducible_seats(batches, quantity, now).total_quantity
}

/// The rule for a decrease from `quantity` to `target`: only seats inside an open window.
pub fn check_reduction(
    batches: &[SeatBatch],
    quantity: u32,
    target: u32,
    now: i64,
) -> Result<(), RuleError> {
    if target >= quantity {
        return Ok(());
    }
    let reducible = reducible_seats(batches, quantity, now);
    if quantity - target <= reducible.total_quantity {
        return Ok(());
    }
    // The earliest deadline among the open batches is when the next seats stop being removable;
    // the message names the last one: until then, this many can still go.
    Err(RuleError::ReductionWindowClosed {
        removable: reducible.total_quantity,
        until: reducible
            .details
            .iter()
            .map(|d| d.allowed_until.clone())
            .max(),
    })
}

/// The batches after a change from `quantity` to `target` at `now`: an increase opens a new
/// window for the added seats; a decrease removes seats from the newest open batches first.
/// Closed batches are dropped: they can never matter again.
pub fn batches_after(
    batches: &[SeatBatch],
    quantity: u32,
    target: u32,
    now: i64,
) -> Vec<SeatBatch> {
    let mut open: Vec<SeatBatch> = batches
        .iter()
        .copied()
        .filter(|b| b.is_open(now) && b.quantity > 0)
        .collect();
    open.sort_by_key(|b| b.added_at);
    if target > quantity {
        open.push(SeatBatch {
            quantity: target - quantity,
            added_at: now,
        });
    } else {
        let mut remove = quantity - target;
        for b in open.iter_mut().rev() {
            let n = b.quantity.min(remove);
            b.quantity -= n;
            remove -= n;
        }
        open.retain(|b| b.quantity > 0);
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_800_000_000;

    #[test]
    fn a_window_is_open_167_59_59_and_closed_at_168_00_00() {
        let b = SeatBatch {
            quantity: 5,
            added_at: T,
        };
        assert!(b.is_open(T + REDUCTION_WINDOW_SECONDS - 1));
        assert!(!b.is_open(T + REDUCTION_WINDOW_SECONDS));
        assert!(check_reduction(&[b], 25, 20, T + REDUCTION_WINDOW_SECONDS - 1).is_ok());
        let refused = check_reduction(&[b], 25, 20, T + REDUCTION_WINDOW_SECONDS).unwrap_err();
        assert_eq!(
            refused,
            RuleError::ReductionWindowClosed {
                removable: 0,
                until: None
            }
        );
    }

    #[test]
    fn decreases_take_the_newest_seats_first_and_increases_open_new_windows() {
        let order = [SeatBatch {
            quantity: 20,
            added_at: T,
        }];
        let after = batches_after(&order, 20, 25, T + 3600);
        assert_eq!(
            after,
            vec![
                order[0],
                SeatBatch {
                    quantity: 5,
                    added_at: T + 3600
                }
            ]
        );
        let r = reducible_seats(&after, 25, T + 3600);
        assert_eq!(r.total_quantity, 25);
        assert_eq!(r.details[0].quantity, 5, "newest first");
        // Eight days after the order, only the increase is removable.
        let later = T + 8 * 24 * 3600;
        assert_eq!(
            lowest_allowed_now(&after, 25, later - 7 * 24 * 3600 + 3600),
            0
        );
        let r = reducible_seats(&after, 25, T + REDUCTION_WINDOW_SECONDS + 10);
        assert_eq!(r.total_quantity, 5);
        let refused =
            check_reduction(&after, 25, 19, T + REDUCTION_WINDOW_SECONDS + 10).unwrap_err();
        assert_eq!(
            refused,
            RuleError::ReductionWindowClosed {
                removable: 5,
                until: Some(rfc3339(T + 3600 + REDUCTION_WINDOW_SECONDS))
            }
        );
        assert!(refused.to_string().contains("at most 5 seats"), "{refused}");
        let reduced = batches_after(&after, 25, 22, T + REDUCTION_WINDOW_SECONDS + 10);
        assert_eq!(
            reduced,
            vec![SeatBatch {
                quantity: 2,
                added_at: T + 3600
            }]
        );
    }
}
