-- Orders through Partner Center (issue 22): a connected partner's order is a cart, a checkout
-- and a subscription Microsoft provisions. Each row is one order, written with the agent's
-- request and carried through those steps at once and then by the worker. Each call that
-- writes has its MS-RequestId, kept so that every retry of it is the same request:
-- `cart_request_id` for the cart's creation, `checkout_request_id` for its checkout (both new
-- when an expired cart is replaced). A checkout whose answer was lost is looked up (the cart)
-- before it is ever sent again.
CREATE TABLE partner_center_orders (
    id                  TEXT PRIMARY KEY,
    partner_id          TEXT NOT NULL REFERENCES partners(id),
    customer_id         TEXT NOT NULL REFERENCES customers(id),
    offer_id            TEXT NOT NULL,
    quantity            BIGINT NOT NULL CHECK (quantity >= 1),
    -- The agent's Idempotency-Key: a retry of the request is this order, never a second.
    idempotency_key     TEXT NOT NULL,
    fingerprint         TEXT NOT NULL,
    cart_request_id     TEXT NOT NULL,
    checkout_request_id TEXT NOT NULL,
    cart_id             TEXT,
    checkout_sent       BIGINT NOT NULL DEFAULT 0,
    order_id            TEXT,
    subscription_id     TEXT,
    state               TEXT NOT NULL CHECK (state IN ('pending', 'failed', 'done', 'refused', 'discarded')),
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at     BIGINT NOT NULL,
    lease_until         BIGINT NOT NULL DEFAULT 0,
    last_error          TEXT,
    agent_id            TEXT,
    agent_email         TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    finished_at         TEXT,
    UNIQUE (partner_id, idempotency_key)
);
CREATE INDEX partner_center_orders_due ON partner_center_orders(state, next_attempt_at);
CREATE INDEX partner_center_orders_by_customer ON partner_center_orders(customer_id, state);
