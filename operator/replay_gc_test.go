package operator

import (
	"runtime/debug"
	"testing"
)

// TestReplayOnlyRaisesTheCollectorsTarget: a replay raises GOGC to replayGCPercent for its duration, never
// lowers a higher one or turns collection back on, and puts back what it found. Not parallel: the target is
// the process's.
func TestReplayOnlyRaisesTheCollectorsTarget(t *testing.T) {
	cases := []struct {
		name          string
		before, while int
	}{
		{"the default target", 100, replayGCPercent},
		{"a lower target", 50, replayGCPercent},
		{"a higher target", 800, 800},
		{"collection off", -1, -1},
	}
	original := debug.SetGCPercent(100)
	defer debug.SetGCPercent(original)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given the process's target
			debug.SetGCPercent(c.before)
			// when a replay raises it, and then ends
			replaced := raiseGCPercent(replayGCPercent)
			while := debug.SetGCPercent(c.before)
			debug.SetGCPercent(while)
			restoreGCPercent(replaced)
			// then it ran with the higher of the two, and the target is back
			if after := debug.SetGCPercent(c.before); while != c.while || after != c.before {
				t.Errorf("target during the replay %d, after %d; want %d, then %d", while, after, c.while, c.before)
			}
		})
	}
}

// TestOverlappingReplaysPutBackTheTargetTheFirstFound: the target stays raised until the last replay ends,
// then is what it was before the first. Not parallel: the target is the process's.
func TestOverlappingReplaysPutBackTheTargetTheFirstFound(t *testing.T) {
	original := debug.SetGCPercent(100)
	defer debug.SetGCPercent(original)
	// given two replays that overlap
	endFirst := raiseGCDuringReplay()
	endSecond := raiseGCDuringReplay()
	// when the first ends, then the second
	endFirst()
	between := debug.SetGCPercent(-1)
	debug.SetGCPercent(between)
	endSecond()
	// then the second ran with the raised target to its end, and the target is back at 100
	if after := debug.SetGCPercent(100); between != replayGCPercent || after != 100 {
		t.Errorf("target between the ends %d, after both %d; want %d, then 100", between, after, replayGCPercent)
	}
}
