package reservation_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
)

var (
	keys      = aggtest.For(reservation.Events, reservation.Evolve)
	claimTime = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	now       = claimTime.Add(reservation.GracePeriod)
)

func claimedBy(owner int64) reservation.Claimed {
	return reservation.Claimed{OwnerID: owner, ClaimedAt: claimTime}
}

func claim(owner int64, stillHolds bool, at time.Time) func(reservation.State) ([]reservation.Event, error) {
	return func(s reservation.State) ([]reservation.Event, error) {
		return reservation.Claim(s, owner, stillHolds, at)
	}
}

func TestClaim(t *testing.T) {
	t.Parallel()
	released := reservation.Released{OwnerID: 7, ReleasedAt: claimTime}
	cases := []struct {
		name       string
		given      []reservation.Event
		owner      int64
		stillHolds bool
		at         time.Time
		want       []reservation.Event
	}{
		{"a free key is claimed", nil, 7, false, now,
			[]reservation.Event{reservation.Claimed{OwnerID: 7, ClaimedAt: now}}},
		{"a released key is free again", []reservation.Event{claimedBy(7), released}, 8, true, now,
			[]reservation.Event{reservation.Claimed{OwnerID: 8, ClaimedAt: now}}},
		{"the owner claiming again changes nothing", []reservation.Event{claimedBy(7)}, 7, false, now, nil},
		{"a stale claim whose owner lets go is taken over", []reservation.Event{claimedBy(7)}, 8, false, now,
			[]reservation.Event{reservation.Claimed{OwnerID: 8, PreviousOwnerID: 7, ClaimedAt: now}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			keys.Given(c.given...).When(claim(c.owner, c.stillHolds, c.at)).Then(t, c.want...)
		})
	}
}

func TestClaimRefuses(t *testing.T) {
	t.Parallel()
	justInside := now.Add(-time.Nanosecond)
	cases := []struct {
		name       string
		given      []reservation.Event
		owner      int64
		stillHolds bool
		at         time.Time
		want       error
	}{
		{"a key another owner still holds", []reservation.Event{claimedBy(7)}, 8, true, now, reservation.ErrTaken},
		{"a key another owner still holds, long after", []reservation.Event{claimedBy(7)}, 8, true,
			now.Add(24 * time.Hour), reservation.ErrTaken},
		{"a claim inside its grace period, even when its owner does not hold it yet",
			[]reservation.Event{claimedBy(7)}, 8, false, justInside, reservation.ErrTaken},
		{"owner 0, which means free", nil, 0, false, now, reservation.ErrInvalidOwner},
		{"a negative owner", nil, -3, false, now, reservation.ErrInvalidOwner},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			keys.Given(c.given...).When(claim(c.owner, c.stillHolds, c.at)).ThenError(t, c.want)
		})
	}
}

func TestRelease(t *testing.T) {
	t.Parallel()
	release := func(owner int64) func(reservation.State) ([]reservation.Event, error) {
		return func(s reservation.State) ([]reservation.Event, error) { return reservation.Release(s, owner, now) }
	}
	takenOver := reservation.Claimed{OwnerID: 8, PreviousOwnerID: 7, ClaimedAt: now}
	cases := []struct {
		name  string
		given []reservation.Event
		owner int64
		want  []reservation.Event
	}{
		{"the owner frees the key", []reservation.Event{claimedBy(7)}, 7,
			[]reservation.Event{reservation.Released{OwnerID: 7, ReleasedAt: now}}},
		{"another owner cannot free it", []reservation.Event{claimedBy(7)}, 8, nil},
		{"a former owner cannot free a key taken over", []reservation.Event{claimedBy(7), takenOver}, 7, nil},
		{"a free key stays free", nil, 7, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			keys.Given(c.given...).When(release(c.owner)).Then(t, c.want...)
		})
	}
}

func TestStateTellsWhenToAskTheOwner(t *testing.T) {
	t.Parallel()
	held := reservation.Evolve(reservation.State{}, claimedBy(7))
	cases := []struct {
		name             string
		state            reservation.State
		owner            int64
		at               time.Time
		byAnother, stale bool
	}{
		{"free", reservation.State{}, 8, now, false, false},
		{"held by the asker", held, 7, now, false, true},
		{"held by another, young", held, 8, now.Add(-time.Second), true, false},
		{"held by another, stale", held, 8, now, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := c.state.HeldByAnother(c.owner); got != c.byAnother {
				t.Errorf("HeldByAnother(%d) = %v, want %v", c.owner, got, c.byAnother)
			}
			if got := c.state.Stale(c.at); got != c.stale {
				t.Errorf("Stale(%v) = %v, want %v", c.at, got, c.stale)
			}
		})
	}
}
