package customer

import "testing"

// TestTheSingleRowUpdatesApplyAloneInOneStatement keeps customers.v1's nine single-row updates (profile,
// email, username, password, identity unlinked, sign-in, email verified, picture set and removed) on the
// one-statement path of a lone event: turned back into plain handlers they would still apply correctly, and
// only the round trips per write would show it.
func TestTheSingleRowUpdatesApplyAloneInOneStatement(t *testing.T) {
	t.Parallel()
	// given customers.v1's handlers, when counted by kind, then nine are one statement
	oneStatement := 0
	for _, h := range Projection().Handlers {
		if h.OneStatement() {
			oneStatement++
		}
	}
	if oneStatement != 9 {
		t.Errorf("%d handlers of customers.v1 are one statement; want the 9 single-row updates", oneStatement)
	}
}
