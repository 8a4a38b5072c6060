-- Agents that can be disabled, with their last sign-in; the team's audit trail; one primary
-- domain per customer within a partner; and the sign-in tokens already exchanged.
-- (The new roles need `agents`' CHECK rebuilt, which SQLite can only do with foreign keys
-- off, outside a migration's transaction: `SqliteStore::open` does it right after, once.)
ALTER TABLE agents ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE agents ADD COLUMN created_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
ALTER TABLE agents ADD COLUMN last_sign_in_at TEXT;
-- Set for a password someone else chose (a one-time password): the agent must choose their own
-- before anything else.
ALTER TABLE agents ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
-- A session opened with such a password carries the duty; one opened by a host portal's token
-- does not (the portal vouches for the agent, who may never see a password).
ALTER TABLE sessions ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));

-- Every change to the team: who (an agent, or the command line), when, before, after.
CREATE TABLE agent_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    agent_id    TEXT NOT NULL REFERENCES agents(id),
    actor       TEXT NOT NULL,                      -- the admin's e-mail, or "command line"
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT NOT NULL
);
CREATE INDEX agent_events_by_partner ON agent_events(partner_id, id);

CREATE UNIQUE INDEX customers_domain_per_partner ON customers(partner_id, domain);

-- A signed sign-in token is exchanged once: its `jti` is kept until the token expires.
CREATE TABLE used_sign_in_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE INDEX used_sign_in_tokens_by_expiry ON used_sign_in_tokens(expires_at);
