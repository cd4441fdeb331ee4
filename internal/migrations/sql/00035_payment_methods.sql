-- +goose Up
-- payment_methods.v1 (projections/wallet): every card saved in a wallet (wallet-<customer id> streams),
-- deleted ones kept with deleted_at (soft delete). subscription_ids are the subscriptions paying with the
-- card (deletable is false while any does, or while it is the default). revision is the wallet stream's
-- revision the row last reflects: a redelivered event changes nothing.
CREATE TABLE payment_methods (
    id               bigint PRIMARY KEY,
    customer_id      bigint NOT NULL,
    gateway          text NOT NULL,
    object_id        text NOT NULL,
    status           text NOT NULL,
    brand            text NOT NULL,
    last4            text NOT NULL,
    exp_month        integer NOT NULL,
    exp_year         integer NOT NULL,
    country          text NOT NULL,
    funding          text NOT NULL,
    fingerprint      text NOT NULL,
    setup_intent_id  text NOT NULL,
    is_default       boolean NOT NULL,
    subscription_ids bigint[] NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    deleted_at       timestamptz,
    revision         bigint NOT NULL
);
CREATE INDEX payment_methods_customer ON payment_methods (customer_id, id);

-- +goose Down
DROP TABLE payment_methods;
