-- +goose Up
-- The sandbox payment gateway's own records (internal/payments/sandbox), used when no Stripe key is set. Not a
-- read model: nothing in the event log recreates them. They live here so that every process sharing the
-- database sees one gateway: `pelcro payments confirm` completes an intent that `pelcro serve` created.

-- Every mutation, by the idempotency key the caller derived: a repeated key replays outcome (a card, a
-- charge, a refund or a decline) and does nothing else; fingerprint digests the request so the same key
-- with another request is refused.
CREATE TABLE payments_sandbox_requests (
    idempotency_key text PRIMARY KEY,
    fingerprint     bytea NOT NULL,
    outcome         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- 3-D Secure intents waiting for (or past) the customer's confirmation.
CREATE TABLE payments_sandbox_intents (
    id            text PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('setup_intent', 'payment_intent')),
    status        text NOT NULL CHECK (status IN ('requires_action', 'succeeded', 'canceled')),
    client_secret text NOT NULL
);

-- Saved cards: token names the test token they came from, which decides how later charges behave;
-- setup_intent is set for a card that is chargeable only once that intent succeeded.
CREATE TABLE payments_sandbox_cards (
    id           text PRIMARY KEY,
    customer     text NOT NULL,
    token        text NOT NULL,
    setup_intent text REFERENCES payments_sandbox_intents (id)
);

-- Charges, with what was refunded of them. A charge behind a 3-D Secure intent takes nothing until the
-- intent succeeds: its status is the intent's.
CREATE TABLE payments_sandbox_charges (
    id       text PRIMARY KEY,
    amount   bigint NOT NULL CHECK (amount > 0),
    currency text NOT NULL,
    refunded bigint NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND amount),
    intent   text REFERENCES payments_sandbox_intents (id)
);

-- +goose Down
DROP TABLE payments_sandbox_charges;
DROP TABLE payments_sandbox_cards;
DROP TABLE payments_sandbox_intents;
DROP TABLE payments_sandbox_requests;
