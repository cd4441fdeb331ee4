package main

import "github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"

// environment is a throw-away database holding both our event store and the raw baseline table, so both
// sides share the server, its WAL and its fsyncs.
type environment struct {
	*benchenv.Database
}

// rawSchema mirrors the event store's payload columns with only a primary key: the cheapest correct way
// to keep the same data, and the baseline our store's extra guarantees are measured against.
const rawSchema = `CREATE TABLE raw_events (
    id         bigserial PRIMARY KEY,
    stream_id  text  NOT NULL,
    revision   bigint NOT NULL,
    event_id   uuid  NOT NULL,
    event_type text  NOT NULL,
    data       bytea NOT NULL,
    metadata   bytea
)`
