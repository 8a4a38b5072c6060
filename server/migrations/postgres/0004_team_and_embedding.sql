-- Roles of Partner Center (admin, sales, helpdesk, read-only), agents that can be disabled,
-- the team's audit trail, one primary domain per customer within a partner, and the sign-in
-- tokens already exchanged.
ALTER TABLE agents DROP CONSTRAINT agents_role_check;
ALTER TABLE agents ADD CONSTRAINT agents_role_check
    CHECK (role IN ('admin', 'sales', 'helpdesk', 'read_only'));
ALTER TABLE agents ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE agents ADD COLUMN created_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
ALTER TABLE agents ADD COLUMN last_sign_in_at TEXT;
ALTER TABLE agents ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX agents_by_partner ON agents(partner_id, email);

CREATE TABLE agent_events (
    id          BIGSERIAL PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    agent_id    TEXT NOT NULL REFERENCES agents(id),
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT NOT NULL
);
CREATE INDEX agent_events_by_partner ON agent_events(partner_id, id);

CREATE UNIQUE INDEX customers_domain_per_partner ON customers(partner_id, domain);

CREATE TABLE used_sign_in_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX used_sign_in_tokens_by_expiry ON used_sign_in_tokens(expires_at);
