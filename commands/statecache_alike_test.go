package commands_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// fromTen increments the counter by one once it reached ten, and refuses below.
func fromTen(s counter) ([]counterEvent, error) {
	if s.value < 10 {
		return nil, errors.New("below ten")
	}
	return increment(1)(s)
}

func TestACommandDecidedAlikeTrustsTheCachedStateUntilTheLogDisagrees(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// alike: the command is one every process decides alike (the billing clock's)
		alike bool
		// rival is what another process added to the counter since this one folded it
		rival       int
		decide      func(counter) ([]counterEvent, error)
		wantRead    bool
		wantErr     bool
		wantCounter int
	}{
		{name: "alike, nobody wrote since: decided on the cache, nothing read", alike: true,
			decide: increment(1), wantCounter: 6},
		{name: "alike, another process wrote since: the append is refused, the tail read and decided again",
			alike: true, rival: 10, decide: increment(1), wantRead: true, wantCounter: 16},
		{name: "alike, refused on the cache: decided again on the log, which allows it", alike: true, rival: 10,
			decide: fromTen, wantRead: true, wantCounter: 16},
		{name: "alike, refused on the cache and on the log", alike: true, decide: fromTen, wantRead: true,
			wantErr: true, wantCounter: 5},
		{name: "any other command reads the tail", decide: increment(1), wantRead: true, wantCounter: 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			// given a counter at 5 this process folded, and what another process appended since
			store := &readCounter{Store: newStore(t)}
			id := incremented(ctx, t, store, 5)
			if c.rival > 0 {
				if _, err := commands.Handle(ctx, store.Store, counterAggregate, id, envelope("rival"), increment(c.rival)); err != nil {
					t.Fatalf("rival: %v", err)
				}
			}
			store.events.Store(0)
			// when the command runs
			env := envelope("mine")
			if c.alike {
				env = commands.Alike(env)
			}
			_, err := commands.Handle(ctx, store, counterAggregate, id, env, c.decide)
			// then it read the stream only when the cache could be behind, and the log holds the decision the
			// whole history allows
			if (err != nil) != c.wantErr {
				t.Fatalf("Handle: %v, want an error: %v", err, c.wantErr)
			}
			if read := store.events.Load() > 0; read != c.wantRead {
				t.Errorf("read %d events of the stream, want a read: %v", store.events.Load(), c.wantRead)
			}
			if got := currentCounter(ctx, t, store.Store, id).value; got != c.wantCounter {
				t.Errorf("counter = %d, want %d", got, c.wantCounter)
			}
		})
	}
}
