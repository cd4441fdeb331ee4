package aggregates_test

import (
	"encoding/json"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

func TestParseMetadata(t *testing.T) {
	t.Parallel()
	full := aggregates.Metadata{SchemaVersion: 2, CommandID: "c1", CorrelationID: "r1", CausationID: "m1",
		SiteID: "s1", Actor: "customer:42"}
	fullJSON, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		stored []byte
		want   aggregates.Metadata
	}{
		{"nil metadata is version 1", nil, aggregates.Metadata{SchemaVersion: 1}},
		{"metadata without a version is version 1", []byte(`{"command_id":"c1"}`),
			aggregates.Metadata{SchemaVersion: 1, CommandID: "c1"}},
		{"every field round trips", fullJSON, full},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := aggregates.ParseMetadata(tt.stored)
			if err != nil || got != tt.want {
				t.Fatalf("ParseMetadata(%s) = %+v, %v; want %+v", tt.stored, got, err, tt.want)
			}
		})
	}
}

func TestMetadataUsesTheStoredJSONNames(t *testing.T) {
	t.Parallel()
	got, err := json.Marshal(aggregates.Metadata{SchemaVersion: 1, CommandID: "c", CorrelationID: "r",
		CausationID: "m", SiteID: "s", Actor: "admin:7"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schema_version":1,"command_id":"c","correlation_id":"r","causation_id":"m","site_id":"s","actor":"admin:7"}`
	if string(got) != want {
		t.Fatalf("Marshal = %s, want %s", got, want)
	}
}

func TestParseMetadataRejectsMalformedJSON(t *testing.T) {
	t.Parallel()
	if _, err := aggregates.ParseMetadata([]byte(`{"schema_version":"two"}`)); err == nil {
		t.Fatal("ParseMetadata of a malformed document succeeded")
	}
}

// metadataDocuments are stored metadata of every shape: what this code writes, what PostgreSQL's jsonb or
// another writer may make of it, and what is malformed.
var metadataDocuments = []string{
	`{}`, ` { } `, `{"schema_version":3}`, `{"schema_version":0}`, `{"actor":"admin:7"}`,
	`{"schema_version":1,"command_id":"c","correlation_id":"r","causation_id":"m","site_id":"s","actor":"admin:7"}`,
	"{\"schema_version\": 2,\n\t\"actor\": \"customer:42\" }", `{"actor":"a","actor":"b"}`,
	`{"actor":"caf\u00e9"}`, `{"actor":"café"}`, `{"actor":"a\"b"}`, `{"actor":null}`, `{"Actor":"x"}`,
	`{"ACTOR":"x"}`, `{"other":"x"}`, `{"other":{"a":[1,2]}}`, `{"schema_version":"2"}`, `{"schema_version":2.0}`,
	`{"schema_version":2e0}`, `{"schema_version":-1}`, `{"schema_version":02}`, `{"schema_version":99999999999999999999}`,
	`{"schema_version":null}`, `{"actor":"x"} trailing`, `{"actor":"x"`, `{"actor":"x",}`, `{"actor" "x"}`,
	`[]`, `null`, `"x"`, "{\"actor\":\"\xff\"}", "{\"actor\":\"a\tb\"}", `{"actor":7}`, `{,}`, ``, ` `,
}

func TestParseMetadataReadsWhatEncodingJSONReads(t *testing.T) {
	t.Parallel()
	for _, doc := range metadataDocuments {
		t.Run(doc, func(t *testing.T) {
			t.Parallel()
			assertParsesLikeEncodingJSON(t, []byte(doc))
		})
	}
}

func FuzzParseMetadataReadsWhatEncodingJSONReads(f *testing.F) {
	for _, doc := range metadataDocuments {
		f.Add([]byte(doc))
	}
	f.Fuzz(assertParsesLikeEncodingJSON)
}

// assertParsesLikeEncodingJSON checks that ParseMetadata gives what json.Unmarshal gives (with version 1 for
// none), and fails where it fails.
func assertParsesLikeEncodingJSON(t *testing.T, doc []byte) {
	var want aggregates.Metadata
	wantErr := len(doc) > 0 && json.Unmarshal(doc, &want) != nil
	if want.SchemaVersion == 0 {
		want.SchemaVersion = 1
	}
	got, err := aggregates.ParseMetadata(doc)
	if (err != nil) != wantErr || (!wantErr && got != want) {
		t.Fatalf("ParseMetadata(%q) = %+v, %v; encoding/json reads %+v (fails: %v)", doc, got, err, want, wantErr)
	}
}

// BenchmarkParseMetadata compares the flat reader with encoding/json on the metadata every command writes.
func BenchmarkParseMetadata(b *testing.B) {
	doc := []byte(`{"schema_version":1,"command_id":"0b9e0c1c-4d4a-5b8e-9f0a-3c2d1e0f9a8b","correlation_id":"req-7f3a9c",` +
		`"causation_id":"req-7f3a9c","site_id":"12","actor":"customer:4242"}`)
	b.Run("ParseMetadata", func(b *testing.B) {
		for b.Loop() {
			if _, err := aggregates.ParseMetadata(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var md aggregates.Metadata
			if err := json.Unmarshal(doc, &md); err != nil {
				b.Fatal(err)
			}
		}
	})
}
