-- +goose Up
-- The login lockout now keys its rows with an HMAC under a server key (internal/auth.LoginThrottle) and
-- counts failures per customer rather than per email or username. Rows written before were a bare SHA-256
-- of an email or username, which can be reversed by hashing guesses: drop them now rather than when they
-- expire. Forgetting them unlocks, at worst, logins locked in the last five minutes.
DELETE FROM auth_login_failures;
COMMENT ON COLUMN auth_login_failures.identifier_hash IS
    'HMAC-SHA-256 under the server''s throttle key of the normalised lockout subject (a customer, or a login nobody holds)';

-- +goose Down
COMMENT ON COLUMN auth_login_failures.identifier_hash IS NULL;
