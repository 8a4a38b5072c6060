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
-- The renewal task's scan: live subscriptions by end date.
CREATE INDEX subscriptions_by_status_and_end ON subscriptions(status, commitment_end);
