-- +goose Up
-- mail_outbox: the mail the API sends (internal/mail), one row per message. Rows are written by the
-- projection mail_outbox.v1 (projections/mail) and updated by the delivery worker (mail.Deliverer); `pelcro
-- mail list` reads them. This is not a read model: rows are never deleted and the projection is never rebuilt
-- (a rebuild would empty the table and send every message again).
--
-- id is the id of the event the message comes from, so an event delivered twice inserts one row.
-- status: pending (waiting for its next attempt), sent (accepted by the SMTP server), mailbox (kept here as
-- the development mailbox because no SMTP server is configured), expired (its link stopped working before it
-- could be delivered, e.g. after a long SMTP outage or when a fresh database replays old events: kept, never
-- sent). An attempt that fails leaves the row pending with one more attempt, its error in last_error and a
-- later next_attempt_at: nothing is dropped. expires_at is when the message's link stops working (NULL:
-- never).
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    site_id         bigint NOT NULL,
    customer_id     bigint NOT NULL,
    kind            text NOT NULL,
    recipient       text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'mailbox', 'expired')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz
);
-- The delivery worker's scan: due pending rows, oldest first.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
-- `pelcro mail list`: newest first.
CREATE INDEX mail_outbox_created ON mail_outbox (created_at DESC);

-- +goose Down
DROP TABLE mail_outbox;
