package personaldata

import (
	"crypto/cipher"
	"crypto/rand"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// personalEvents says "profile.changed" holds the personal field "name" and "erased" erases its subject.
type personalEvents struct{}

func (personalEvents) PersonalFields(name string) []string {
	if name == "profile.changed" {
		return []string{"name"}
	}
	return nil
}
func (personalEvents) Erases(name string) bool { return name == "erased" }

func (personalEvents) PersonalPart(string, string) string { return "" }

// BenchmarkTwentySubscriptionsOpenAnEvent is what the projections of `pelcro serve` do with every sealed
// event of $all: twenty readers open their copy of it with the subject's cached keys.
func BenchmarkTwentySubscriptionsOpenAnEvent(b *testing.B) {
	key := make([]byte, dataKeySize)
	_, _ = rand.Read(key)
	aead, err := newAEAD(key)
	if err != nil {
		b.Fatal(err)
	}
	store := NewStore(nil, nil, Config{Subjects: []string{"customer-"}, Events: personalEvents{}})
	const subject = "customer-1"
	b.ReportAllocs()
	for b.Loop() {
		id := uuid.New() // a new event every time, as the log brings them
		name := sealField(aead, 1, fieldAAD(subject, id, "name"), []byte(`"Ann Example"`))
		event := eventstore.RecordedEvent{ID: id, StreamID: subject, Type: "profile.changed",
			Data: append(append([]byte(`{"id":1,"email":"ann@example.com","name":`), name...), '}')}
		keys := &subjectKeys{keys: map[int]cipher.AEAD{1: aead}}
		for range 20 {
			e := event
			if _, err := store.openEvent(&e, keys, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}
