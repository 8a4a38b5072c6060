-- A partner with 100,000 customers (issue 13).
--
-- Customer search through indexes instead of a scan: `customer_trigrams` finds any substring
-- of three or more characters of `search_text` (FTS5's trigram tokenizer; case_sensitive
-- because `search_text` and the query are lower-cased in Rust, the same way); `customer_grams`
-- finds the one- and two-character ones, which trigrams cannot: `short_grams` lists each
-- distinct one- and two-character substring of `search_text` as a token (hex of its UTF-8
-- bytes; written by the server, see `store::customer_short_grams`). Both index `customers`
-- by rowid (external content) and are kept in step by the triggers below. A customer's rowid
-- only changes under a manual VACUUM; after one, run
-- `INSERT INTO customer_trigrams(customer_trigrams) VALUES ('rebuild')` (and for customer_grams).
ALTER TABLE customers ADD COLUMN short_grams TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE customer_trigrams USING fts5(
    search_text, content = 'customers', tokenize = 'trigram case_sensitive 1'
);
CREATE VIRTUAL TABLE customer_grams USING fts5(
    short_grams, content = 'customers', tokenize = 'ascii', detail = 'none'
);
INSERT INTO customer_trigrams(customer_trigrams) VALUES ('rebuild');
INSERT INTO customer_grams(customer_grams) VALUES ('rebuild');

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_trigrams(rowid, search_text) VALUES (new.rowid, new.search_text);
    INSERT INTO customer_grams(rowid, short_grams) VALUES (new.rowid, new.short_grams);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_trigrams(customer_trigrams, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO customer_grams(customer_grams, rowid, short_grams)
        VALUES ('delete', old.rowid, old.short_grams);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF search_text, short_grams ON customers BEGIN
    INSERT INTO customer_trigrams(customer_trigrams, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO customer_grams(customer_grams, rowid, short_grams)
        VALUES ('delete', old.rowid, old.short_grams);
    INSERT INTO customer_trigrams(rowid, search_text) VALUES (new.rowid, new.search_text);
    INSERT INTO customer_grams(rowid, short_grams) VALUES (new.rowid, new.short_grams);
END;

-- The name order carries the search text, so a search that matches many walks the index alone
-- (SQLite reads no row it then drops).
DROP INDEX customers_by_partner_and_name;
CREATE INDEX customers_by_partner_and_name ON customers(partner_id, sort_key, id, search_text);

-- The activity log: a partner's events newest first, also by action or by agent. (Also in
-- sqlite.rs' rebuild of subscription_events, which an older file gets after this.)
CREATE INDEX IF NOT EXISTS subscription_events_by_partner_and_time
    ON subscription_events(partner_id, at, id);
CREATE INDEX IF NOT EXISTS subscription_events_by_partner_action_and_time
    ON subscription_events(partner_id, action, at, id);
CREATE INDEX IF NOT EXISTS subscription_events_by_agent_and_time
    ON subscription_events(partner_id, agent_id, at, id);
