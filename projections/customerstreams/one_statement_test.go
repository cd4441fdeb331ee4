package customerstreams

import "testing"

// TestPositionOnlyEventsApplyAloneInOneStatement keeps the 49 event types that only move their stream's
// positions on the one-statement path of a lone event, and the 12 that also link a stream on the
// transaction: a handler turned back into a plain one would still apply correctly, and only the round trips
// per write would show it.
func TestPositionOnlyEventsApplyAloneInOneStatement(t *testing.T) {
	t.Parallel()
	// given the projection's handlers, when counted by kind, then the position-only ones are one statement
	oneStatement, other := 0, 0
	for _, h := range Projection().Handlers {
		if h.OneStatement() {
			oneStatement++
		} else {
			other++
		}
	}
	if oneStatement != 49 || other != 12 {
		t.Errorf("%d one-statement handlers and %d others; want 49 and 12", oneStatement, other)
	}
}
