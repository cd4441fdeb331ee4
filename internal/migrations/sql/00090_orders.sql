-- +goose Up
-- orders.v1 (projections/order): one row per e-commerce order (spec 3.7), for the Customer resource's
-- `orders` and for the order expiry (commands.Orders.Expire), which reads the pending orders past their
-- pay_by. `revision` is the revision of order-<id> the row reflects, so a redelivered event changes nothing.
-- No serial columns and no foreign keys: projections.Rebuild swaps this table.
CREATE TABLE orders (
    id            bigint PRIMARY KEY,
    customer_id   bigint NOT NULL,
    account_id    bigint NOT NULL,
    site_id       bigint NOT NULL,
    status        text NOT NULL,
    currency      text NOT NULL,
    items         jsonb NOT NULL,
    subtotal      bigint NOT NULL,
    shipping      bigint NOT NULL,
    tax           bigint NOT NULL,
    discount      bigint NOT NULL,
    total         bigint NOT NULL,
    invoice_id    bigint NOT NULL,
    address_id    bigint NOT NULL,
    pay_by        timestamptz NOT NULL,
    cancel_reason text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    revision      bigint NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id);
-- The expiry reads the pending orders due by an instant: its cost grows with those, not with every order.
CREATE INDEX orders_pending_pay_by ON orders (pay_by) WHERE status = 'pending';

-- +goose Down
DROP TABLE orders;
