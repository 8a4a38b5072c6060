-- Subscriptions that live in time (see shared::lifecycle): since when a subscription has its
-- status (Disabled and Deleted are counted from it), its own term (the offer's until a renewal
-- switches it) and the change scheduled for the renewal. (The new statuses and audit events
-- made by the renewal rather than an agent need the `subscriptions` CHECK and the events'
-- NOT NULL rebuilt, which SQLite can only do with foreign keys off, outside a migration's
-- transaction: `SqliteStore::open` does it right after, once.)
ALTER TABLE subscriptions ADD COLUMN term TEXT CHECK (term IN ('monthly', 'annual'));
ALTER TABLE subscriptions ADD COLUMN scheduled_quantity INTEGER CHECK (scheduled_quantity >= 1);
ALTER TABLE subscriptions ADD COLUMN scheduled_term TEXT CHECK (scheduled_term IN ('monthly', 'annual'));
ALTER TABLE subscriptions ADD COLUMN status_since TEXT;
-- When it was ordered in this console (the 7-day cancel window, the refund); NULL for one
-- imported or seeded with Partner Center's dates. Those ordered here so far have their
-- "created" event.
ALTER TABLE subscriptions ADD COLUMN ordered_at TEXT;
UPDATE subscriptions SET ordered_at = created_at
    WHERE id IN (SELECT subscription_id FROM subscription_events WHERE action = 'created');
-- Each subscription's own term from now on, so a catalogue change does not rewrite it.
UPDATE subscriptions SET term = (SELECT o.term FROM offers o WHERE o.id = subscriptions.offer_id)
    WHERE term IS NULL;
-- The renewal task's scan: live subscriptions by end date.
CREATE INDEX subscriptions_by_status_and_end ON subscriptions(status, commitment_end);
