package aggregates_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

type noteWritten struct {
	NoteID string `json:"note_id"`
	Text   string `json:"text"`
}

type noteErased struct {
	NoteID string `json:"note_id"`
}

func identity(data json.RawMessage) (json.RawMessage, error) { return data, nil }

func TestRegisterRejectsInvalidRegistrations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		register func(r *aggregates.Registry) error
		wantErr  string
	}{
		{
			name:     "duplicate name with another type",
			register: func(r *aggregates.Registry) error { return aggregates.Register[noteErased](r, "note.written") },
			wantErr:  `event name "note.written" registered twice`,
		},
		{
			name:     "duplicate Go type under another name",
			register: func(r *aggregates.Registry) error { return aggregates.Register[noteWritten](r, "note.created") },
			wantErr:  `registered twice ("note.written" and "note.created")`,
		},
		{
			name:     "empty name",
			register: func(r *aggregates.Registry) error { return aggregates.Register[noteErased](r, "") },
			wantErr:  "invalid event name",
		},
		{
			name:     "name with white space",
			register: func(r *aggregates.Registry) error { return aggregates.Register[noteErased](r, "note erased") },
			wantErr:  "invalid event name",
		},
		{
			name:     "pointer type",
			register: func(r *aggregates.Registry) error { return aggregates.Register[*noteErased](r, "note.erased") },
			wantErr:  "is not a struct",
		},
		{
			name: "upcaster chain with a gap",
			register: func(r *aggregates.Registry) error {
				return aggregates.Register[noteErased](r, "note.erased",
					aggregates.Upcaster{From: 1, Upcast: identity}, aggregates.Upcaster{From: 3, Upcast: identity})
			},
			wantErr: "upcaster 1 must read version 2",
		},
		{
			name: "upcaster without func",
			register: func(r *aggregates.Registry) error {
				return aggregates.Register[noteErased](r, "note.erased", aggregates.Upcaster{From: 1})
			},
			wantErr: "upcaster 0 must read version 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given a registry that already holds note.written
			r := aggregates.NewRegistry()
			aggregates.MustRegister[noteWritten](r, "note.written")

			// When the invalid registration is attempted
			err := tt.register(r)

			// Then it fails with a message naming the problem
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestMustRegisterPanicsOnDuplicateName(t *testing.T) {
	t.Parallel()
	r := aggregates.NewRegistry()
	aggregates.MustRegister[noteWritten](r, "note.written")

	defer func() {
		if recover() == nil {
			t.Fatal("MustRegister of a duplicate name did not panic")
		}
	}()
	aggregates.MustRegister[noteErased](r, "note.written")
}

func TestMergeCombinesRegistriesAndRejectsOverlap(t *testing.T) {
	t.Parallel()
	// Given two aggregate registries
	writes := aggregates.NewRegistry()
	aggregates.MustRegister[noteWritten](writes, "note.written")
	erasures := aggregates.NewRegistry()
	aggregates.MustRegister[noteErased](erasures, "note.erased")

	// When they are merged
	merged, err := aggregates.Merge(writes, erasures)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}

	// Then the merged registry decodes both
	for _, name := range []string{"note.written", "note.erased"} {
		if _, err := merged.Decode(name, 1, []byte(`{"note_id":"n1"}`)); err != nil {
			t.Errorf("Decode(%q): %v", name, err)
		}
	}
	// And merging a registry with itself fails on the overlap
	if _, err := aggregates.Merge(writes, erasures, writes); err == nil {
		t.Fatal("Merge with a duplicate name succeeded")
	}
}

func TestGoTypeNamesTheRegisteredTypeWithoutDecoding(t *testing.T) {
	t.Parallel()
	// given a registry with one event
	r := aggregates.NewRegistry()
	aggregates.MustRegister[noteWritten](r, "note.written")
	cases := []struct {
		name   string
		want   reflect.Type
		wantOK bool
	}{
		{"note.written", reflect.TypeFor[noteWritten](), true},
		{"note.erased", nil, false},
		{"", nil, false},
	}
	for _, c := range cases {
		// when its Go type is asked by name, then it is the registered one, or none for another name
		if got, ok := r.GoType(c.name); got != c.want || ok != c.wantOK {
			t.Errorf("GoType(%q) = %v, %v; want %v, %v", c.name, got, ok, c.want, c.wantOK)
		}
	}
}
