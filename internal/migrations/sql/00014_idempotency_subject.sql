-- +goose Up
-- The data subject an idempotency answer describes (internal/idempotency), so that erasing a customer or a
-- newsletter entry deletes the answers that still hold their personal data instead of keeping them for the
-- rest of the key's 24 hours. An HMAC under the server secret, like the row's id: it names nobody.
ALTER TABLE idempotency_keys ADD COLUMN subject bytea;
CREATE INDEX idempotency_keys_subject ON idempotency_keys (subject) WHERE subject IS NOT NULL;

-- +goose Down
DROP INDEX idempotency_keys_subject;
ALTER TABLE idempotency_keys DROP COLUMN subject;
