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
