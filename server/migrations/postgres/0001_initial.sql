-- Reseller Console schema (PostgreSQL). The same tables as SQLite's: ids are UUID text, times
-- RFC 3339 UTC text (they sort as they read), session times Unix seconds.

CREATE TABLE partners (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES partners(id),
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'read_only')),
    password_hash TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE offers (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    min_quantity         BIGINT NOT NULL CHECK (min_quantity >= 1),
    max_quantity         BIGINT NOT NULL,
    price_per_seat_cents BIGINT NOT NULL CHECK (price_per_seat_cents >= 0),
    currency             TEXT NOT NULL,
    term                 TEXT NOT NULL CHECK (term IN ('monthly', 'annual')),
    billing_cycle        TEXT NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    CHECK (max_quantity >= min_quantity)
);

CREATE TABLE partner_offers (
    partner_id TEXT NOT NULL REFERENCES partners(id),
    offer_id   TEXT NOT NULL REFERENCES offers(id),
    PRIMARY KEY (partner_id, offer_id)
);

CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    name        TEXT NOT NULL,
    domain      TEXT NOT NULL,
    sort_key    TEXT NOT NULL,
    search_text TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX customers_by_partner_and_name ON customers(partner_id, sort_key COLLATE "C", id);

CREATE TABLE subscriptions (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers(id),
    offer_id       TEXT NOT NULL REFERENCES offers(id),
    quantity       BIGINT NOT NULL CHECK (quantity >= 1),
    status         TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    channel        TEXT NOT NULL CHECK (channel IN ('partner', 'direct')),
    auto_renew     BOOLEAN NOT NULL,
    created_at     TEXT NOT NULL,
    commitment_end TEXT NOT NULL,
    version        BIGINT NOT NULL CHECK (version >= 1)
);
CREATE INDEX subscriptions_by_customer ON subscriptions(customer_id);

CREATE TABLE subscription_events (
    id              BIGSERIAL PRIMARY KEY,
    partner_id      TEXT NOT NULL REFERENCES partners(id),
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    agent_id        TEXT NOT NULL REFERENCES agents(id),
    agent_email     TEXT NOT NULL,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    before_json     TEXT,
    after_json      TEXT NOT NULL
);
CREATE INDEX subscription_events_by_subscription ON subscription_events(subscription_id, id);

CREATE TABLE idempotency_keys (
    partner_id      TEXT NOT NULL REFERENCES partners(id),
    key             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (partner_id, key)
);
