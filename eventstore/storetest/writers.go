package storetest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Workload of the concurrency cases: sized for a 2-core machine under -race (about 320 events per case).
const (
	appendsPerWriter = 20
	// maxConflictRetries bounds reload-and-retry on a shared stream; reaching it means appends starve.
	maxConflictRetries = 100
)

// writeMode is how a writer chooses the expected revision of its appends.
type writeMode int

const (
	// ownStream appends to a stream only this writer uses, with the exact revision its last append returned.
	ownStream writeMode = iota
	// reloadOnConflict shares its stream: it reads the stream's last revision, appends with exactly that,
	// and on a wrong-expected-version error reloads and tries again, like the command pipeline.
	reloadOnConflict
	// anyRevision shares its stream and appends with Any.
	anyRevision
)

// writer is one concurrent appender of the concurrency cases.
type writer struct {
	store  eventstore.Store
	b      Backend
	stream string
	mode   writeMode
	// slow writers hold some of their writes uncommitted through Backend.SlowAppend, when the backend has it.
	slow bool
}

// writers returns the concurrency cases' eight writers: four on their own streams and two pairs on shared
// streams (one writer of each pair retrying exact revisions, the other appending with Any); half are slow.
func (f *fixture) writers(b Backend) []writer {
	var ws []writer
	for i := range 4 {
		ws = append(ws, writer{store: f.store, b: b, stream: f.stream(fmt.Sprint("own-", i)), mode: ownStream, slow: i%2 == 1})
	}
	for i := range 2 {
		shared := f.stream(fmt.Sprint("shared-", i))
		ws = append(ws,
			writer{store: f.store, b: b, stream: shared, mode: reloadOnConflict, slow: i == 1},
			writer{store: f.store, b: b, stream: shared, mode: anyRevision, slow: i == 0})
	}
	return ws
}

// run performs the writer's appends, recording each committed one in book.
func (w writer) run(ctx context.Context, book *ledger) error {
	next := eventstore.NoStream()
	for i := range appendsPerWriter {
		events := newEvents(1 + i%3)
		hold := w.hold(i)
		var res eventstore.AppendResult
		var err error
		switch w.mode {
		case ownStream:
			res, err = w.append(ctx, next, hold, events)
			next = eventstore.Exact(res.NextRevision)
		case reloadOnConflict:
			res, err = w.appendReloading(ctx, hold, events)
		case anyRevision:
			res, err = w.append(ctx, eventstore.Any(), hold, events)
		}
		if err != nil {
			return fmt.Errorf("writer of %s, append %d: %w", w.stream, i, err)
		}
		book.record(w.stream, events, res)
	}
	return nil
}

// hold returns how long append i stays uncommitted: 50–300 ms for every fifth append of a slow writer.
func (w writer) hold(i int) time.Duration {
	if !w.slow || w.b.SlowAppend == nil || i%5 != 2 {
		return 0
	}
	return 50*time.Millisecond + time.Duration((i*37+len(w.stream)*11)%250)*time.Millisecond
}

// append appends through SlowAppend when the write is to be held, else through Store.Append.
func (w writer) append(ctx context.Context, expected eventstore.ExpectedRevision, hold time.Duration, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if hold > 0 {
		return w.b.SlowAppend(ctx, w.store, w.stream, expected, hold, events...)
	}
	return w.store.Append(ctx, w.stream, expected, events...)
}

// appendReloading appends at the stream's current last revision, reloading it after each conflict.
func (w writer) appendReloading(ctx context.Context, hold time.Duration, events []eventstore.EventData) (eventstore.AppendResult, error) {
	for range maxConflictRetries {
		expected, err := w.lastRevision(ctx)
		if err != nil {
			return eventstore.AppendResult{}, err
		}
		res, err := w.append(ctx, expected, hold, events)
		if !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
			return res, err
		}
	}
	return eventstore.AppendResult{}, fmt.Errorf("still conflicting after %d reloads", maxConflictRetries)
}

// lastRevision reads the stream's newest event and returns the condition that appends right after it.
func (w writer) lastRevision(ctx context.Context) (eventstore.ExpectedRevision, error) {
	last, err := w.store.ReadStream(ctx, w.stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	switch {
	case errors.Is(err, eventstore.ErrStreamNotFound):
		return eventstore.NoStream(), nil
	case err != nil:
		return eventstore.ExpectedRevision{}, fmt.Errorf("reload: %w", err)
	case len(last) != 1:
		return eventstore.ExpectedRevision{}, fmt.Errorf("reload: read backwards from the end returned %d events", len(last))
	}
	return eventstore.Exact(last[0].Revision), nil
}
