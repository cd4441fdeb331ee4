package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCommandEnvelopeMarksOnlyARandomCommandIDNew(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// keyBase is the command base the Idempotency-Key guard set, "" for a request without a key
		keyBase string
		wantNew bool
	}{
		{name: "no Idempotency-Key: a random id no one can send again", wantNew: true},
		{name: "an Idempotency-Key: an id a retry sends again", keyBase: "key-derived-base"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a request, with the command base its key gave if any
			r, state := withState(httptest.NewRequest(http.MethodPost, "/x", nil), "request-id")
			state.commandBase = tc.keyBase
			// when it issues two commands
			first, second := commandEnvelope(r, "first"), commandEnvelope(r, "second")
			// then both share the request's base, and are new exactly when that base was drawn at random
			base, _, _ := strings.Cut(first.CommandID, ":")
			if !strings.HasPrefix(second.CommandID, base+":") || (tc.keyBase != "" && base != tc.keyBase) {
				t.Errorf("command ids %q and %q, want one base (%q)", first.CommandID, second.CommandID, tc.keyBase)
			}
			if first.NewCommandID != tc.wantNew || second.NewCommandID != tc.wantNew {
				t.Errorf("NewCommandID = %v, %v; want %v", first.NewCommandID, second.NewCommandID, tc.wantNew)
			}
			// and the ids they ask for are remembered for the request exactly then
			if (state.drawnIDs != nil) != tc.wantNew {
				t.Errorf("drawn ids %v, want remembered: %v", state.drawnIDs, tc.wantNew)
			}
		})
	}
}
