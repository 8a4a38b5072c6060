-- Reseller Console schema (SQLite). Ids are UUID text; times are RFC 3339 UTC text, except
-- session times, which are Unix seconds so expiry is a plain comparison.

CREATE TABLE partners (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES partners(id),
    email         TEXT NOT NULL UNIQUE,          -- stored lower-case
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'read_only')),
    password_hash TEXT NOT NULL                  -- argon2id PHC string
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,                 -- SHA-256 of the cookie's token: a leaked table signs no one in
    agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE offers (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    min_quantity         INTEGER NOT NULL CHECK (min_quantity >= 1),
    max_quantity         INTEGER NOT NULL,
    price_per_seat_cents INTEGER NOT NULL CHECK (price_per_seat_cents >= 0),
    currency             TEXT NOT NULL,
    term                 TEXT NOT NULL CHECK (term IN ('monthly', 'annual')),
    billing_cycle        TEXT NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    CHECK (max_quantity >= min_quantity)
);

-- The offers each partner is authorised to sell.
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
    sort_key    TEXT NOT NULL,                   -- lower-cased name
    search_text TEXT NOT NULL,                   -- lower-cased name and domain
    created_at  TEXT NOT NULL
);
CREATE INDEX customers_by_partner_and_name ON customers(partner_id, sort_key, id);

CREATE TABLE subscriptions (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers(id),
    offer_id       TEXT NOT NULL REFERENCES offers(id),
    quantity       INTEGER NOT NULL CHECK (quantity >= 1),
    status         TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    channel        TEXT NOT NULL CHECK (channel IN ('partner', 'direct')),
    auto_renew     INTEGER NOT NULL CHECK (auto_renew IN (0, 1)),
    created_at     TEXT NOT NULL,
    commitment_end TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX subscriptions_by_customer ON subscriptions(customer_id);

-- The audit trail: one row per successful change, written in the change's transaction.
CREATE TABLE subscription_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- One row per order idempotency key: a retry finds the subscription its first try created.
CREATE TABLE idempotency_keys (
    partner_id      TEXT NOT NULL REFERENCES partners(id),
    key             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (partner_id, key)
);
