package personaldata

import (
	"context"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// giftEvents is a registry of one event type, "gift.given", whose "gift" field is personal.
type giftEvents struct{}

func (giftEvents) PersonalFields(name string) []string {
	if name == "gift.given" {
		return []string{"gift"}
	}
	return nil
}

func (giftEvents) Erases(string) bool { return false }

func (giftEvents) PersonalPart(string, string) string { return "" }

func TestMayHoldPersonalFieldsMissesNoMemberOpeningWouldNull(t *testing.T) {
	t.Parallel()
	names := []string{"gift", "email"}
	tests := []struct {
		name  string
		data  string
		names []string
		want  bool
	}{
		{name: "no personal field in the type", data: `{"gift":{"to":"x"}}`, names: nil, want: false},
		{name: "personal fields absent", data: `{"plan_id":7,"gifted":true}`, names: names, want: false},
		{name: "personal field present", data: `{"plan_id":7,"gift":{"to":"x"}}`, names: names, want: true},
		{name: "personal field present but empty", data: `{"email":""}`, names: names, want: true},
		{name: "personal field with space before the colon", data: `{"email" : "a@b.c"}`, names: names, want: true},
		{name: "an escaped name may be a personal one", data: `{"em\u0061il":"a@b.c"}`, names: names, want: true},
		{name: "name only inside a value", data: `{"note":"\"gift\""}`, names: names, want: true},
		{name: "not an object", data: `[1,2]`, names: names, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given event data, when asked whether it may hold the personal fields, then it answers as openEvent needs.
			if got := mayHoldPersonalFields([]byte(tt.data), tt.names); got != tt.want {
				t.Fatalf("mayHoldPersonalFields(%s, %v) = %v, want %v", tt.data, tt.names, got, tt.want)
			}
		})
	}
}

// TestOpeningAnEventWithoutPersonalMembersLooksNoKeysUp: a subject's event of a type with personal fields,
// none of them present (a free subscription's creation), is read as it is without looking its subject's
// keys up, while one of an erased subject holding a plaintext personal field still reads it as null.
func TestOpeningAnEventWithoutPersonalMembersLooksNoKeysUp(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC) }
	// Given a store whose keys cannot be looked up (nil: a lookup panics), and an erased subject cached.
	s := NewStore(nil, nil, Config{Subjects: []string{"subscription-"}, Events: giftEvents{}, Now: now})
	s.cache.put(s.cache.epoch(), map[string]*subjectKeys{"subscription-2": {erased: true, erasedThrough: 0}})
	events := []eventstore.RecordedEvent{
		{StreamID: "subscription-1", Type: "gift.given", Data: []byte(`{"plan_id":7}`)},
		{StreamID: "subscription-2", Type: "gift.given", Data: []byte(`{"plan_id":7,"gift":{"to":"x"}}`)},
	}
	// When the events are opened.
	if err := s.open(context.Background(), events); err != nil {
		t.Fatalf("open: %v", err)
	}
	// Then the first is unchanged and the erased subject's personal field reads as null.
	if got := string(events[0].Data); got != `{"plan_id":7}` {
		t.Fatalf("event without personal members opened to %s", got)
	}
	if got := string(events[1].Data); got != `{"plan_id":7,"gift":null}` {
		t.Fatalf("erased subject's plaintext gift opened to %s, want it null", got)
	}
}
