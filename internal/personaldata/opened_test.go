package personaldata

import (
	"crypto/cipher"
	"crypto/rand"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// countingAEAD counts the opens of the AEAD it wraps.
type countingAEAD struct {
	cipher.AEAD
	opens atomic.Int64
}

func (a *countingAEAD) Open(dst, nonce, ciphertext, aad []byte) ([]byte, error) {
	a.opens.Add(1)
	return a.AEAD.Open(dst, nonce, ciphertext, aad)
}

// sealedWorld is a subject's keys (generation 1, its opens counted) and an event sealed with them.
type sealedWorld struct {
	store *Store
	keys  *subjectKeys
	aead  *countingAEAD
	event eventstore.RecordedEvent
}

func newSealedWorld(t *testing.T) sealedWorld {
	t.Helper()
	key := make([]byte, dataKeySize)
	_, _ = rand.Read(key)
	inner, err := newAEAD(key)
	if err != nil {
		t.Fatal(err)
	}
	aead := &countingAEAD{AEAD: inner}
	const subject = "customer-1"
	id := uuid.New()
	name := sealField(aead, 1, fieldAAD(subject, id, "name"), []byte(`"Ann"`))
	event := eventstore.RecordedEvent{ID: id, StreamID: subject, Type: "profile.changed",
		Data: append(append([]byte(`{"id":1,"name":`), name...), '}')}
	return sealedWorld{store: NewStore(nil, nil, Config{Subjects: []string{"customer-"}, Events: personalEvents{}}),
		keys: &subjectKeys{keys: map[int]cipher.AEAD{1: aead}}, aead: aead, event: event}
}

// opened opens a copy of w.event (as each subscription has its own copy of a shared page's event) with keys.
func (w sealedWorld) opened(t *testing.T, keys *subjectKeys) string {
	t.Helper()
	e := w.event
	missing, err := w.store.openEvent(&e, keys, nil)
	if err != nil || missing {
		t.Fatalf("open: missing %v, %v", missing, err)
	}
	return string(e.Data)
}

func TestAnEventOpenedWithTheSameKeysIsDecryptedOnce(t *testing.T) {
	t.Parallel()
	// Given an event sealed for a subject and the subject's cached keys.
	w := newSealedWorld(t)
	// When twenty readers (a process's projection subscriptions) open it one after the other.
	for range 20 {
		// Then each reads the plaintext.
		if got, want := w.opened(t, w.keys), `{"id":1,"name":"Ann"}`; got != want {
			t.Fatalf("opened %s, want %s", got, want)
		}
	}
	// And the field was decrypted once.
	if n := w.aead.opens.Load(); n != 1 {
		t.Fatalf("%d decryptions, want 1", n)
	}
}

func TestTheMemoAnswersOnlyForTheKeysAndTheEventItWasComputedFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// then is the second reader: it opens with keys, an event changed by change.
		keys   func(w sealedWorld) *subjectKeys
		change func(e *eventstore.RecordedEvent)
		want   string
		opens  int64
	}{
		{name: "same keys, same event", keys: func(w sealedWorld) *subjectKeys { return w.keys },
			want: `{"id":1,"name":"Ann"}`, opens: 1},
		{name: "the subject erased since (the cache holds new keys)",
			keys: func(sealedWorld) *subjectKeys { return &subjectKeys{erased: true, erasedThrough: 1} },
			want: `{"id":1,"name":null}`, opens: 1},
		{name: "keys looked up again", keys: func(w sealedWorld) *subjectKeys {
			return &subjectKeys{keys: map[int]cipher.AEAD{1: w.aead}}
		}, want: `{"id":1,"name":"Ann"}`, opens: 2},
		{name: "same id, a later revision with other data", keys: func(w sealedWorld) *subjectKeys { return w.keys },
			change: func(e *eventstore.RecordedEvent) {
				e.Revision++
				e.Data = []byte(string(e.Data[:len(e.Data)-1]) + `,"x":2}`)
			},
			want: `{"id":1,"name":"Ann","x":2}`, opens: 2},
		{name: "same id, a later revision with other data of the same length",
			keys: func(w sealedWorld) *subjectKeys { return w.keys },
			change: func(e *eventstore.RecordedEvent) {
				e.Revision++
				e.Data = []byte(strings.Replace(string(e.Data), `"id":1`, `"id":2`, 1))
			},
			want: `{"id":2,"name":"Ann"}`, opens: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given an event a first reader opened with the subject's keys.
			w := newSealedWorld(t)
			w.opened(t, w.keys)
			// When a second reader opens it.
			if tt.change != nil {
				tt.change(&w.event)
			}
			got := w.opened(t, tt.keys(w))
			// Then it reads what opening it afresh gives, decrypting only when the memo may not answer.
			if got != tt.want {
				t.Fatalf("opened %s, want %s", got, tt.want)
			}
			if n := w.aead.opens.Load(); n != tt.opens {
				t.Fatalf("%d decryptions, want %d", n, tt.opens)
			}
		})
	}
}

func TestReadersOpeningTheSameEventAtOnceAllReadThePlaintext(t *testing.T) {
	t.Parallel()
	// Given an event sealed for a subject and the subject's cached keys.
	w := newSealedWorld(t)
	// When many readers open it at once (run with -race).
	var wg sync.WaitGroup
	got := make([]string, 32)
	for i := range got {
		wg.Go(func() {
			e := w.event
			if _, err := w.store.openEvent(&e, w.keys, nil); err != nil {
				t.Error(err)
			}
			got[i] = string(e.Data)
		})
	}
	wg.Wait()
	// Then each reads the plaintext.
	for i, g := range got {
		if g != `{"id":1,"name":"Ann"}` {
			t.Fatalf("reader %d opened %s", i, g)
		}
	}
}

func TestAppendingToOneReadersDataLeavesAnotherReadersAlone(t *testing.T) {
	t.Parallel()
	// Given an event two readers opened with the same keys (so they share its opened data).
	w := newSealedWorld(t)
	first, second := w.event, w.event
	for _, e := range []*eventstore.RecordedEvent{&first, &second} {
		if _, err := w.store.openEvent(e, w.keys, nil); err != nil {
			t.Fatal(err)
		}
	}
	// When each appends to its data.
	mine := append(first.Data, "first"...)
	theirs := append(second.Data, "second"...)
	// Then neither append shows in the other's bytes nor in the shared data.
	if got, want := string(mine), `{"id":1,"name":"Ann"}first`; got != want {
		t.Fatalf("first reader's data %s, want %s", got, want)
	}
	if got, want := string(theirs), `{"id":1,"name":"Ann"}second`; got != want {
		t.Fatalf("second reader's data %s, want %s", got, want)
	}
	if got, want := w.opened(t, w.keys), `{"id":1,"name":"Ann"}`; got != want {
		t.Fatalf("a third reader opened %s, want %s", got, want)
	}
}
