package billing

import (
	"context"
	"errors"
	"testing"
)

// TestARunCutOffByItsContextSaysSo: a statement the context's end cut short may fail with PostgreSQL's own
// "canceling statement" error instead of the context's; the run's error must still say it was cancelled
// (a flaky failure of TestARunCutOffWhileItsNextChunkIsReadAheadLeavesTheNextRunToChargeEachOnce), and a
// failure of a run still going is left as it is.
func TestARunCutOffByItsContextSaysSo(t *testing.T) {
	t.Parallel()
	canceling := errors.New("claim due billing work: pq: canceling statement due to user request (57014)")
	ended, end := context.WithCancel(t.Context())
	end()
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		err       error
		cancelled bool
	}{
		{"cut off", ended, canceling, true},
		{"already the context's", ended, context.Canceled, true},
		{"still running", t.Context(), canceling, false},
	} {
		got := cutOff(tc.ctx, tc.err)
		if errors.Is(got, context.Canceled) != tc.cancelled || !errors.Is(got, tc.err) {
			t.Errorf("%s: %v; want cancelled %v, wrapping %v", tc.name, got, tc.cancelled, tc.err)
		}
	}
}
