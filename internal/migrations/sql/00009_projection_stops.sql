-- +goose Up
-- One row per projection that gave up on an event after every retry: which event (global position, stream,
-- revision, id, type) and why. It outlives the process that stopped, so `pelcro projections status`, run in
-- another process, can name the event; the row is deleted in the transaction that finally applies (or
-- skips) that event, after a fix and a restart. A row at or before the projection's checkpoint is stale and
-- never shown.
--
-- reason is a description safe to show (projections.Stop): PostgreSQL's own messages can quote the refused
-- value, so its errors are kept as SQLSTATE and object names only; the full error goes to the server log.
CREATE TABLE projection_stops (
    projection  text PRIMARY KEY,
    commit_pos  numeric(20, 0) NOT NULL,
    prepare_pos numeric(20, 0) NOT NULL,
    stream_id   text NOT NULL,
    revision    numeric(20, 0) NOT NULL,
    event_id    uuid NOT NULL,
    event_type  text NOT NULL,
    reason      text NOT NULL,
    stopped_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE projection_stops;
