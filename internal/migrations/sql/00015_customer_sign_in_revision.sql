-- +goose Up
-- customers.v1: the revision of the customer's sign-in stream (customer_signins-<id>) the row reflects, the
-- guard of the sign-in records that stream holds, as `revision` is for the customer's own stream. NULL: no
-- record of that stream applied yet (sign-ins of older versions sit in the customer's stream, guarded by
-- `revision`).
ALTER TABLE customers ADD COLUMN sign_in_revision bigint;

-- +goose Down
ALTER TABLE customers DROP COLUMN sign_in_revision;
