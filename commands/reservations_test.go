package commands_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

const scope = "customer_email"

var claimedAt = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// clockAt is a Reservations clock stopped at t.
func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// holdsAnswer is a holds callback that answers held and counts its calls.
func holdsAnswer(held bool, calls *atomic.Int32) func(context.Context, int64) (bool, error) {
	return func(context.Context, int64) (bool, error) { calls.Add(1); return held, nil }
}

// mustClaim claims the value for owner at claimedAt and fails the test if it cannot.
func mustClaim(ctx context.Context, t *testing.T, r commands.Reservations, account int64, value string, owner int64) {
	t.Helper()
	var calls atomic.Int32
	if err := r.Claim(ctx, envelope(uuid.NewString()), scope, account, value, owner, holdsAnswer(true, &calls)); err != nil {
		t.Fatalf("claim %q for %d: %v", value, owner, err)
	}
}

// ownerOf returns who holds the value, 0 for nobody.
func ownerOf(ctx context.Context, t *testing.T, r commands.Reservations, account int64, value string) int64 {
	t.Helper()
	owner, held, err := r.Owner(ctx, scope, account, value)
	if err != nil {
		t.Fatalf("owner of %q: %v", value, err)
	}
	if held != (owner != 0) {
		t.Errorf("owner of %q = %d, held %v: held must say whether the owner is set", value, owner, held)
	}
	return owner
}

func TestReservationsClaim(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	r := commands.Reservations{Store: store, Names: testNames, Now: clockAt(claimedAt)}
	const account = 5
	mustClaim(ctx, t, r, account, "ann@example.com", 7)
	cases := []struct {
		name      string
		after     time.Duration
		account   int64
		value     string
		owner     int64
		held      bool
		want      error
		wantOwner int64
		wantCalls int32
	}{
		{"a free value is claimed", 0, account, "bob@example.com", 8, false, nil, 8, 0},
		{"the owner claiming again is a no-op", 0, account, "ann@example.com", 7, false, nil, 7, 0},
		{"another owner is refused inside the grace period without asking", time.Second, account, "ann@example.com", 8,
			false, reservation.ErrTaken, 7, 0},
		{"another owner is refused when the owner still holds the value", reservation.GracePeriod, account,
			"ann@example.com", 8, true, reservation.ErrTaken, 7, 1},
		{"the same value is free in another account", 0, account + 1, "ann@example.com", 9, false, nil, 9, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given ann@example.com claimed by 7 in the account
			// when the value is claimed
			var calls atomic.Int32
			later := commands.Reservations{Store: store, Names: testNames, Now: clockAt(claimedAt.Add(c.after))}
			err := later.Claim(ctx, envelope(uuid.NewString()), scope, c.account, c.value, c.owner, holdsAnswer(c.held, &calls))
			// then the claim succeeds or is refused, and the value has the wanted owner
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("Claim = %v, want %v", err, c.want)
			}
			if got := ownerOf(ctx, t, r, c.account, c.value); got != c.wantOwner {
				t.Errorf("owner = %d, want %d", got, c.wantOwner)
			}
			if calls.Load() != c.wantCalls {
				t.Errorf("holds called %d times, want %d", calls.Load(), c.wantCalls)
			}
		})
	}
}

func TestReservationsTakeOverAClaimLeftHalfWay(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	cases := []struct {
		name      string
		account   int64
		after     time.Duration
		want      error
		wantOwner int64
	}{
		{"a claim older than the grace period is taken over", 1, reservation.GracePeriod, nil, 8},
		{"a younger claim is not: its registration may still be running", 2, reservation.GracePeriod - time.Second,
			reservation.ErrTaken, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a claim by 7, whose registration crashed before its customer stream was written
			mustClaim(ctx, t, commands.Reservations{Store: store, Names: testNames, Now: clockAt(claimedAt)}, c.account, "ann@example.com", 7)
			var asked []int64
			holds := func(_ context.Context, owner int64) (bool, error) { asked = append(asked, owner); return false, nil }
			// when 8 claims the value later
			later := commands.Reservations{Store: store, Names: testNames, Now: clockAt(claimedAt.Add(c.after))}
			err := later.Claim(ctx, envelope(uuid.NewString()), scope, c.account, "ann@example.com", 8, holds)
			// then the value goes to 8 only past the grace period, and only after 7 was found not to hold it
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("Claim = %v, want %v", err, c.want)
			}
			if got := ownerOf(ctx, t, later, c.account, "ann@example.com"); got != c.wantOwner {
				t.Errorf("owner = %d, want %d", got, c.wantOwner)
			}
			if c.want == nil && (len(asked) != 1 || asked[0] != 7) {
				t.Errorf("holds asked about %v, want [7]", asked)
			}
		})
	}
}

func TestReservationsClaimedConcurrentlyHaveOneOwner(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	r := commands.Reservations{Store: newStore(t), Names: testNames}
	// when 50 owners claim the same value at once
	errs := make([]error, 50)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			errs[i] = r.Claim(ctx, envelope(uuid.NewString()), scope, 1, "ann@example.com", int64(i+1),
				func(context.Context, int64) (bool, error) { return true, nil })
		})
	}
	wg.Wait()
	// then exactly one wins, every other is told the value is taken, and the winner owns it
	winner, taken := int64(0), 0
	for i, err := range errs {
		switch {
		case err == nil && winner == 0:
			winner = int64(i + 1)
		case errors.Is(err, reservation.ErrTaken):
			taken++
		default:
			t.Errorf("claim by %d: %v", i+1, err)
		}
	}
	if winner == 0 || taken != 49 {
		t.Fatalf("winner %d, %d taken; want one winner and 49 taken", winner, taken)
	}
	if got := ownerOf(ctx, t, r, 1, "ann@example.com"); got != winner {
		t.Errorf("owner = %d, want the winner %d", got, winner)
	}
}

func TestReservationsRelease(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	r := commands.Reservations{Store: newStore(t), Names: testNames, Now: clockAt(claimedAt)}
	cases := []struct {
		name      string
		account   int64
		releaser  int64
		wantOwner int64
	}{
		{"the owner frees the value", 1, 7, 0},
		{"another owner's release is a no-op", 2, 8, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a value claimed by 7
			mustClaim(ctx, t, r, c.account, "ann@example.com", 7)
			// when it is released
			if err := r.Release(ctx, envelope(uuid.NewString()), scope, c.account, "ann@example.com", c.releaser); err != nil {
				t.Fatalf("Release: %v", err)
			}
			// then it has the wanted owner, and a freed value can be claimed by someone else at once
			if got := ownerOf(ctx, t, r, c.account, "ann@example.com"); got != c.wantOwner {
				t.Errorf("owner = %d, want %d", got, c.wantOwner)
			}
			if c.wantOwner == 0 {
				mustClaim(ctx, t, r, c.account, "ann@example.com", 9)
			}
		})
	}
}

func TestReservationStreamsHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	// given a claimed email
	mustClaim(ctx, t, commands.Reservations{Store: store, Names: testNames}, 42, "ann@example.com", 7)
	// then its stream is named by the hash of account and value, and nothing stored spells the email
	stream, err := testNames.ReservationStream(scope, 42, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	events, err := store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("read %s: %d events, %v; want the claim", stream, len(events), err)
	}
	for _, part := range []string{stream, string(events[0].Data), string(events[0].Metadata)} {
		if strings.Contains(part, "ann") {
			t.Errorf("stored %q spells the email", part)
		}
	}
}

func TestReservationsRefuse(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	failure := errors.New("customer stream unreadable")
	mustClaim(ctx, t, commands.Reservations{Store: store, Names: testNames, Now: clockAt(claimedAt)}, 1, "ann@example.com", 7)
	later := commands.Reservations{Store: store, Names: testNames, Now: clockAt(claimedAt.Add(time.Hour))}
	failing := func(context.Context, int64) (bool, error) { return false, failure }
	cases := []struct {
		name  string
		scope string
		owner int64
		want  error
	}{
		{"a scope that would break the stream name", "customer-email", 8, commands.ErrInvalidScope},
		{"an empty scope", "", 8, commands.ErrInvalidScope},
		{"owner 0, which means free", scope, 0, reservation.ErrInvalidOwner},
		{"a claim whose holds check fails", scope, 8, failure},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := later.Claim(ctx, envelope(uuid.NewString()), c.scope, 1, "ann@example.com", c.owner, failing)
			if !errors.Is(err, c.want) {
				t.Errorf("Claim = %v, want %v", err, c.want)
			}
			if got := ownerOf(ctx, t, later, 1, "ann@example.com"); got != 7 {
				t.Errorf("owner = %d after a refused claim, want 7", got)
			}
		})
	}
	if _, _, err := later.Owner(ctx, "Customer", 1, "ann@example.com"); !errors.Is(err, commands.ErrInvalidScope) {
		t.Errorf("Owner with an invalid scope = %v, want ErrInvalidScope", err)
	}
}
