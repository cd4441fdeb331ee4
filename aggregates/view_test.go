package aggregates_test

import (
	"encoding/json"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

// TestViewsShareTheCallersBytes: DecodeView and ParseMetadataView read strings without copying the bytes
// (what spares a rebuild a copy and an allocation per document), and DecodeWith and ParseMetadata copy
// them. The bytes are overwritten after the decoding: a view shows the change, a copy does not. This is
// also the danger DecodeView's godoc warns of.
func TestViewsShareTheCallersBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		view      bool
		wantEmail string // after "ada" was overwritten with "bob" in the stored bytes
		wantActor string
	}{
		{"DecodeWith and ParseMetadata copy", false, "ada@example.org", "customer:ada"},
		{"DecodeView and ParseMetadataView share", true, "bob@example.org", "customer:bob"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a stored payload and metadata
			encoded, err := newsletter.Events.Encode(newsletter.Unsubscribed{SiteID: 7, Email: "ada@example.org"})
			if err != nil {
				t.Fatal(err)
			}
			metadata, err := json.Marshal(aggregates.Metadata{SchemaVersion: 1, Actor: "customer:ada"})
			if err != nil {
				t.Fatal(err)
			}
			// when they are decoded, and their bytes overwritten afterwards
			md, value, err := decodeBoth(c.view, encoded, metadata)
			if err != nil {
				t.Fatal(err)
			}
			overwrite(encoded.Data, "ada", "bob")
			overwrite(metadata, "ada", "bob")
			// then a view shows the new bytes, a copy the old ones
			if got := value.(newsletter.Unsubscribed).Email; got != c.wantEmail {
				t.Errorf("email = %q; want %q", got, c.wantEmail)
			}
			if md.Actor != c.wantActor {
				t.Errorf("actor = %q; want %q", md.Actor, c.wantActor)
			}
		})
	}
}

func decodeBoth(view bool, encoded aggregates.EncodedEvent, metadata []byte) (aggregates.Metadata, any, error) {
	if view {
		md, err := aggregates.ParseMetadataView(metadata)
		if err != nil {
			return md, nil, err
		}
		value, err := newsletter.Events.DecodeView(json.Unmarshal, encoded.Name, md.SchemaVersion, encoded.Data)
		return md, value, err
	}
	md, err := aggregates.ParseMetadata(metadata)
	if err != nil {
		return md, nil, err
	}
	value, err := newsletter.Events.DecodeWith(json.Unmarshal, encoded.Name, md.SchemaVersion, encoded.Data)
	return md, value, err
}

// overwrite replaces every old in b with new, of the same length, in place.
func overwrite(b []byte, old, new string) {
	for i := 0; i+len(old) <= len(b); i++ {
		if string(b[i:i+len(old)]) == old {
			copy(b[i:], new)
		}
	}
}
