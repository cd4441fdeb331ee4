-- +goose Up
-- How long an invoice sent to be paid gives the customer (subscriptions paid by invoice): the account's
-- setting (catalog_commerce.v1; 0 means the default, 30 days, as in accounts projected before it existed)
-- and each such subscription's own (subscriptions.v1; 0 for a subscription charged automatically). The
-- subscriptions paid by invoice projected before it were all given the default.
ALTER TABLE catalog_accounts ADD COLUMN days_until_due bigint NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN days_until_due integer NOT NULL DEFAULT 0;
UPDATE subscriptions SET days_until_due = 30 WHERE billing = 'send_invoice';

-- +goose Down
ALTER TABLE subscriptions DROP COLUMN days_until_due;
ALTER TABLE catalog_accounts DROP COLUMN days_until_due;
