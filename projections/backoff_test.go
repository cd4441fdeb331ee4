package projections

import (
	"testing"
	"time"
)

func TestResubscriptionPausesDoubleUpToTheCapAndStartOverAfterProgress(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	tests := []struct {
		name    string
		backoff Backoff
		want    []time.Duration // pauses after consecutive failures, then after a failure that followed progress
	}{
		{"defaults", Backoff{}, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms, 10 * time.Second, 10 * time.Second, 100 * ms}},
		{"a cap below the default start", Backoff{Initial: 5 * ms, Max: 12 * ms}, []time.Duration{5 * ms, 10 * ms, 12 * ms, 12 * ms, 5 * ms}},
		{"a cap below the start is raised to it", Backoff{Initial: 20 * time.Second, Max: time.Second}, []time.Duration{20 * time.Second, 20 * time.Second, 20 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a feed's pauses
			pauses := tc.backoff.withDefaults().pauses()
			// when the subscription fails again and again, then progresses once and fails
			var got []time.Duration
			for range len(tc.want) - 1 {
				got = append(got, pauses.NextBackOff())
			}
			pauses.Reset()
			got = append(got, pauses.NextBackOff())
			// then each pause doubles the one before up to the cap, without jitter, and progress starts over
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Fatalf("pauses = %v, want %v", got, tc.want)
				}
			}
		})
	}
}
