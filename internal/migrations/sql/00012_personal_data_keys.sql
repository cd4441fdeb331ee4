-- +goose Up
-- Keys of internal/personaldata, which seals the personal fields of events under a key per data subject
-- (a customer stream, a newsletter entry stream) so that deleting the key erases them from the append-only
-- log. NOT read models: no projection writes or rebuilds these tables, nothing in the event log can recreate
-- them, and losing them makes every sealed field of the log unreadable. Back them up with the event store,
-- and never restore a backup older than the last erasure (it would bring erased keys back).

-- One data key per subject and generation, wrapped (AES-256-GCM) by the master key master_key_id names. A
-- subject gets generation erased_through + 1 on its first sealed event after an erasure (generation 1 when
-- never erased), so a newsletter entry subscribed again after its erasure is sealed under a new key while the
-- erased one stays gone. Rows are never updated but by a rewrap under a new master key.
CREATE TABLE personal_data_keys (
    subject       text COLLATE "C" NOT NULL,
    generation    integer NOT NULL CHECK (generation >= 1),
    wrapped_key   bytea NOT NULL,
    master_key_id text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, generation)
);
CREATE INDEX personal_data_keys_master_key ON personal_data_keys (master_key_id);

-- Erased subjects: every generation up to erased_through is shredded (its key row deleted), and values
-- stored in plaintext before sealing existed (generation 0) are no longer served either.
CREATE TABLE personal_data_erasures (
    subject        text COLLATE "C" PRIMARY KEY,
    erased_through integer NOT NULL CHECK (erased_through >= 0),
    erased_at      timestamptz NOT NULL
);

-- Secrets of the deployment kept wrapped by the master key: the stream naming secret (keyed hashes of emails
-- in stream names), generated once by the first instance. It must never change: stream names derive from it.
CREATE TABLE personal_data_secrets (
    name           text PRIMARY KEY,
    wrapped_secret bytea NOT NULL,
    master_key_id  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE personal_data_secrets;
DROP TABLE personal_data_erasures;
DROP TABLE personal_data_keys;
