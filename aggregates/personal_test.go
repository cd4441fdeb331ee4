package aggregates_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

type contact struct {
	Name string `json:"name"`
}

type personSignedUp struct {
	PersonID  int64     `json:"person_id"`
	Email     string    `json:"email" personal:"true"`
	Contact   contact   `json:"contact,omitempty" personal:"true"`
	Phones    []string  `json:"phones" personal:"true"`
	Untagged  string    `json:"untagged"`
	NoJSONTag string    `personal:"true"`
	At        time.Time `json:"at"`
}

type personErased struct {
	PersonID int64 `json:"person_id"`
}

func (personErased) ErasesPersonalData() {}

type wrapperLookalike struct {
	Sealed string `json:"$sealed"`
}

type selfEncoding struct{}

func (selfEncoding) MarshalJSON() ([]byte, error) { return []byte(`{"$sealed":"x"}`), nil }

type (
	personalMap struct {
		M map[string]any `json:"m" personal:"true"`
	}
	personalInterface struct {
		V any `json:"v" personal:"true"`
	}
	personalNumber struct {
		N int `json:"n" personal:"true"`
	}
	personalYes struct {
		S string `json:"s" personal:"yes"`
	}
	personalNotJSON struct {
		S string `json:"-" personal:"true"`
	}
	personalLookalike struct {
		W wrapperLookalike `json:"w" personal:"true"`
	}
	personalEncoder struct {
		E selfEncoding `json:"e" personal:"true"`
	}
	seatInvited struct {
		SeatID int64  `json:"seat_id"`
		Email  string `json:"email" personal:"part:seat_id"`
		Name   string `json:"name" personal:"true"`
	}
	partNotAField struct {
		Email string `json:"email" personal:"part:seat_id"`
	}
	partPersonal struct {
		Other string `json:"other" personal:"true"`
		Email string `json:"email" personal:"part:other"`
	}
	partNotAnID struct {
		At    time.Time `json:"at"`
		Email string    `json:"email" personal:"part:at"`
	}
	erasureWithData struct {
		Email string `json:"email" personal:"true"`
	}
)

func (erasureWithData) ErasesPersonalData() {}

func TestPersonalFieldsAreListedByJSONName(t *testing.T) {
	t.Parallel()
	// Given an event with personal fields of every sealable kind, and an erasure event
	r := aggregates.NewRegistry()
	aggregates.MustRegister[personSignedUp](r, "person.signed_up")
	aggregates.MustRegister[personErased](r, "person.erased")

	// Then the registry lists the tagged fields by their JSON names, in field order
	if got, want := r.PersonalFields("person.signed_up"), []string{"email", "contact", "phones", "NoJSONTag"}; !slices.Equal(got, want) {
		t.Fatalf("PersonalFields = %v, want %v", got, want)
	}
	// And an event without personal fields, or an unknown one, has none
	if got := r.PersonalFields("person.erased"); got != nil {
		t.Fatalf("PersonalFields(person.erased) = %v, want none", got)
	}
	if got := r.PersonalFields("person.unknown"); got != nil {
		t.Fatalf("PersonalFields(person.unknown) = %v, want none", got)
	}
	// And only the erasure erases
	if !r.Erases("person.erased") || r.Erases("person.signed_up") || r.Erases("person.unknown") {
		t.Fatal("Erases should be true for person.erased only")
	}
	// And merging registries keeps both facts
	merged, err := aggregates.Merge(r)
	if err != nil || !merged.Erases("person.erased") || len(merged.PersonalFields("person.signed_up")) != 4 {
		t.Fatalf("merged registry lost personal data facts: %v", err)
	}
}

func TestAPersonalFieldTaggedWithAPartNamesItsPartMember(t *testing.T) {
	t.Parallel()
	// Given an event with a field sealed under a part of its subject, and one under the subject's own key
	r := aggregates.NewRegistry()
	aggregates.MustRegister[seatInvited](r, "seat.invited")
	// Then both are personal, and only the first has a part, named by the seat id
	if got, want := r.PersonalFields("seat.invited"), []string{"email", "name"}; !slices.Equal(got, want) {
		t.Fatalf("PersonalFields = %v, want %v", got, want)
	}
	for field, want := range map[string]string{"email": "seat_id", "name": "", "seat_id": ""} {
		if got := r.PersonalPart("seat.invited", field); got != want {
			t.Errorf("PersonalPart(%s) = %q, want %q", field, got, want)
		}
	}
	if got := r.PersonalPart("seat.unknown", "email"); got != "" {
		t.Errorf("PersonalPart of an unknown event = %q, want none", got)
	}
}

func TestRegisterRefusesPersonalFieldsThatCannotBeSealedSafely(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		register func(r *aggregates.Registry) error
		wantErr  string
	}{
		{"a map, whose JSON could look sealed", func(r *aggregates.Registry) error {
			return aggregates.Register[personalMap](r, "x.map")
		}, "cannot be sealed"},
		{"an interface", func(r *aggregates.Registry) error {
			return aggregates.Register[personalInterface](r, "x.any")
		}, "cannot be sealed"},
		{"a number", func(r *aggregates.Registry) error {
			return aggregates.Register[personalNumber](r, "x.number")
		}, "cannot be sealed"},
		{"a tag value other than true", func(r *aggregates.Registry) error {
			return aggregates.Register[personalYes](r, "x.yes")
		}, `want personal:"true"`},
		{"a part named by no field", func(r *aggregates.Registry) error {
			return aggregates.Register[partNotAField](r, "x.part_missing")
		}, "not a top-level field"},
		{"a part named by a personal field", func(r *aggregates.Registry) error {
			return aggregates.Register[partPersonal](r, "x.part_personal")
		}, "is personal"},
		{"a part named by a field that is no id", func(r *aggregates.Registry) error {
			return aggregates.Register[partNotAnID](r, "x.part_time")
		}, "want an integer or a string"},
		{"a field left out of the JSON", func(r *aggregates.Registry) error {
			return aggregates.Register[personalNotJSON](r, "x.hidden")
		}, "not encoded in JSON"},
		{"a struct with a $sealed field", func(r *aggregates.Registry) error {
			return aggregates.Register[personalLookalike](r, "x.lookalike")
		}, `field named "$sealed"`},
		{"a struct that encodes itself", func(r *aggregates.Registry) error {
			return aggregates.Register[personalEncoder](r, "x.encoder")
		}, "encodes itself"},
		{"an erasure carrying personal data", func(r *aggregates.Registry) error {
			return aggregates.Register[erasureWithData](r, "x.erased")
		}, "carries no personal data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When the event is registered
			err := tt.register(aggregates.NewRegistry())
			// Then the registration fails, naming the problem
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Register = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
