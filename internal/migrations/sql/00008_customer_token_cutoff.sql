-- +goose Up
-- customers.v1: tokens issued before this time no longer authenticate the customer. Set by a password change
-- (reset or update) and by unlinking an identity, so whoever signed in with the old password or the
-- unlinked identity is signed out everywhere. NULL: no cutoff.
ALTER TABLE customers ADD COLUMN tokens_valid_after timestamptz;

-- +goose Down
ALTER TABLE customers DROP COLUMN tokens_valid_after;
