//! Test data, typed once: the rule tests here, the property tests and the browser tests use
//! these (other crates through the `fixtures` feature, for their tests only).

use crate::model::{BillingCycle, Channel, Offer, Status, Subscription, Term};

/// An active, partner-bought subscription of 10 seats of a 1..=300 offer, version 3, of
/// Contoso Ltd. Change what a test needs with `Subscription { status, ..subscription() }`.
pub fn subscription() -> Subscription {
    Subscription {
        id: "7d0b3c1e-2a4f-4c59-8d3e-0f1a2b3c4d5e".parse().unwrap(),
        customer_id: "0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d".parse().unwrap(),
        customer_name: "Contoso Ltd".into(),
        offer_id: "m365-business-basic".into(),
        offer_name: "Microsoft 365 Business Basic".into(),
        quantity: 10,
        min_quantity: 1,
        max_quantity: 300,
        term: Term::Annual,
        billing_cycle: BillingCycle::Monthly,
        price_per_seat_cents: 600,
        currency: "EUR".into(),
        status: Status::Active,
        channel: Channel::Partner,
        auto_renew: true,
        created_at: "2026-01-05T09:30:00Z".into(),
        commitment_end: "2027-01-05".into(),
        version: 3,
        // Ordered at Unix time 0: tests checking at time 0 may still remove every seat.
        seat_batches: vec![crate::reduction_window::SeatBatch {
            quantity: 10,
            added_at: 0,
        }],
        scheduled: None,
        status_since: None,
        ordered_at: Some("2026-01-05T09:30:00Z".into()),
        anniversary_day: None,
        missing_at_partner_center: None,
    }
}

/// An annual offer `id` of `min..=max` seats at 6.00 EUR a seat a month.
pub fn offer(id: &str, min: u32, max: u32) -> Offer {
    Offer {
        id: id.into(),
        name: format!("Offer {id}"),
        min_quantity: min,
        max_quantity: max,
        price_per_seat_cents: 600,
        currency: "EUR".into(),
        term: Term::Annual,
        billing_cycle: BillingCycle::Monthly,
    }
}
