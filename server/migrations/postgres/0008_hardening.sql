-- Hardening after a hostile run (issue 19).

-- Sign-in attempts are keyed by a SHA-256 of what was typed (64 hex characters whatever its
-- length), and the server keeps at most a fixed number of rows (the oldest, by id, go first). The old rows only counted
-- toward a 15-minute window: nothing is lost by starting afresh.
DROP TABLE sign_in_attempts;
CREATE TABLE sign_in_attempts (
    id       BIGSERIAL PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_by_key ON sign_in_attempts(key_hash, at);
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts(at);

-- The e-mail domains each partner owns: its agents have e-mails in those only, so no partner
-- can add (or learn about) an address of another's. Existing agents give their partner its
-- domains, unless agents of two partners share one (then neither owns it until an operator
-- says who does).
CREATE TABLE partner_domains (
    domain     TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id)
);
CREATE INDEX partner_domains_by_partner ON partner_domains(partner_id, domain);
INSERT INTO partner_domains (domain, partner_id)
    SELECT split_part(email, '@', 2) AS domain, MIN(partner_id)
    FROM agents GROUP BY domain HAVING COUNT(DISTINCT partner_id) = 1;

-- Where an imported change came from ("Subscriptions.csv, line 4"), and what a cancellation
-- refunded (the offer's minor unit): both part of the audit trail.
ALTER TABLE subscription_events ADD COLUMN source TEXT;
ALTER TABLE subscription_events ADD COLUMN refund_cents BIGINT;

-- The day of the month an imported subscription's terms end on (its end date's day in the
-- file), so a term ending on the 31st comes back to the 31st after February.
ALTER TABLE subscriptions ADD COLUMN anniversary_day BIGINT CHECK (anniversary_day BETWEEN 1 AND 31);

-- Search folds Greek final sigma (ς) to σ on both sides (store::search_fold): stored search
-- texts are folded the same way, and their short grams written again at start (emptied here,
-- `backfill_short_grams` fills them).
UPDATE customers SET search_text = replace(search_text, 'ς', 'σ'), short_grams = ''
    WHERE search_text LIKE '%ς%';
