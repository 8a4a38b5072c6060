-- The Partner Center connector (issue 22).

-- A partner's connection: its Entra app and tenant. The app secret and the refresh token are
-- sealed (ChaCha20-Poly1305, key derived from --secret-key-file): a copied database alone
-- holds no credential. `sync_lease_until` (Unix s) lets one process at a time sync a partner.
CREATE TABLE partner_center_connections (
    partner_id       TEXT PRIMARY KEY REFERENCES partners(id),
    tenant_id        TEXT NOT NULL,
    app_id           TEXT NOT NULL,
    app_secret       TEXT NOT NULL,
    refresh_token    TEXT,
    connected_at     TEXT NOT NULL,
    sync_lease_until BIGINT NOT NULL DEFAULT 0,
    last_sync_at     TEXT,
    last_sync_result TEXT
);

-- The outbox: a change for Partner Center, written with the agent's request; sent at once,
-- and by the worker until Microsoft answers. Its id is the MS-RequestId of every attempt.
-- The subscription itself changes only when Microsoft confirms (`planned_json` is what it
-- then writes, if the subscription is still at `expected_version`).
CREATE TABLE partner_center_outbox (
    id               TEXT PRIMARY KEY,
    partner_id       TEXT NOT NULL REFERENCES partners(id),
    subscription_id  TEXT NOT NULL REFERENCES subscriptions(id),
    customer_id      TEXT NOT NULL,
    action           TEXT NOT NULL,
    expected_version BIGINT NOT NULL,
    planned_json     TEXT NOT NULL,
    request_json     TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'failed', 'done', 'refused', 'discarded')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT,
    agent_id         TEXT,
    agent_email      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    finished_at      TEXT
);
CREATE INDEX partner_center_outbox_due ON partner_center_outbox(state, next_attempt_at);
-- One open change per subscription: a second waits for the first to be answered.
CREATE UNIQUE INDEX partner_center_outbox_one_open ON partner_center_outbox(subscription_id)
    WHERE state IN ('pending', 'failed');

-- When a sync last found Partner Center without a subscription the console holds (flagged,
-- never deleted silently); NULL while it is there.
ALTER TABLE subscriptions ADD COLUMN missing_at_partner_center TEXT;
