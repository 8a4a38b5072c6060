//! Random requests never panic a rule, and every accepted seat count is inside its bounds.

use proptest::prelude::*;
use shared::api::{ChangeSubscriptionRequest, PageRequest, parse_if_match};
use shared::api::{EventAction, SubscriptionChange};
use shared::changes::plan_change;
use shared::fixtures;
use shared::model::{Channel, Status, Subscription};
use shared::orders::{check_order, order_fingerprint, ordered};
use shared::seats::{SeatBounds, SeatInput, check_seat_change};

fn seat_input() -> impl Strategy<Value = SeatInput> {
    prop_oneof![
        any::<i128>().prop_map(SeatInput::Whole),
        (-1000i128..1000).prop_map(SeatInput::Whole),
        any::<f64>().prop_map(SeatInput::Number),
        any::<String>().prop_map(SeatInput::Text),
        "[-+]?[0-9]{0,25}([.,][0-9]{0,3})?".prop_map(SeatInput::Text),
        Just(SeatInput::Other("null")),
    ]
}

fn bounds() -> impl Strategy<Value = SeatBounds> {
    (1u32..10_000, 0u32..100_000).prop_map(|(min, extra)| SeatBounds::new(min, min + extra))
}

fn subscription() -> impl Strategy<Value = Subscription> {
    (bounds(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(b, active, partner, auto_renew)| Subscription {
            quantity: b.min,
            min_quantity: b.min,
            max_quantity: b.max,
            status: if active {
                Status::Active
            } else {
                Status::Suspended
            },
            channel: if partner {
                Channel::Partner
            } else {
                Channel::Direct
            },
            auto_renew,
            ..fixtures::subscription()
        },
    )
}

proptest! {
    #[test]
    fn accepted_seat_counts_are_inside_the_bounds(input in seat_input(), b in bounds()) {
        match input.for_offer(b) {
            Ok(seats) => prop_assert!(b.contains(seats.get())),
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains(&b.min.to_string()) && msg.contains(&b.max.to_string()));
            }
        }
    }

    #[test]
    fn seat_changes_never_panic_and_accept_only_valid_new_counts(
        sub in subscription(), input in seat_input()
    ) {
        if let Ok(seats) = check_seat_change(&sub, &input, 0) {
            prop_assert!(sub.seat_bounds().contains(seats.get()));
            prop_assert_ne!(seats.get(), sub.quantity);
            prop_assert_eq!(sub.status, Status::Active);
            prop_assert_eq!(sub.channel, Channel::Partner);
        }
    }

    #[test]
    fn orders_never_panic_and_respect_the_chosen_offer(
        b in bounds(), input in seat_input(), offer_id in "[a-z]{1,3}"
    ) {
        let catalogue = [fixtures::offer("abc", b.min, b.max)];
        if let Ok((offer, seats)) = check_order(&catalogue, &offer_id.as_str().into(), &input) {
            prop_assert_eq!(offer.id.0.as_str(), "abc");
            prop_assert!(b.contains(seats.get()));
        }
    }

    #[test]
    fn arbitrary_json_bodies_never_panic(body in any::<String>(), q in any::<i64>()) {
        for text in [body.clone(), format!("{{\"quantity\": {q}}}"), format!("{{\"status\": {body:?}}}")] {
            if let Ok(req) = serde_json::from_str::<ChangeSubscriptionRequest>(&text) {
                let _ = req.into_change();
            }
        }
        let _ = PageRequest::parse(Some(&body), Some(&body));
        let _ = parse_if_match(&body);
    }

    #[test]
    fn a_planned_change_changes_exactly_what_it_names(
        sub in subscription(), input in seat_input(), suspend in any::<bool>(), kind in 0u8..3
    ) {
        let change = match kind {
            0 => SubscriptionChange::Quantity(input),
            1 => SubscriptionChange::Status(if suspend { Status::Suspended } else { Status::Active }),
            _ => SubscriptionChange::AutoRenew(suspend),
        };
        let Ok(planned) = plan_change(&sub, &change, 0) else { return Ok(()) };
        prop_assert_eq!(&planned.before, &sub.snapshot());
        prop_assert_eq!(sub.channel, Channel::Partner, "a direct subscription is never changed");
        match change {
            SubscriptionChange::Quantity(_) => {
                prop_assert_eq!(planned.action, EventAction::QuantityChanged);
                prop_assert!(sub.seat_bounds().contains(planned.after.quantity));
                prop_assert_ne!(planned.after.quantity, planned.before.quantity);
                prop_assert_eq!(planned.after.status, planned.before.status);
                prop_assert_eq!(planned.after.auto_renew, planned.before.auto_renew);
            }
            SubscriptionChange::Status(target) => {
                prop_assert_eq!(planned.action, EventAction::StatusChanged);
                prop_assert_eq!(planned.after.status, target);
                prop_assert_ne!(planned.after.status, planned.before.status);
                prop_assert_eq!(planned.after.quantity, planned.before.quantity);
                if target == Status::Suspended {
                    prop_assert!(!planned.after.auto_renew, "suspending turns auto-renew off");
                } else {
                    prop_assert_eq!(planned.after.auto_renew, planned.before.auto_renew);
                }
            }
            SubscriptionChange::Schedule(_) => unreachable!("not generated"),
            SubscriptionChange::AutoRenew(on) => {
                prop_assert_eq!(planned.action, EventAction::AutoRenewChanged);
                prop_assert_eq!(planned.after.auto_renew, on);
                prop_assert_ne!(planned.after.auto_renew, planned.before.auto_renew);
                prop_assert_eq!(planned.before.status, Status::Active);
                prop_assert_eq!((planned.after.quantity, planned.after.status), (planned.before.quantity, planned.before.status));
            }
        }
    }

    #[test]
    fn an_order_is_an_active_partner_subscription_that_renews(
        b in bounds(), input in seat_input(), other in 1u32..100_000
    ) {
        let catalogue = [fixtures::offer("abc", b.min, b.max)];
        let Ok((offer, seats)) = check_order(&catalogue, &"abc".into(), &input) else { return Ok(()) };
        let (channel, after) = ordered(seats, shared::model::Term::Monthly, 0);
        prop_assert_eq!(channel, Channel::Partner);
        prop_assert_eq!((after.quantity, after.status, after.auto_renew), (seats.get(), Status::Active, true));
        // The same order has the same fingerprint; another seat count, customer or offer does not.
        let customer = "0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d".parse().unwrap();
        let other_customer = "1b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d".parse().unwrap();
        let print = order_fingerprint(customer, &offer.id, seats);
        prop_assert_eq!(&print, &order_fingerprint(customer, &offer.id, seats));
        prop_assert_ne!(&print, &order_fingerprint(other_customer, &offer.id, seats));
        prop_assert_ne!(&print, &order_fingerprint(customer, &"abd".into(), seats));
        if let Ok((_, more)) = check_order(&catalogue, &"abc".into(), &other.into())
            && more != seats
        {
            prop_assert_ne!(&print, &order_fingerprint(customer, &offer.id, more));
        }
    }
}

proptest! {
    /// The reduction window's arithmetic: what can be removed is never negative, never more
    /// than there are seats; the batches after any change never hold more seats than the
    /// subscription, and a decrease the rule allows always finds its seats in open batches.
    #[test]
    fn reduction_windows_never_give_back_more_than_was_added(
        batches in proptest::collection::vec((1u32..50, 0i64..2_000_000), 0..6),
        quantity in 1u32..300,
        target in 1u32..300,
        now in 0i64..2_000_000,
    ) {
        use shared::reduction_window::*;
        let batches: Vec<SeatBatch> = batches.into_iter().map(|(quantity, added_at)| SeatBatch { quantity, added_at }).collect();
        let r = reducible_seats(&batches, quantity, now);
        prop_assert!(r.total_quantity <= quantity);
        prop_assert_eq!(r.details.iter().map(|d| d.quantity).sum::<u32>(), r.total_quantity);
        let allowed = check_reduction(&batches, quantity, target, now).is_ok();
        prop_assert_eq!(allowed, target >= quantity || quantity - target <= r.total_quantity);
        if allowed {
            let after = batches_after(&batches, quantity, target, now);
            let open_after: u32 = after.iter().filter(|b| b.is_open(now)).map(|b| b.quantity).sum();
            let open_before: u32 = batches.iter().filter(|b| b.is_open(now)).map(|b| b.quantity).sum();
            if target < quantity {
                prop_assert_eq!(open_after, open_before.saturating_sub(quantity - target).min(open_before));
            } else {
                prop_assert_eq!(open_after, open_before + (target - quantity));
            }
        }
    }
}

proptest! {
    /// A seat change never charges (or credits) now more than its whole term would cost, and
    /// always in the direction of the change.
    #[test]
    fn prorated_charges_stay_within_the_term(
        price in 0u32..100_000, from in 1u32..10_000, to in 1u32..10_000,
        annual in any::<bool>(), end_day in 0i64..3000, today_day in -400i64..3400,
    ) {
        use shared::billing::seat_change_cost;
        use shared::model::Term;
        use shared::renewals::add_days;
        let end = add_days("2026-01-01", end_day).unwrap();
        let today = add_days("2026-01-01", today_day).unwrap();
        let term = if annual { Term::Annual } else { Term::Monthly };
        let cost = seat_change_cost(price, from, to, term, &end, &today);
        let whole = cost.per_month_cents * if annual { 12 } else { 1 };
        prop_assert!(cost.now_cents.abs() <= whole.abs());
        prop_assert!(cost.now_cents == 0 || cost.now_cents.signum() == cost.per_month_cents.signum());
    }
}

proptest! {
    /// A refund is never negative and never more than the term's charge, and shrinks (or stays)
    /// as days pass.
    #[test]
    fn refunds_stay_within_what_was_paid(
        price in 0u32..100_000, seats in 1u32..10_000, annual in any::<bool>(),
        billed_annually in any::<bool>(),
        after in 0i64..(400 * 86_400), later in 0i64..(30 * 86_400),
    ) {
        use shared::billing::cancellation_refund;
        use shared::model::Term;
        let term = if annual { Term::Annual } else { Term::Monthly };
        let ordered = 1_800_000_000; // 2027-01-15T08:00:00Z
        let sub = Subscription {
            price_per_seat_cents: price,
            quantity: seats,
            term,
            billing_cycle: if billed_annually { shared::model::BillingCycle::Annual } else { shared::model::BillingCycle::Monthly },
            ordered_at: Some(shared::calendar::rfc3339(ordered)),
            commitment_end: shared::lifecycle::first_term_end(ordered, term),
            ..fixtures::subscription()
        };
        let months = if billed_annually { shared::lifecycle::months(term) } else { 1 };
        let paid = i64::from(price) * i64::from(seats) * months;
        let now = ordered + after;
        let refund = cancellation_refund(&sub, now);
        prop_assert!((0..=paid).contains(&refund));
        prop_assert!(cancellation_refund(&sub, now + later) <= refund);
    }

    /// Renewals step one term at a time, each ending after the last, never skipping or
    /// repeating one, whatever day the subscription was ordered on.
    #[test]
    fn renewals_move_the_end_one_term_at_a_time(
        day in 0i64..3000, annual in any::<bool>(), terms in 1usize..30,
    ) {
        use shared::lifecycle::{due_step, first_term_end, term_over_at, Step};
        use shared::model::Term;
        let term = if annual { Term::Annual } else { Term::Monthly };
        let ordered = 1_767_225_600 + day * 86_400; // from 2026-01-01
        let mut sub = Subscription {
            term,
            ordered_at: Some(shared::calendar::rfc3339(ordered)),
            commitment_end: first_term_end(ordered, term),
            ..fixtures::subscription()
        };
        for _ in 0..terms {
            let over = term_over_at(&sub.commitment_end).unwrap();
            prop_assert!(due_step(&sub, over - 1).is_none());
            let step = due_step(&sub, over).unwrap();
            prop_assert_eq!(step.step, Step::Renewed);
            let end = step.after.commitment_end.clone().unwrap();
            let days = shared::renewals::days_between(&sub.commitment_end, &end).unwrap();
            let (lo, hi) = if annual { (365, 366) } else { (28, 31) };
            prop_assert!((lo..=hi).contains(&days), "{} -> {end}: {days} days", sub.commitment_end);
            prop_assert_eq!(step.seat_batches.iter().map(|b| b.quantity).sum::<u32>(), sub.quantity);
            sub.commitment_end = end;
            prop_assert!(due_step(&sub, over).is_none(), "renewed once per term");
        }
    }
}

/// A month of random changes to one subscription billed monthly: day, seats, status.
fn month_of_changes() -> impl Strategy<Value = (u32, u32, Vec<(u32, u32, u8)>)> {
    (
        1u32..=12,
        1u32..500,
        proptest::collection::vec((1u32..=31, 0u32..500, 0u8..10), 0..12),
    )
}

proptest! {
    /// A month's lines add up: billed monthly, the total is what each day's seats cost at the
    /// day's price (seats × price ÷ the month's days, summed exactly), off by no more than
    /// the rounding of its lines; and a month without changes is its seats × price exactly.
    #[test]
    fn a_months_lines_add_up_to_its_days((month, start_seats, changes) in month_of_changes(), price in 0i64..100_000) {
        use shared::model::{BillingCycle, Term};
        use shared::statements::{HistoryPoint, Month, month_lines};
        let m = Month::parse(&format!("2026-{month:02}")).unwrap();
        let days = m.days();
        let point = |day: u32, quantity: u32, status: Status| HistoryPoint {
            day: format!("2026-{month:02}-{day:02}"),
            quantity,
            status,
            commitment_end: "2027-01-31".into(),
            term: Term::Annual,
            refund_cents: None,
        };
        let mut history = vec![HistoryPoint { day: "2025-12-20".into(), ..point(1, start_seats, Status::Active) }];
        let mut sorted: Vec<(u32, u32, u8)> = changes.into_iter().map(|(d, q, s)| (d.min(days), q, s)).collect();
        sorted.sort_by_key(|c| c.0);
        let mut cancelled = false;
        for (day, quantity, s) in sorted {
            // Cancelled is for good: nothing follows it.
            if cancelled { break; }
            let status = match s { 0 => Status::Cancelled, 1 | 2 => Status::Suspended, _ => Status::Active };
            cancelled = status == Status::Cancelled;
            history.push(point(day, quantity.max(1), status));
        }
        let lines = month_lines(&history, BillingCycle::Monthly, m, &|_| price);
        let total: i64 = lines.iter().map(|l| l.amount_cents).sum();
        // Each day's seats, exactly: the last point on or before the day.
        let mut exact: i128 = 0;
        for day in 1..=days {
            let d = format!("2026-{month:02}-{day:02}");
            let p = history.iter().rev().find(|p| p.day <= d).unwrap();
            if p.status.is_live() {
                exact += i128::from(p.quantity) * i128::from(price);
            }
        }
        // |total × days − exact| ≤ half a cent per line, times the days.
        let off = (i128::from(total) * i128::from(days) - exact).abs();
        prop_assert!(off * 2 <= i128::from(days) * lines.len() as i128, "{total} vs {exact}/{days}, {lines:?}");
        if history.len() == 1 {
            prop_assert_eq!(total, i64::from(start_seats) * price);
        }
    }
}
