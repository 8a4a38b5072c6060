//! Ordering a new subscription: an offer the partner may sell, and a valid seat count for it.

use crate::ids::{CustomerId, OfferId};
use crate::model::{Channel, Offer, Status, SubscriptionSnapshot, Term};
use crate::rules::RuleError;
use crate::seats::{SeatCount, SeatInput};

/// The rule for *Add new subscriptions*. `authorised` is the partner's part of the catalogue;
/// an offer outside it is refused the same way whether or not it exists.
pub fn check_order<'a>(
    authorised: &'a [Offer],
    offer_id: &OfferId,
    quantity: &SeatInput,
) -> Result<(&'a Offer, SeatCount), RuleError> {
    let offer = authorised
        .iter()
        .find(|o| &o.id == offer_id)
        .ok_or_else(|| RuleError::OfferNotAuthorised {
            offer_id: offer_id.clone(),
        })?;
    let seats = quantity
        .for_offer(offer.seat_bounds())
        .map_err(RuleError::Seats)?;
    Ok((offer, seats))
}

/// What an accepted order at `now` becomes: seats of an active subscription bought through the
/// partner, renewing automatically, its first term of the offer's length starting today. This
/// is also what its "created" audit event records.
pub fn ordered(seats: SeatCount, term: Term, now: i64) -> (Channel, SubscriptionSnapshot) {
    (
        Channel::Partner,
        SubscriptionSnapshot {
            quantity: seats.get(),
            status: Status::Active,
            auto_renew: true,
            commitment_end: Some(crate::lifecycle::first_term_end(now, term)),
            term: Some(term),
            scheduled: None,
        },
    )
}

/// What makes two orders "the same order" for an idempotency key: the customer, the offer and
/// the seats. A retry with the same key and these the same replays the first order; with any
/// of them different, the key was reused for another order.
pub fn order_fingerprint(customer: CustomerId, offer: &OfferId, seats: SeatCount) -> String {
    format!("{customer} {offer} {seats}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::offer;
    use crate::seats::SeatErrorKind;

    #[test]
    fn orders_need_an_authorised_offer_and_seats_within_its_bounds() {
        let catalogue = [offer("basic", 1, 300), offer("e3", 1, 5000)];
        let (o, seats) = check_order(&catalogue, &"e3".into(), &4000.into()).unwrap();
        assert_eq!((o.id.0.as_str(), seats.get()), ("e3", 4000));
        // The same count is too many for the other offer: bounds are per offer.
        assert!(matches!(
            check_order(&catalogue, &"basic".into(), &4000.into()),
            Err(RuleError::Seats(e)) if e.kind == SeatErrorKind::TooMany && e.bounds.max == 300
        ));
        assert_eq!(
            check_order(&catalogue, &"visio".into(), &1.into()),
            Err(RuleError::OfferNotAuthorised {
                offer_id: "visio".into()
            })
        );
        assert!(check_order(&[], &"basic".into(), &1.into()).is_err());
        assert!(check_order(&catalogue, &"basic".into(), &0.into()).is_err());
    }
}
