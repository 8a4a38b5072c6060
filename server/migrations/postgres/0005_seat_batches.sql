-- The seat-reduction window: each addition of seats (the order, an increase, a renewal) is a
-- batch removable for 7 days after `added_at` (Unix seconds). Closed batches are dropped when
-- the subscription next changes; subscriptions without a row have nothing left to remove.
CREATE TABLE seat_batches (
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    added_at        BIGINT NOT NULL,
    quantity        BIGINT NOT NULL CHECK (quantity >= 1)
);
CREATE INDEX seat_batches_by_subscription ON seat_batches(subscription_id, added_at);
