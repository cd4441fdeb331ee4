package operator_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/operator"
)

func TestEventsOfAStreamHidePersonalFieldsUnlessRevealed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	h := w.tellHistory()

	for _, tc := range []struct {
		name   string
		reveal bool
		want   string
		absent string
	}{
		{"hidden", false, `"email":"[personal]"`, annEmail},
		{"revealed", true, `"email":"` + annEmail + `"`, operator.Hidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := w.op.Events(t.Context(), "customer-7", 0, 10, tc.reveal)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 2 {
				t.Fatalf("got %d events, want 2", len(entries))
			}
			first := entries[0]
			if first.Type != "customer.registered" || first.Revision != 0 || first.Position != h.registered ||
				first.Actor != "customer:7" || first.CorrelationID != "req-1" || first.CausationID != "cause-req-1" {
				t.Errorf("first entry = %+v", first)
			}
			if data := string(first.Data); !strings.Contains(data, tc.want) || strings.Contains(data, tc.absent) {
				t.Errorf("data = %s, want it to hold %s and not %s", data, tc.want, tc.absent)
			}
			if !strings.Contains(string(first.Data), `"customer_id":7`) {
				t.Errorf("data = %s: the fields that are not personal must show", first.Data)
			}
		})
	}
}

func TestEventsFromARevisionWithALimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()

	entries, err := w.op.Events(t.Context(), "invoice-20", 1, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Revision != 1 || entries[0].Type != "invoice.payment_attempted" {
		t.Fatalf("entries = %+v, want the payment attempt alone", entries)
	}
	if _, err := w.op.Events(t.Context(), "customer-99", 0, 10, false); !errors.Is(err, operator.ErrNoStream) {
		t.Errorf("unknown stream: err = %v, want ErrNoStream", err)
	}
}

func TestTailKeepsTheTypesOfAPrefixInLogOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()

	tests := []struct {
		prefix string
		limit  int
		want   []string
	}{
		{"invoice.", 10, []string{"invoice.created", "invoice.payment_attempted", "invoice.paid"}},
		{"customer.", 10, []string{"customer.registered", "customer.registered", "customer.profile_changed"}},
		{"", 2, []string{"customer.registered", "customer.registered"}},
		{"order.", 10, nil},
	}
	for _, tc := range tests {
		entries, err := w.op.Tail(t.Context(), eventstore.AllStart(), tc.prefix, tc.limit, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Type)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("prefix %q: got %v, want %v", tc.prefix, got, tc.want)
		}
	}
}
