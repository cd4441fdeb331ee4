package aggregates_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// withoutNUL is the repair of the tests: it drops U+0000.
func withoutNUL(s string) string { return strings.ReplaceAll(s, "\x00", "") }

// noteFiled carries strings at every depth, and a number no float64 holds exactly.
type noteFiled struct {
	NoteID string            `json:"note_id"`
	Tags   []string          `json:"tags"`
	Labels map[string]string `json:"labels"`
	Size   uint64            `json:"size"`
	Pinned *bool             `json:"pinned"`
}

func TestRewriteStringsRepairsEveryStringOfOlderVersionsOnly(t *testing.T) {
	t.Parallel()
	// given a release that repairs version 1 of note.filed (now at version 2) by dropping NULs
	r := aggregates.NewRegistry()
	aggregates.MustRegister[noteFiled](r, "note.filed", aggregates.Upcaster{From: 1, Upcast: aggregates.RewriteStrings(withoutNUL)})
	stored := `{"note_id":"n\u00001","tags":["a\u0000b","c"],"labels":{"k\u0000ey":"v\u0000"},"size":18446744073709551615,"pinned":null}`
	tests := []struct {
		name    string
		version int
		want    noteFiled
	}{
		{"an event written in version 1 is repaired", 1, noteFiled{NoteID: "n1", Tags: []string{"ab", "c"},
			Labels: map[string]string{"k\x00ey": "v"}, Size: 18446744073709551615}},
		{"an event written in version 2 is read as written", 2, noteFiled{NoteID: "n\x001", Tags: []string{"a\x00b", "c"},
			Labels: map[string]string{"k\x00ey": "v\x00"}, Size: 18446744073709551615}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when it is decoded
			got, err := r.Decode("note.filed", tt.version, []byte(stored))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			// then every string value (not the keys) went through the repair, and the number kept every digit
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(tt.want)
			if string(gotJSON) != string(wantJSON) {
				t.Fatalf("decoded %s, want %s", gotJSON, wantJSON)
			}
		})
	}
}

func TestRewriteStringsRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	if _, err := aggregates.RewriteStrings(withoutNUL)(json.RawMessage(`{"note_id":`)); err == nil {
		t.Fatal("a truncated payload was rewritten")
	}
}
