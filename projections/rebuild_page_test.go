package projections

import (
	"context"
	"reflect"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

// TestAPageHandledWholeGoesToTheBatchWithoutACopy: when the projection handles every event of a page, its
// Batch gets the decoded slice the steps point into (no copy of ~200 bytes per event); when it ignores
// some, a slice of only the handled ones, in log order.
func TestAPageHandledWholeGoesToTheBatchWithoutACopy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name               string
		ignoreUnsubscribed bool
		wantHandled        int  // of the page's 8 events: 2 subscribed, 4 updated, 2 unsubscribed
		wantShared         bool // the Batch's slice is the one the steps point into
	}{
		{"every event handled: the decoded slice itself", false, 8, true},
		{"unsubscriptions ignored: a copy of the others", true, 6, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a rebuild with a Batch, and a page of newsletter events
			handlers := newsletterHandlers()
			if c.ignoreUnsubscribed {
				delete(handlers, reflect.TypeFor[newsletter.Unsubscribed]())
			}
			var got []Event[any]
			rb := &rebuild{cfg: Config{Registry: newsletter.Events},
				run: &projectionRun{name: "newsletters.test", dispatch: handlers, registry: newsletter.Events},
				batch: func(_ context.Context, _ *sqlx.Tx, events []Event[any]) error { got = events; return nil }}
			page := rb.decodePage(rawPage{events: newsletterPage(t, 8)}, nil)
			// when the page is applied
			if _, err := rb.applyPage(t.Context(), nil, page); err != nil {
				t.Fatal(err)
			}
			// then the Batch gets the handled events, in the steps' memory only when all are handled
			if len(got) != c.wantHandled {
				t.Fatalf("the Batch got %d events; want %d", len(got), c.wantHandled)
			}
			if shared := &got[0] == page.steps[0].event; shared != c.wantShared {
				t.Fatalf("the Batch's slice is the steps' own: %v; want %v", shared, c.wantShared)
			}
			for i, j := 0, 0; i < len(page.steps); i++ {
				if page.steps[i].ignored == "" {
					if got[j].Position != page.steps[i].ev.Position {
						t.Fatalf("batch event %d is at %v; want %v", j, got[j].Position, page.steps[i].ev.Position)
					}
					j++
				}
			}
		})
	}
}

// newsletterHandlers handles every newsletter event type, doing nothing.
func newsletterHandlers() dispatcher {
	d := dispatcher{}
	for _, h := range []Handler{
		On(func(context.Context, *sqlx.Tx, Event[newsletter.Subscribed]) error { return nil }),
		On(func(context.Context, *sqlx.Tx, Event[newsletter.Updated]) error { return nil }),
		On(func(context.Context, *sqlx.Tx, Event[newsletter.Unsubscribed]) error { return nil }),
		On(func(context.Context, *sqlx.Tx, Event[newsletter.Erased]) error { return nil }),
	} {
		d[h.eventType] = h
	}
	return d
}
