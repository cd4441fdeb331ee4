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

func TestACommandDecidedAlikeOrNewTrustsTheCachedStateUntilTheLogDisagrees(t *testing.T) {
	t.Parallel()
	// marks are the commands whose first attempt may decide on the cache: one every process decides alike
	// (the billing clock's), one whose id was drawn for this call (a request without an Idempotency-Key)
	marks := []struct {
		name string
		mark func(commands.Envelope) commands.Envelope
	}{
		{"alike", commands.Alike},
		{"new id", func(env commands.Envelope) commands.Envelope { env.NewCommandID = true; return env }},
	}
	type tailCase struct {
		name string
		mark func(commands.Envelope) commands.Envelope
		// rival is what another process added to the counter since this one folded it
		rival       int
		decide      func(counter) ([]counterEvent, error)
		wantRead    bool
		wantErr     bool
		wantCounter int
	}
	cases := []tailCase{{name: "any other command reads the tail", mark: func(env commands.Envelope) commands.Envelope { return env },
		decide: increment(1), wantRead: true, wantCounter: 6}}
	for _, m := range marks {
		cases = append(cases,
			tailCase{name: m.name + ", nobody wrote since: decided on the cache, nothing read", mark: m.mark,
				decide: increment(1), wantCounter: 6},
			tailCase{name: m.name + ", another process wrote since: the append is refused, the tail read and decided again",
				mark: m.mark, rival: 10, decide: increment(1), wantRead: true, wantCounter: 16},
			tailCase{name: m.name + ", refused on the cache: decided again on the log, which allows it", mark: m.mark,
				rival: 10, decide: fromTen, wantRead: true, wantCounter: 16},
			tailCase{name: m.name + ", refused on the cache and on the log", mark: m.mark, decide: fromTen,
				wantRead: true, wantErr: true, wantCounter: 5})
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
			_, err := commands.Handle(ctx, store, counterAggregate, id, c.mark(envelope("mine")), c.decide)
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
