package postgres

import (
	"database/sql"
	"reflect"
	"testing"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestAppendArraysReadBackAsWritten(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("postgres", pgtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	texts := []struct {
		name     string
		elements textArray
	}{
		{"stream names, ids and types", textArray{"subscription-9", "0b9f1c3e-8f3a-4c1e-9a55-2f1e0d6c7b21", "invoice.opened"}},
		{"quotes and backslashes", textArray{`say "hi"`, `C:\path\`, `\"`, `""`}},
		{"what the array syntax reads specially", textArray{"NULL", "", " padded ", "a,b", "{x}", "é ✓"}},
		{"one element", textArray{"only"}},
		{"no element", textArray{}},
	}
	for _, tc := range texts {
		t.Run("text[]: "+tc.name, func(t *testing.T) {
			t.Parallel()
			// given a text[] parameter, when PostgreSQL reads it and sends it back
			var got pq.StringArray
			if err := db.QueryRowContext(t.Context(), `SELECT $1::text[]`, tc.elements).Scan(&got); err != nil {
				t.Fatal(err)
			}
			// then every element is the one written
			if !reflect.DeepEqual([]string(got), []string(tc.elements)) {
				t.Errorf("read back %q, want %q", got, tc.elements)
			}
		})
	}
	byteas := []struct {
		name     string
		elements byteaArray
	}{
		{"data and metadata", byteaArray{[]byte(`{"index": 1}`), nil, []byte(`{"source": "test"}`)}},
		{"every byte value", byteaArray{allBytes()}},
		{"an empty value is not NULL", byteaArray{{}, nil}},
		{"no element", byteaArray{}},
	}
	for _, tc := range byteas {
		t.Run("bytea[]: "+tc.name, func(t *testing.T) {
			t.Parallel()
			// given a bytea[] parameter, when PostgreSQL reads it and sends it back with its NULLs marked
			var got pq.ByteaArray
			var nulls pq.BoolArray
			if err := db.QueryRowContext(t.Context(), `SELECT a, ARRAY(SELECT e IS NULL FROM unnest(a) e)
				FROM (SELECT $1::bytea[] AS a) p`, tc.elements).Scan(&got, &nulls); err != nil {
				t.Fatal(err)
			}
			// then every element has the bytes written, and only a nil one is NULL
			for i, element := range tc.elements {
				if nulls[i] != (element == nil) || string(got[i]) != string(element) {
					t.Errorf("element %d read back %q (NULL %v), want %q", i, got[i], nulls[i], element)
				}
			}
			if len(got) != len(tc.elements) {
				t.Errorf("read back %d elements, want %d", len(got), len(tc.elements))
			}
		})
	}
}

// allBytes is every byte value once.
func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}
