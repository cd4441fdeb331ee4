package postgres

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestBinaryReadAllReadsWhatTheTextReadReads holds the binary read of $all (pgconn) to the lib/pq read it
// replaces, on the same rows: NULL against empty payloads, non-ASCII names, payloads larger than a block,
// times at the ends of PostgreSQL's range and before 2000, transaction ids out of append order, at page
// sizes that split appends and one that reads everything at once.
func TestBinaryReadAllReadsWhatTheTextReadReads(t *testing.T) {
	t.Parallel()
	// given a log with every kind of value, readable through a Store opened from its URL (binary) and one
	// built with New over the same pool (lib/pq)
	binaryStore, ctx := newTestStore(t)
	textStore := New(binaryStore.db)
	t.Cleanup(func() { _ = textStore.Close() })
	large := bytes.Repeat([]byte("0123456789abcdef"), 80_000) // 1.25 MB, more than a block
	batches := map[string][]eventstore.EventData{
		"newsletter-ascii": newEvents(5),
		"customer-é→名前":    {{ID: newEvents(1)[0].ID, Type: "test.ünïcode", Data: []byte(`{"name":"Zoë ✓"}`)}},
		"payloads-empty":   {{ID: newEvents(1)[0].ID, Type: "test.empty", Data: []byte{}, Metadata: []byte{}}},
		"payloads-null":    {{ID: newEvents(1)[0].ID, Type: "test.null"}},
		"payloads-large":   {{ID: newEvents(1)[0].ID, Type: "test.large", Data: large, Metadata: large[:300_000]}},
		"times-edge":       newEvents(4),
		"tx-early":         newEvents(3),
	}
	want := 0
	for stream, events := range batches {
		mustAppend(t, ctx, binaryStore, stream, eventstore.NoStream(), events...)
		want += len(events)
	}
	for revision, created := range []string{"4714-11-24 00:00:00+00 BC", "294276-12-31 23:59:59.999999+00",
		"1999-12-31 23:59:59.000001+00", "1969-12-31 23:59:59.999999-05:30"} {
		mustExec(t, binaryStore, `UPDATE events SET created_at = $2::timestamptz WHERE stream_id = 'times-edge' AND revision = $1`, revision, created)
	}
	mustExec(t, binaryStore, `UPDATE events SET tx_id = '1'::xid8 WHERE stream_id = 'tx-early'`)

	for _, pageSize := range []int{1, 2, 7, 10_000} {
		t.Run(fmt.Sprint("page size ", pageSize), func(t *testing.T) {
			t.Parallel()
			// when the whole log is read in pages of that size both ways
			got, wantEvents := readWholeLog(t, binaryStore, pageSize), readWholeLog(t, textStore, pageSize)
			// then both read every event, each equal field by field (nil and empty payloads apart)
			if len(got) != want || len(wantEvents) != want {
				t.Fatalf("binary read %d events, text read %d, want %d", len(got), len(wantEvents), want)
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], wantEvents[i]) || (got[i].Data == nil) != (wantEvents[i].Data == nil) ||
					(got[i].Metadata == nil) != (wantEvents[i].Metadata == nil) {
					t.Fatalf("event %d: binary read %+v, text read %+v", i, got[i], wantEvents[i])
				}
			}
		})
	}
}

// readWholeLog reads $all from the start in pages of pageSize until a short page.
func readWholeLog(t *testing.T, s *Store, pageSize int) []eventstore.RecordedEvent {
	t.Helper()
	var all []eventstore.RecordedEvent
	for from := eventstore.AllStart(); ; {
		page, err := s.ReadAll(t.Context(), from, pageSize)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < pageSize {
			return all
		}
		from = eventstore.AllAfter(page[len(page)-1].Position)
	}
}

// mustExec runs a statement on the Store's pool and fails the test on error.
func mustExec(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	if _, err := s.db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestDecodeBinaryRowReadsUnsignedIDsAndRefusesBadWidths: a transaction id beyond int64 decodes unsigned,
// and a row whose fixed-width columns are cut short is refused rather than read as zeros.
func TestDecodeBinaryRowReadsUnsignedIDsAndRefusesBadWidths(t *testing.T) {
	t.Parallel()
	be := func(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
	row := func() [][]byte {
		return [][]byte{be(1<<64 - 1), be(7), []byte("s"), be(3), make([]byte, 16), []byte("t"), nil, []byte{}, be(0)}
	}
	// given a well-formed row, when it is decoded, then the id is unsigned and the payloads keep NULL apart
	e, err := newEventScanner().decodeBinaryRow(row())
	if err != nil || e.Position.Commit != 1<<64-1 || e.Position.Prepare != 7 || e.Revision != 3 || e.Data != nil ||
		e.Metadata == nil || !e.Created.Equal(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("decoded %+v, %v", e, err)
	}
	cuts := map[string]func(r [][]byte){
		"short tx_id":    func(r [][]byte) { r[0] = r[0][:7] },
		"short seq":      func(r [][]byte) { r[1] = r[1][:4] },
		"short revision": func(r [][]byte) { r[3] = nil },
		"short event_id": func(r [][]byte) { r[4] = r[4][:15] },
		"NULL stream":    func(r [][]byte) { r[2] = nil },
		"NULL type":      func(r [][]byte) { r[5] = nil },
		"short created":  func(r [][]byte) { r[8] = r[8][:1] },
	}
	for name, cut := range cuts {
		// when a row cut that way is decoded, then it is refused
		r := row()
		cut(r)
		if e, err := newEventScanner().decodeBinaryRow(r); err == nil {
			t.Errorf("%s: decoded %+v, want an error", name, e)
		}
	}
	if e, err := newEventScanner().decodeBinaryRow(row()[:8]); err == nil {
		t.Errorf("eight columns: decoded %+v, want an error", e)
	}
}
