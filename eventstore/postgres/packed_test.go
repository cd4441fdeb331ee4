package postgres

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestPackedPagesReadAsRows holds ReadAll's packed pages to the row-by-row query: the same events, fields,
// order and NULL-against-empty payloads, whatever the page size cuts through (transactions of one to five
// events, a system stream left out, an edge creation time).
func TestPackedPagesReadAsRows(t *testing.T) {
	t.Parallel()
	s, ctx := newTestStore(t)
	// given appends of 1 to 5 events, with empty data, no metadata and non-ASCII names among them
	for i := range 12 {
		events := newEvents(i%5 + 1)
		events[0].Metadata = nil
		if i%3 == 0 {
			events[len(events)-1].Data = []byte{}
		}
		events[0].Type = "test.é" + strings.Repeat("x", i)
		mustAppend(t, ctx, s, fmt.Sprintf("packed-%d-ü", i%4), eventstore.Any(), events...)
		if i == 5 {
			mustAppend(t, ctx, s, "$system", eventstore.Any(), newEvents(2)...)
		}
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE events SET created_at = '1999-12-31 23:59:59.000001+00' WHERE stream_id = 'packed-1-ü'`); err != nil {
		t.Fatal(err)
	}
	fence, err := s.appendFence(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.queryEvents(ctx, 100, readAllQuery, "0", int64(0), 100, fence)
	if err != nil || len(want) != 33 {
		t.Fatalf("row query: %d events, %v; want 33", len(want), err)
	}
	for _, pageSize := range []int{1, 2, 7, 100} {
		t.Run(fmt.Sprint("pages of ", pageSize), func(t *testing.T) {
			t.Parallel()
			// when $all is read in packed pages of that size
			var got []eventstore.RecordedEvent
			for from := eventstore.AllStart(); ; {
				page, err := s.ReadAll(ctx, from, pageSize)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page...)
				if len(page) < pageSize {
					break
				}
				from = eventstore.AllAfter(page[len(page)-1].Position)
			}
			// then every event reads as the row query reads it
			if len(got) != len(want) {
				t.Fatalf("read %d events, want %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) || (got[i].Metadata == nil) != (want[i].Metadata == nil) ||
					(got[i].Data == nil) != (want[i].Data == nil) {
					t.Fatalf("event %d reads %+v (data nil %v, metadata nil %v), want %+v (%v, %v)", i, got[i],
						got[i].Data == nil, got[i].Metadata == nil, want[i], want[i].Data == nil, want[i].Metadata == nil)
				}
			}
		})
	}
}

// packedColumn is one column of a row as record_send writes it; value nil is NULL.
type packedColumn struct {
	oid   uint32
	value []byte
}

// packRow writes columns as record_send does.
func packRow(columns ...packedColumn) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(columns)))
	for _, c := range columns {
		b = binary.BigEndian.AppendUint32(b, c.oid)
		if c.value == nil {
			b = binary.BigEndian.AppendUint32(b, 0xFFFFFFFF)
			continue
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(c.value)))
		b = append(b, c.value...)
	}
	return b
}

// validColumns is a well-formed event row at sequence number seq.
func validColumns(seq uint64) []packedColumn {
	eight := func(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
	return []packedColumn{{5069, eight(7)}, {20, eight(seq)}, {25, []byte("s-1")}, {20, eight(0)},
		{2950, make([]byte, 16)}, {25, []byte("t")}, {17, []byte("{}")}, {17, nil}, {1184, eight(0)}}
}

// TestUnpackRefusesMalformedRows: a value that is not what readAllPackedQuery selects is an error, never a
// wrong event or a panic.
func TestUnpackRefusesMalformedRows(t *testing.T) {
	t.Parallel()
	with := func(i int, c packedColumn) []byte {
		columns := validColumns(1)
		columns[i] = c
		return packRow(columns...)
	}
	valid := packRow(validColumns(1)...)
	cases := []struct {
		name   string
		packed []byte
	}{
		{"too few columns", packRow(validColumns(1)[:8]...)},
		{"cut in a column's header", valid[:len(valid)-13]},
		{"cut in a column's value", valid[:len(valid)-1]},
		{"another type", with(2, packedColumn{1043, []byte("s-1")})},
		{"NULL stream", with(2, packedColumn{25, nil})},
		{"NULL sequence number", with(1, packedColumn{20, nil})},
		{"short transaction id", with(0, packedColumn{5069, []byte{1}})},
		{"negative length", append(valid[:len(valid)-16:len(valid)-16], 0, 0, 4, 0xA0, 0xFF, 0xFF, 0xFF, 0xFE)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a malformed value, when it is unpacked, then it is refused
			if events, err := newEventScanner().unpack(nil, c.packed); err == nil {
				t.Fatalf("unpacked %+v, want an error", events)
			}
		})
	}
	// and the valid row it was made from unpacks
	if events, err := newEventScanner().unpack(nil, valid); err != nil || len(events) != 1 || events[0].Metadata != nil {
		t.Fatalf("valid row: %+v, %v", events, err)
	}
}

// TestOrderPageKeepsEveryEventInPositionOrder: runs in order, in another order, overlapping, or shuffled
// past the insertion's budget all end as the same events in position order.
func TestOrderPageKeepsEveryEventInPositionOrder(t *testing.T) {
	t.Parallel()
	at := func(seqs ...uint64) []eventstore.RecordedEvent {
		events := make([]eventstore.RecordedEvent, len(seqs))
		for i, seq := range seqs {
			events[i].Position = eventstore.Position{Commit: seq / 10, Prepare: seq}
		}
		return events
	}
	cases := []struct {
		name   string
		events []eventstore.RecordedEvent
		runs   []packedRun
	}{
		{"runs in order", at(1, 2, 3, 11, 12, 21), []packedRun{{0, 3}, {3, 5}, {5, 6}}},
		{"runs reversed", at(21, 11, 12, 1, 2, 3), []packedRun{{0, 1}, {1, 3}, {3, 6}}},
		{"runs overlapping", at(1, 5, 9, 2, 3, 10, 4), []packedRun{{0, 3}, {3, 6}, {6, 7}}},
		{"past the budget", at(9, 8, 7, 6, 5, 4, 3, 2, 1), []packedRun{{0, 9}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a page's events and runs, when it is ordered
			got := orderPage(c.events, c.runs)
			// then it holds each event once, in position order
			seen := map[uint64]bool{}
			for i, e := range got {
				if seen[e.Position.Prepare] || (i > 0 && got[i-1].Position.Compare(e.Position) >= 0) {
					t.Fatalf("ordered page %v", got)
				}
				seen[e.Position.Prepare] = true
			}
			if len(got) != len(c.events) {
				t.Fatalf("ordered page holds %d events, want %d", len(got), len(c.events))
			}
		})
	}
}

// TestTooLargeToPackOnlyForLimits: only a server's refusal to build the value sends the page to the row
// query; a cancelled read or a broken connection stays an error.
func TestTooLargeToPackOnlyForLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want bool
	}{
		{&pq.Error{Code: "54000"}, true},
		{fmt.Errorf("read: %w", &pq.Error{Code: "53200"}), true},
		{&pq.Error{Code: "XX000"}, true},
		{&pq.Error{Code: "57014"}, false},
		{fmt.Errorf("driver: bad connection"), false},
		{nil, false},
	}
	for _, c := range cases {
		if got := tooLargeToPack(c.err); got != c.want {
			t.Errorf("tooLargeToPack(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
