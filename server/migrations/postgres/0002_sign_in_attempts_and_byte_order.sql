-- Sign-in attempts per e-mail (lower-cased), kept for the throttling window only: after too
-- many in the window, further attempts for that e-mail are refused until the oldest expires.
CREATE TABLE sign_in_attempts (
    email TEXT NOT NULL,
    at    BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_by_email ON sign_in_attempts(email, at);
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts(at);

-- Names order bytewise, as on SQLite, so both list customers and offers in the same order and
-- the stores share their SQL.
ALTER TABLE offers ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE customers ALTER COLUMN sort_key TYPE TEXT COLLATE "C";
