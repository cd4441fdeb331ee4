package aggregates

import (
	"encoding/json"
	"fmt"
)

// Metadata is the JSON document stored next to every event. It says how to read the payload
// (SchemaVersion) and where the event came from, so an audit or a support engineer can follow one request
// through every event it caused.
//
// There is deliberately no occurred-at time: business time is part of each event's payload (the decide
// function got it as an argument), and the store records its own write time (RecordedEvent.Created). A third
// clock here could only disagree with both.
//
// Warning: the JSON names are a stored format. Renaming a tag makes every event already written lose
// that field on read.
type Metadata struct {
	// SchemaVersion is the version of the payload's shape, see Registry. Starts at 1.
	SchemaVersion int `json:"schema_version"`
	// CommandID identifies the command that produced the event; event ids are derived from it.
	CommandID string `json:"command_id,omitempty"`
	// CorrelationID is shared by every command and event of one conversation (e.g. one HTTP request and
	// whatever it triggers later).
	CorrelationID string `json:"correlation_id,omitempty"`
	// CausationID identifies the message that directly caused the command.
	CausationID string `json:"causation_id,omitempty"`
	// SiteID is the Pelcro site (tenant) the command ran for.
	SiteID string `json:"site_id,omitempty"`
	// Actor names who acted, as "<kind>:<id>", e.g. "customer:42", "admin:7" or "system:renewals".
	Actor string `json:"actor,omitempty"`
}

// ParseMetadata reads stored metadata. Empty metadata, or metadata without schema_version, means schema
// version 1: events written before versioning existed all have the first shape.
func ParseMetadata(raw []byte) (Metadata, error) {
	return parseMetadata(raw, flatScanner{raw: raw, text: string(raw)}) // one allocation; the fields are slices of it
}

// ParseMetadataView is ParseMetadata for raw that never changes while the Metadata lives: its strings are
// slices of raw itself instead of a copy. Warning: the same as DecodeView's; use it only for the store's
// events, in values dropped with them.
func ParseMetadataView(raw []byte) (Metadata, error) {
	return parseMetadata(raw, flatScanner{raw: raw, text: viewOf(raw)})
}

// parseMetadata is ParseMetadata over s, a scanner at the start of raw.
func parseMetadata(raw []byte, s flatScanner) (Metadata, error) {
	md, flat := parseFlatMetadata(s)
	if len(raw) > 0 && !flat {
		// A variable of its own: the one json.Unmarshal fills escapes to the heap, and md would make
		// every call pay that allocation, flat or not.
		var general Metadata
		if err := json.Unmarshal(raw, &general); err != nil {
			return Metadata{}, fmt.Errorf("aggregates: parse event metadata: %w", err)
		}
		md = general
	}
	if md.SchemaVersion == 0 {
		md.SchemaVersion = 1
	}
	return md, nil
}
