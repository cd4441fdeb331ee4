package aggregates_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// noteTitled is at schema version 3. Version 1 stored {"title": "..."}, version 2 renamed it to
// {"heading": "..."}, version 3 split it into {"heading": {"text": "...", "lang": "..."}} with "en" for old data.
type noteTitled struct {
	NoteID  string  `json:"note_id"`
	Heading heading `json:"heading"`
}

type heading struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
}

func titleToHeading(data json.RawMessage) (json.RawMessage, error) {
	var v1 struct {
		NoteID string `json:"note_id"`
		Title  string `json:"title"`
	}
	if err := json.Unmarshal(data, &v1); err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"note_id": v1.NoteID, "heading": v1.Title})
}

func headingToLocalised(data json.RawMessage) (json.RawMessage, error) {
	var v2 struct {
		NoteID  string `json:"note_id"`
		Heading string `json:"heading"`
	}
	if err := json.Unmarshal(data, &v2); err != nil {
		return nil, err
	}
	return json.Marshal(noteTitled{NoteID: v2.NoteID, Heading: heading{Text: v2.Heading, Lang: "en"}})
}

func noteRegistry(t *testing.T) *aggregates.Registry {
	t.Helper()
	r := aggregates.NewRegistry()
	aggregates.MustRegister[noteWritten](r, "note.written")
	aggregates.MustRegister[noteTitled](r, "note.titled",
		aggregates.Upcaster{From: 1, Upcast: titleToHeading},
		aggregates.Upcaster{From: 2, Upcast: headingToLocalised})
	return r
}

func TestDecodeUpcastsEveryStoredVersionToTheNewestType(t *testing.T) {
	t.Parallel()
	want := noteTitled{NoteID: "n1", Heading: heading{Text: "Groceries", Lang: "en"}}
	tests := []struct {
		name    string
		version int
		stored  string
	}{
		{"version 1 runs both upcasters", 1, `{"note_id":"n1","title":"Groceries"}`},
		{"version 2 runs the last upcaster", 2, `{"note_id":"n1","heading":"Groceries"}`},
		{"version 3 is read as is", 3, `{"note_id":"n1","heading":{"text":"Groceries","lang":"en"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given an event stored in an older shape
			r := noteRegistry(t)

			// When it is decoded
			got, err := r.Decode("note.titled", tt.version, []byte(tt.stored))

			// Then the handler sees the newest Go type
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Decode = %#v, want %#v", got, want)
			}
		})
	}
}

func TestEncodeWritesTheNewestVersionAndRoundTrips(t *testing.T) {
	t.Parallel()
	r := noteRegistry(t)
	event := noteTitled{NoteID: "n1", Heading: heading{Text: "Todo", Lang: "fr"}}

	encoded, err := r.Encode(event)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if encoded.Name != "note.titled" || encoded.SchemaVersion != 3 {
		t.Fatalf("Encode = %q v%d, want note.titled v3", encoded.Name, encoded.SchemaVersion)
	}
	decoded, err := r.Decode(encoded.Name, encoded.SchemaVersion, encoded.Data)
	if err != nil || !reflect.DeepEqual(decoded, event) {
		t.Fatalf("round trip = %#v, %v; want %#v", decoded, err, event)
	}
}

func TestDecodeAndEncodeErrorsAreRecognisable(t *testing.T) {
	t.Parallel()
	r := noteRegistry(t)

	t.Run("unknown name", func(t *testing.T) {
		_, err := r.Decode("invoice.paid", 1, []byte(`{}`))
		var unknown *aggregates.UnknownEventError
		if !errors.Is(err, aggregates.ErrUnknownEvent) || !errors.As(err, &unknown) || unknown.Name != "invoice.paid" {
			t.Fatalf("err = %v, want an UnknownEventError for invoice.paid", err)
		}
	})
	t.Run("version newer than this build", func(t *testing.T) {
		_, err := r.Decode("note.titled", 4, []byte(`{}`))
		if !errors.Is(err, aggregates.ErrUnsupportedSchemaVersion) {
			t.Fatalf("err = %v, want ErrUnsupportedSchemaVersion", err)
		}
	})
	t.Run("version zero", func(t *testing.T) {
		_, err := r.Decode("note.written", 0, []byte(`{}`))
		if !errors.Is(err, aggregates.ErrUnsupportedSchemaVersion) {
			t.Fatalf("err = %v, want ErrUnsupportedSchemaVersion", err)
		}
	})
	t.Run("upcaster failure", func(t *testing.T) {
		_, err := r.Decode("note.titled", 1, []byte(`{"title":7}`))
		if err == nil {
			t.Fatal("Decode of a malformed version 1 payload succeeded")
		}
	})
	t.Run("unregistered Go type, including a pointer to a registered one", func(t *testing.T) {
		for _, event := range []any{noteErased{}, &noteWritten{}} {
			if _, err := r.Encode(event); !errors.Is(err, aggregates.ErrUnregisteredType) {
				t.Errorf("Encode(%T) err = %v, want ErrUnregisteredType", event, err)
			}
		}
	})
}
