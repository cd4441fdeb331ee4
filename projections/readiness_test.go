package projections

import "testing"

func TestAStopAloneDegradesReadinessWhileAProjectionNotRunningFailsIt(t *testing.T) {
	t.Parallel()
	stopped := Stop{Projection: "newsletters.v1"}
	cases := []struct {
		name         string
		notReady     NotReadyError
		wantDegraded bool
	}{
		// every instance reads the same log and stops on the same event: removing this one helps nobody
		{"one projection stopped", NotReadyError{Stopped: []Stop{stopped}}, true},
		{"every projection stopped", NotReadyError{Stopped: []Stop{stopped, {Projection: "customers.v1"}}}, true},
		// this instance has not started (or lost) a projection another instance may be running
		{"one projection not running", NotReadyError{NotRunning: []string{"customers.v1"}}, false},
		{"one stopped, one not running", NotReadyError{Stopped: []Stop{stopped}, NotRunning: []string{"customers.v1"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the runner's readiness error, when /readyz asks whether the instance can still serve
			got := tc.notReady.ReadinessDegraded()
			// then only a stop alone says so
			if got != tc.wantDegraded {
				t.Fatalf("ReadinessDegraded() = %v, want %v", got, tc.wantDegraded)
			}
		})
	}
}
