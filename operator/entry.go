package operator

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Hidden replaces the value of every personal field of an entry read without reveal.
const Hidden = "[personal]"

// Secret replaces the value of every secret field of an entry (aggregates.SecretTag), revealed or not.
const Secret = "[secret]"

// Entry is one event as an operator reads it: where it sits in the log, what it is, where it came from, and
// its payload in the newest shape (personal fields hidden unless revealed).
type Entry struct {
	Position eventstore.Position `json:"-"`
	// At is Position as text ("commit/prepare"), for printing and for --at-position.
	At       string    `json:"position"`
	Stream   string    `json:"stream"`
	Revision uint64    `json:"revision"`
	Type     string    `json:"type"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor,omitempty"`
	// CorrelationID is shared by everything one conversation caused; for an HTTP request it is the request's
	// id (the X-Request-Id the API answered with).
	CorrelationID string `json:"correlation_id,omitempty"`
	CausationID   string `json:"causation_id,omitempty"`
	CommandID     string `json:"command_id,omitempty"`
	SiteID        string `json:"site_id,omitempty"`
	SchemaVersion int    `json:"schema_version"`
	// Data is the payload, upcast to the newest shape; an event this build does not know is shown as stored.
	Data json.RawMessage `json:"data"`
	// value is the decoded payload (nil for an unknown event type), for the describers.
	value any
}

// entryOf decodes ev for an operator. With reveal false every personal field reads as Hidden; every secret
// field reads as Secret whatever reveal says.
func (o *Operator) entryOf(ev eventstore.RecordedEvent, reveal bool) (Entry, error) {
	md, err := aggregates.ParseMetadata(ev.Metadata)
	if err != nil {
		return Entry{}, fmt.Errorf("operator: %s@%d: %w", ev.StreamID, ev.Revision, err)
	}
	e := Entry{Position: ev.Position, At: ev.Position.String(), Stream: ev.StreamID, Revision: ev.Revision,
		Type: ev.Type, Time: ev.Created.UTC(), Actor: md.Actor, CorrelationID: md.CorrelationID,
		CausationID: md.CausationID, CommandID: md.CommandID, SiteID: md.SiteID, SchemaVersion: md.SchemaVersion,
		Data: json.RawMessage(ev.Data)}
	value, err := o.Registry.Decode(ev.Type, md.SchemaVersion, ev.Data)
	if errors.Is(err, aggregates.ErrUnknownEvent) {
		return e, nil
	}
	if err != nil {
		return Entry{}, fmt.Errorf("operator: %s@%d: %w", ev.StreamID, ev.Revision, err)
	}
	e.value = value
	if e.Data, err = json.Marshal(value); err != nil {
		return Entry{}, fmt.Errorf("operator: %s@%d: %w", ev.StreamID, ev.Revision, err)
	}
	if !reveal {
		if e.Data, err = hide(e.Data, o.Registry.PersonalFields(ev.Type)); err != nil {
			return Entry{}, err
		}
	}
	e.Data, err = hideSecrets(e.Data, o.Registry.SecretFields(ev.Type))
	return e, err
}

// hide replaces the named top-level fields of a JSON object by Hidden.
func hide(data json.RawMessage, personal []string) (json.RawMessage, error) {
	if len(personal) == 0 {
		return data, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("operator: hide personal fields: %w", err)
	}
	hidden, _ := json.Marshal(Hidden)
	for _, name := range personal {
		if _, ok := fields[name]; ok {
			fields[name] = hidden
		}
	}
	return json.Marshal(fields)
}
