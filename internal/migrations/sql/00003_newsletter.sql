-- +goose Up
-- newsletters.v1 (projections/newsletter): one row per subscribed (site, email), deleted on unsubscribe
-- (spec 2.9: a hard delete). `revision` is the revision of the entry's stream the row reflects; updates and
-- deletes are guarded by it. No serial columns and no foreign keys: projections.Rebuild swaps these tables.
CREATE TABLE newsletters (
    site_id      bigint NOT NULL,
    email        text NOT NULL,
    id           bigint NOT NULL,
    first_name   text NOT NULL,
    last_name    text NOT NULL,
    postal_code  text NOT NULL,
    source       text NOT NULL,
    lists        text NOT NULL,
    consent_url  text NOT NULL,
    consent_text text NOT NULL,
    consent_type text NOT NULL,
    consent_ip   text NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    revision     bigint NOT NULL,
    PRIMARY KEY (site_id, email)
);

-- The last `id` handed out. The projection numbers entries itself, inside its own transaction, so a replay
-- of the log numbers them exactly as the first run did (a sequence would not: rolled-back retries burn
-- values).
CREATE TABLE newsletter_ids (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint NOT NULL
);

-- +goose Down
DROP TABLE newsletter_ids;
DROP TABLE newsletters;
