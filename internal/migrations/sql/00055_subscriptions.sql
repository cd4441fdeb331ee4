-- +goose Up
-- subscriptions.v1 (projections/subscription): one row per subscription, read by queries.Customers for the
-- Customer resource's `subscriptions`, `expired_subscriptions` and `gift_recipients` (spec 3.1, 3.5).
-- `revision` is the revision of the subscription's stream (subscription-<id>) the row reflects; every write
-- is guarded by it, so a redelivered event changes nothing. Amounts are integer minor units. No serial
-- columns and no foreign keys: projections.Rebuild swaps this table.
CREATE TABLE subscriptions (
    id                        bigint PRIMARY KEY,
    customer_id               bigint NOT NULL,
    account_id                bigint NOT NULL,
    site_id                   bigint NOT NULL,
    type                      text NOT NULL,
    status                    text NOT NULL,
    -- The plan as it was sold (subscription.Terms), served when the catalog no longer has the plan.
    plan_id                   bigint NOT NULL,
    terms                     jsonb NOT NULL,
    quantity                  bigint NOT NULL,
    auto_renew                boolean NOT NULL,
    -- The scheduled cancellation (cancel_at NULL: none) and its mode ('' for none).
    cancel_at                 timestamptz,
    cancel_mode               text NOT NULL,
    cancel_reason             text NOT NULL,
    canceled_at               timestamptz,
    ended_at                  timestamptz,
    current_period_start      timestamptz NOT NULL,
    current_period_end        timestamptz NOT NULL,
    -- 0: none.
    address_id                bigint NOT NULL,
    -- The coupon as it applied (subscription.Coupon), NULL when none.
    coupon                    jsonb,
    -- The scheduled phases, each as {plan_id, terms, quantity, coupon, address_id, paid_by, gift}.
    phases                    jsonb NOT NULL,
    billing                   text NOT NULL,
    campaign_key              text NOT NULL,
    metadata                  jsonb NOT NULL,
    domains                   jsonb NOT NULL,
    ip_addresses              jsonb NOT NULL,
    latest_invoice            bigint NOT NULL,
    -- A donor's gift: its code and who receives it (personal data: blanked when the subscription is
    -- erased), from when, and whether it is paid and redeemed.
    gift_code                 text NOT NULL,
    gift_recipient_email      text NOT NULL,
    gift_recipient_first_name text NOT NULL,
    gift_recipient_last_name  text NOT NULL,
    gift_message              text NOT NULL,
    gift_start                timestamptz,
    is_paid                   boolean NOT NULL,
    is_redeemed               boolean NOT NULL,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    -- The subscription as its events fold (subscription.State, JSON): the next event evolves it, so every
    -- column above is derived by the aggregate's own Evolve.
    state                     jsonb NOT NULL,
    revision                  bigint NOT NULL
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, id);

-- +goose Down
DROP TABLE subscriptions;
