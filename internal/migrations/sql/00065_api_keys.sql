-- +goose Up
-- Operators' API keys for the admin API and console (internal/apikeys), and the console's sign-in sessions.
-- Not read models: nothing in the event log recreates them, and neither table holds a usable secret. A key
-- is "pak_<id>_<secret>"; only the SHA-256 of the whole key is kept, so a copy of this table signs nobody in.
CREATE TABLE api_keys (
    -- The public part of the key: what `pelcro apikeys list` shows and `revoke` takes.
    id          text PRIMARY KEY,
    -- The one account whose data the key reads.
    account_id  bigint NOT NULL,
    name        text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

-- A console session: the SHA-256 of the random token its cookie holds. Revoking the key ends its sessions
-- (authentication reads the key's revoked_at); the row is removed by signing out or by a later sign-in once
-- expired.
CREATE TABLE admin_sessions (
    token_hash bytea PRIMARY KEY,
    api_key_id text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);

-- +goose Down
DROP TABLE admin_sessions;
DROP TABLE api_keys;
