-- +goose Up
-- Requests sent with an Idempotency-Key (internal/idempotency), shared by every API instance. Not a read
-- model: nothing in the event log recreates it, and losing it only means a retry runs its command again,
-- which the command ids derived from the key make harmless.
--
-- Nothing here is readable without the server secret: id is an HMAC of the caller's scope and the key,
-- fingerprint an HMAC of the request, response the answer sealed with AES-GCM (it may hold a JWT).
CREATE TABLE idempotency_keys (
    id           bytea PRIMARY KEY,
    fingerprint  bytea NOT NULL,
    -- First use of the key: the 24 h window starts here, and the command ids derive from it.
    created_at   timestamptz NOT NULL,
    -- Held by the request running now, until locked_until (a crashed holder's lock runs out); NULL when no
    -- request holds the key.
    lock_token   uuid,
    locked_until timestamptz,
    -- The first answer, once there is one worth replaying; NULL while running or after a failure.
    response     bytea
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
