-- Sign-in attempts per e-mail (lower-cased), kept for the throttling window only: after too
-- many in the window, further attempts for that e-mail are refused until the oldest expires.
CREATE TABLE sign_in_attempts (
    email TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX sign_in_attempts_by_email ON sign_in_attempts(email, at);
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts(at);
