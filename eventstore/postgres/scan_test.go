package postgres

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestEventsReadBackEdgeValuesExactly holds the binary read of positions, ids and times to what PostgreSQL
// stores: the ends of timestamptz's range, times before 2000 (negative offsets from PostgreSQL's epoch) to
// the microsecond, transaction ids beyond int64, and NULL against empty payloads.
func TestEventsReadBackEdgeValuesExactly(t *testing.T) {
	t.Parallel()
	s, ctx := newTestStore(t)
	cases := []struct {
		createdAt string // as PostgreSQL reads it
		want      time.Time
		txID      uint64
	}{
		{"4714-11-24 00:00:00+00 BC", time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC), 1},
		{"294276-12-31 23:59:59.999999+00", time.Date(294276, 12, 31, 23, 59, 59, 999_999_000, time.UTC), 1 << 63},
		{"1999-12-31 23:59:59.000001+00", time.Date(1999, 12, 31, 23, 59, 59, 1000, time.UTC), 1<<64 - 1},
		{"2000-01-01 00:00:00+00", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), 1<<63 - 1},
		{"1969-12-31 23:59:59.999999-05:30", time.Date(1970, 1, 1, 5, 29, 59, 999_999_000, time.UTC), 3},
		{"2026-12-05 14:00:00.123456+01", time.Date(2026, 12, 5, 13, 0, 0, 123_456_000, time.UTC), 1 << 32},
	}
	for i, c := range cases {
		t.Run(c.createdAt, func(t *testing.T) {
			t.Parallel()
			// given an event stored with that time, transaction id and an empty payload but no metadata
			stream := fmt.Sprintf("edge-%d", i)
			event := eventstore.EventData{ID: newEvents(1)[0].ID, Type: "test.edge", Data: []byte{}}
			mustAppend(t, ctx, s, stream, eventstore.NoStream(), event)
			if _, err := s.db.ExecContext(ctx, `UPDATE events SET created_at = $2::timestamptz, tx_id = $3::xid8 WHERE stream_id = $1`,
				stream, c.createdAt, fmt.Sprint(c.txID)); err != nil {
				t.Fatal(err)
			}
			// when it is read back
			events, err := s.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 1)
			if err != nil {
				t.Fatal(err)
			}
			// then every field is what was stored
			got := events[0]
			if !got.Created.Equal(c.want) || got.Created.Location() != time.UTC || got.Position.Commit != c.txID ||
				got.ID != event.ID || got.StreamID != stream || got.Type != "test.edge" || got.Data == nil ||
				len(got.Data) != 0 || got.Metadata != nil {
				t.Fatalf("read back %+v (data nil %v, metadata nil %v, utc %v), want created %s, commit %d, id %s, empty data, nil metadata", got, got.Data == nil, got.Metadata == nil, got.Created.Location() == time.UTC, c.want, c.txID, event.ID)
			}
		})
	}
}

// TestEventsOfOneReadKeepTheirOwnBytes: the events of one read share blocks of memory, so appending to one
// event's payload must never write over the next one's.
func TestEventsOfOneReadKeepTheirOwnBytes(t *testing.T) {
	t.Parallel()
	s, ctx := newTestStore(t)
	// given a stream of events read in one query
	mustAppend(t, ctx, s, "owned-1", eventstore.NoStream(), newEvents(50)...)
	events, err := s.ReadStream(ctx, "owned-1", eventstore.Forwards, eventstore.StreamStart(), 50)
	if err != nil {
		t.Fatal(err)
	}
	// when every payload and metadata is appended to
	for i := range events {
		_ = append(events[i].Data, "garbage"...)
		_ = append(events[i].Metadata, "garbage"...)
	}
	// then every event still holds what was appended
	for i, e := range events {
		if want := fmt.Appendf(nil, `{"index": %d}`, i); !bytes.Equal(e.Data, want) || string(e.Metadata) != `{"source": "test"}` {
			t.Fatalf("event %d reads %s / %s, want %s", i, e.Data, e.Metadata, want)
		}
	}
}

// TestTimestampFromBinaryRefusesInfinity: PostgreSQL's infinite timestamps have no time.Time.
func TestTimestampFromBinaryRefusesInfinity(t *testing.T) {
	t.Parallel()
	for _, micros := range []int64{1<<63 - 1, -1 << 63} {
		if got, err := timestampFromBinary(micros); err == nil {
			t.Errorf("timestampFromBinary(%d) = %s, want an error", micros, got)
		}
	}
}
