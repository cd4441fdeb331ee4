package operator_test

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/operator"
)

// Given customer 7's timeline, when a cursor it never wrote is presented, then it is refused; the cursors it
// wrote still read on.
func TestTimelineRefusesCursorsItNeverWrote(t *testing.T) {
	t.Parallel()
	w, _ := eventsWorld(t)
	first, err := w.op.Timeline(t.Context(), annID, time.Time{}, 5, "")
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %v, next %q", err, first.Next)
	}
	if _, err := w.op.Timeline(t.Context(), annID, time.Time{}, 5, first.Next); err != nil {
		t.Fatalf("the cursor it wrote: %v", err)
	}
	encode := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	before := `"before":{"Commit":999999999999,"Prepare":999999999999}`
	cases := []struct {
		name     string
		customer int64
		cursor   string
	}{
		{"an empty object", annID, encode(`{}`)},
		{"the whole log", annID, encode(`{"$all":0}`)},
		{"no customer", annID, encode(`{` + before + `}`)},
		{"another customer's stream", annID, encode(`{"customer":7,` + before + `,"next":{"customer-8":0}}`)},
		{"a revision past the end", annID, encode(`{"customer":7,` + before + `,"next":{"customer_signins-7":500}}`)},
		{"customer 7's cursor on customer 8", 8, first.Next},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := w.op.Timeline(t.Context(), c.customer, time.Time{}, 5, c.cursor)
			if !errors.Is(err, operator.ErrBadCursor) {
				t.Fatalf("err %v, want ErrBadCursor", err)
			}
		})
	}
}
