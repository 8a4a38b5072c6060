-- A partner with 100,000 customers (issue 13).
--
-- Customer search through indexes instead of a scan: a pg_trgm GIN index answers
-- `search_text LIKE '%…%'` for three or more characters; `short_grams` lists each distinct
-- one- and two-character substring of `search_text` as a token (hex of its UTF-8 bytes;
-- written by the server, see `store::customer_short_grams`), in a GIN index of its own, for
-- the queries trigrams cannot answer. btree_gin puts `partner_id` in both, so one partner's
-- search reads only that partner's entries however many partners share the database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
ALTER TABLE customers ADD COLUMN short_grams TEXT NOT NULL DEFAULT '';
-- The same tokens as an array, split once when written (not per row read).
ALTER TABLE customers ADD COLUMN short_gram_array TEXT[]
    GENERATED ALWAYS AS (string_to_array(short_grams, ' ')) STORED;
CREATE INDEX customers_search_trigrams ON customers USING GIN (partner_id, search_text gin_trgm_ops);
CREATE INDEX customers_search_grams ON customers USING GIN (partner_id, short_gram_array);

-- The name order carries the search text, so a search that matches many walks the index alone
-- (an index-only scan: no table row read to be dropped).
DROP INDEX customers_by_partner_and_name;
CREATE INDEX customers_by_partner_and_name ON customers(partner_id, sort_key COLLATE "C", id) INCLUDE (search_text);

-- The activity log: a partner's events newest first, also by action or by agent. Times are
-- RFC 3339 text compared bytewise ("C"), as on SQLite: a date range ends at "YYYY-MM-DD~",
-- which a locale's collation (en_US, ICU) would sort before the day's times.
ALTER TABLE subscription_events ALTER COLUMN at TYPE TEXT COLLATE "C";
CREATE INDEX subscription_events_by_partner_and_time ON subscription_events(partner_id, at, id);
CREATE INDEX subscription_events_by_partner_action_and_time ON subscription_events(partner_id, action, at, id);
CREATE INDEX subscription_events_by_agent_and_time ON subscription_events(partner_id, agent_id, at, id);
