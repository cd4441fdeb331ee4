-- The event log and its append function. Positions are (tx_id, seq): readers of $all only read rows whose
-- transaction id is below the xmin of their snapshot, so a transaction that commits late can never place an
-- event before a position a reader has already passed (see read.go). Changing the meaning of these columns
-- changes every persisted checkpoint: add columns, never repurpose them.

-- +goose Up
CREATE TABLE events (
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    tx_id      xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id  text COLLATE "C" NOT NULL, -- byte order: cheaper index comparisons, prefix LIKE can use them
    revision   bigint      NOT NULL CHECK (revision >= 0),
    event_id   uuid        NOT NULL,
    event_type text        NOT NULL,
    data       bytea,
    metadata   bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_position_pkey PRIMARY KEY (tx_id, seq),
    CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
);
-- Event ids identify retries within their stream, as in EventStoreDB: a retry is recognised when its ids sit
-- where its expected revision says; ids are not checked otherwise (an Exact append may repeat an id that sits
-- elsewhere in the stream, as on EventStoreDB). They deliberately carry no index of their own: a third index on
-- every append costs more than the rare retry that looks ids up within its stream.

-- pelcro_append is the complete append: the Go side's fast path (one INSERT guarded by the unique key) falls
-- back to it whenever that INSERT writes nothing or loses a race, and Any / StreamExists appends use it
-- directly. p_expected: -1 any, -2 no stream, -3 stream exists, >= 0 the exact last revision.
-- outcome: 'appended', 'duplicate' (every id is already at the expected place: the original result is
-- returned and nothing is written) or 'wrong_version' (actual tells the stream's last revision, NULL when the
-- stream has no events). A concurrent writer that wins the race makes the INSERT fail with unique_violation;
-- the caller retries the whole call, which then sees the winner's rows. There is deliberately no EXCEPTION
-- block: it would open a subtransaction on every append.
-- +goose StatementBegin
CREATE FUNCTION pelcro_append(
    p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data bytea[], p_metadata bytea[],
    OUT outcome text, OUT actual bigint, OUT last_revision bigint, OUT last_tx_id xid8, OUT last_seq bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_count  int := coalesce(cardinality(p_ids), 0);
    v_found  int;
    v_offset bigint;
    v_spread bigint;
BEGIN
    -- Appends that take whatever revision is free (any, stream exists) queue on a lock of their stream
    -- instead of racing each other through unique violations and retries, which can starve a writer on a
    -- hot stream. The lock is per stream (a 64-bit hash of its name), held to commit: other streams never
    -- wait for it.
    IF p_expected IN (-1, -3) THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));
    END IF;

    SELECT max(e.revision) INTO actual FROM events e WHERE e.stream_id = p_stream;

    SELECT count(*), min(e.revision - i.ord), max(e.revision - i.ord) - min(e.revision - i.ord)
      INTO v_found, v_offset, v_spread
      FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord)
      JOIN events e ON e.stream_id = p_stream AND e.event_id = i.id;

    IF v_found > 0 THEN
        -- A retry: acknowledged only when the whole batch sits consecutively, in order, in this stream, at a
        -- place the expected revision allows. v_offset + 1 is the revision of the batch's first event.
        IF v_found = v_count AND v_spread = 0 AND (
               p_expected = -1
            OR (p_expected = -2 AND v_offset = -1)
            OR (p_expected = -3 AND v_offset >= 0)
            OR (p_expected >= 0 AND v_offset = p_expected)) THEN
            outcome := 'duplicate';
            last_revision := v_offset + v_count;
            SELECT e.tx_id, e.seq INTO last_tx_id, last_seq FROM events e
             WHERE e.stream_id = p_stream AND e.revision = last_revision;
        ELSE
            outcome := 'wrong_version';
        END IF;
        RETURN;
    END IF;

    -- Every branch must be TRUE or FALSE, never NULL: NOT NULL would let a wrong expectation through.
    IF NOT (p_expected = -1
         OR (p_expected = -2 AND actual IS NULL)
         OR (p_expected = -3 AND actual IS NOT NULL)
         OR (p_expected >= 0 AND actual IS NOT NULL AND actual = p_expected)) THEN
        outcome := 'wrong_version';
        RETURN;
    END IF;

    outcome := 'appended';
    last_revision := coalesce(actual, -1) + v_count;
    IF v_count = 0 THEN
        RETURN;
    END IF;
    WITH inserted AS (
        INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
        SELECT p_stream, coalesce(actual, -1) + b.ord, b.id, b.type, b.data, b.metadata
          FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS b(id, type, data, metadata, ord)
         ORDER BY b.ord
        RETURNING seq)
    SELECT max(seq) INTO last_seq FROM inserted;
    last_tx_id := pg_current_xact_id();
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION pelcro_append(text, bigint, uuid[], text[], bytea[], bytea[]);
DROP TABLE events;
