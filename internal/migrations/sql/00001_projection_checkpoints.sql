-- +goose Up
-- One row per projection (name includes its version): the global position of the last event applied.
-- It is written in the same transaction as the read-model rows it covers.
CREATE TABLE projection_checkpoints (
    projection  text PRIMARY KEY,
    commit_pos  numeric(20, 0) NOT NULL,
    prepare_pos numeric(20, 0) NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE projection_checkpoints;
