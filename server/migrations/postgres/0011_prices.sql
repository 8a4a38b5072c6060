-- The partner's money (issue 23). Amounts are whole minor units of their currency (cents).
--
-- Microsoft's price list, as the partner imported it: one row per line of a month's list,
-- keyed as the list keys it (product, SKU, term, billing plan) plus its first day, so each
-- month's list is kept beside the last (a renewal in January is priced by January's list).
-- `unit_price` and `erp_price` are as the list writes them: a seat for one billing period.
CREATE TABLE price_list_lines (
    partner_id      TEXT NOT NULL REFERENCES partners(id),
    product_id      TEXT NOT NULL,
    sku_id          TEXT NOT NULL,
    term_duration   TEXT NOT NULL,
    billing_plan    TEXT NOT NULL,
    effective_start TEXT NOT NULL,
    effective_end   TEXT,
    market          TEXT NOT NULL,
    currency        TEXT NOT NULL,
    unit_price      BIGINT NOT NULL CHECK (unit_price >= 0),
    erp_price       BIGINT CHECK (erp_price >= 0),
    product_title   TEXT NOT NULL,
    sku_title       TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (partner_id, product_id, sku_id, term_duration, billing_plan, effective_start)
);

-- The partner's own prices: a fixed price (amount: minor units a seat a month) or a markup
-- over cost (amount: hundredths of a percent), for a customer and an offer, a customer, an
-- offer, or every customer; each from its effective day. One rule per scope and day.
CREATE TABLE price_rules (
    id             TEXT PRIMARY KEY,
    partner_id     TEXT NOT NULL REFERENCES partners(id),
    customer_id    TEXT REFERENCES customers(id),
    offer_id       TEXT REFERENCES offers(id),
    kind           TEXT NOT NULL CHECK (kind IN ('fixed', 'markup')),
    amount         BIGINT NOT NULL,
    effective_from TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX price_rules_scope
    ON price_rules (partner_id, COALESCE(customer_id, ''), COALESCE(offer_id, ''), effective_from);
