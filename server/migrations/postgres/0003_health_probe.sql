-- One row that /healthz and the start-up check rewrite, to prove the database can save (not
-- full, not read-only), not only answer. `padding` (64 KiB) makes the probe need as much
-- room as a few real changes, so "ready" means there is room to work.
CREATE TABLE health_probe (
    id      INTEGER PRIMARY KEY,
    at      BIGINT NOT NULL,
    padding BYTEA NOT NULL
);
