-- +goose Up
-- invoices.v1 (projections/invoice): one row per invoice and one per charge that paid one, read by
-- queries.Customers for the Customer resource's `invoices` and `charges` (spec 3.1, 3.6). `revision` is the
-- revision of the invoice's stream (invoice-<id>) the row reflects; every write is guarded by it, so a
-- redelivered event changes nothing. Amounts are integer minor units of `currency`. No serial columns and
-- no foreign keys: projections.Rebuild swaps these tables.
CREATE TABLE invoices (
    id                bigint PRIMARY KEY,
    customer_id       bigint NOT NULL,
    account_id        bigint NOT NULL,
    site_id           bigint NOT NULL,
    status            text NOT NULL,
    currency          text NOT NULL,
    subtotal          bigint NOT NULL,
    tax               bigint NOT NULL,
    discount          bigint NOT NULL,
    total             bigint NOT NULL,
    amount_paid       bigint NOT NULL,
    -- Each line as {description, unit_amount, quantity, amount}.
    lines             jsonb NOT NULL,
    billing_reason    text NOT NULL,
    -- 0: the invoice bills no subscription (the query answers null).
    subscription_id   bigint NOT NULL,
    description       text NOT NULL,
    due_at            timestamptz,
    period_start      timestamptz,
    period_end        timestamptz,
    attempt_count     integer NOT NULL,
    -- The 3-D Secure intent the pending attempt waits for; '' when none.
    pending_intent_id text NOT NULL,
    paid_at           timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    revision          bigint NOT NULL
);
CREATE INDEX invoices_customer ON invoices (customer_id, id);

-- The charge that paid an invoice (an invoice of zero has none).
CREATE TABLE invoice_charges (
    invoice_id  bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    charge_id   text NOT NULL,
    gateway     text NOT NULL,
    amount      bigint NOT NULL,
    currency    text NOT NULL,
    card_brand  text NOT NULL,
    card_last4  text NOT NULL,
    created_at  timestamptz NOT NULL,
    revision    bigint NOT NULL
);
CREATE INDEX invoice_charges_customer ON invoice_charges (customer_id, created_at);

-- +goose Down
DROP TABLE invoice_charges;
DROP TABLE invoices;
