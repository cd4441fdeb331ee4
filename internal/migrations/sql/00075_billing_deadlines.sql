-- +goose Up
-- billing_deadlines.v1 (projections/deadline): the billing clock's due work, one row per subscription that
-- waits for one (subscription.State.Due: charge, renew, end or gift_notification) with its due instant.
-- `state` is the subscription's folded state (without personal data) the next event is folded into;
-- `revision` the revision of subscription-<id> the row reflects, so a redelivered event changes nothing.
-- `lease_owner`/`lease_until` are written by the billing clock alone: a runner claims due rows by leasing
-- them (SELECT … FOR UPDATE SKIP LOCKED), so several runners never act on the same subscription at once.
-- No serial columns and no foreign keys: projections.Rebuild swaps this table (and forgets the leases,
-- which only makes the rows claimable again).
CREATE TABLE billing_deadlines (
    subscription_id bigint PRIMARY KEY,
    state           jsonb NOT NULL,
    -- NULL when the subscription waits for nothing (ended, incomplete, a gift already announced).
    kind            text,
    due_at          timestamptz,
    revision        bigint NOT NULL,
    lease_owner     text,
    lease_until     timestamptz
);
-- A run reads the due rows in due order: its cost grows with the rows due, not with every subscription.
CREATE INDEX billing_deadlines_due ON billing_deadlines (due_at) WHERE due_at IS NOT NULL;

-- +goose Down
DROP TABLE billing_deadlines;
