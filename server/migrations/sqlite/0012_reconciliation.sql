-- Microsoft's invoice reconciliation files (issue 23): the last file imported for each month,
-- as it was read (its lines checked on import), so the Reconciliation page compares it with
-- the console's record as it stands whenever it is opened.
CREATE TABLE reconciliation_files (
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    month       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    body        TEXT NOT NULL,
    lines       BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (partner_id, month)
);
