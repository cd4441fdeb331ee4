package postgres

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestClosedStoreRefusesEveryCall(t *testing.T) {
	t.Parallel()
	// Given a Store over a pool it does not own (the pool stays open after Close).
	owner, ctx := newTestStore(t)
	store := New(owner.db)
	mustAppend(t, ctx, store, "customer-1", eventstore.NoStream(), newEvents(1)...)

	// When it is closed.
	if err := store.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	// Then every call fails with ErrClosed instead of quietly preparing statements nobody releases.
	calls := map[string]func() error{
		"append": func() error {
			_, err := store.Append(ctx, "customer-1", eventstore.Exact(0), newEvents(1)...)
			return err
		},
		"read stream": func() error {
			_, err := store.ReadStream(ctx, "customer-1", eventstore.Forwards, eventstore.StreamStart(), 10)
			return err
		},
		"read all": func() error {
			_, err := store.ReadAll(ctx, eventstore.AllStart(), 10)
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}
}
