// Package commands is the write side's one pipeline: load an aggregate's stream, fold it into state, run a
// pure decide function, append the resulting events with the revision the decision saw, and retry the whole
// cycle when a concurrent writer got there first. Each aggregate family adds one file of commands that call
// Handle with its Aggregate description and a decide closure; none of them talks to the store directly.
package commands

import (
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrMissingCommandID is returned when an Envelope has no command id: without one, event ids cannot be
// derived and a retried request would be written twice.
var ErrMissingCommandID = errors.New("commands: command id is required")

// ErrMissingAggregateID is returned for an empty aggregate id, which would name the prefix-only stream.
var ErrMissingAggregateID = errors.New("commands: aggregate id is required")

// Aggregate tells the pipeline how to store and rebuild one kind of aggregate. S is its state (the zero
// value means "does not exist yet"), E its event type (usually the aggregate package's event interface).
type Aggregate[S, E any] struct {
	// Registry names and decodes the aggregate's events; every E a decide function returns must be in it.
	Registry *aggregates.Registry
	// Evolve folds one event into state. It holds no rules: events are facts.
	Evolve func(S, E) S
	// StreamPrefix is prepended to the aggregate id, e.g. "customer-". Warning: it is part of the stored
	// format (stream names); changing it orphans every existing stream.
	StreamPrefix string
}

// Envelope is what the transport knows about a command besides its payload. It becomes the events' metadata.
type Envelope struct {
	// CommandID identifies the command, e.g. from an Idempotency-Key header or generated per request.
	// Required. Re-sending a command with the same id to the same aggregate writes nothing twice.
	CommandID string
	// CorrelationID groups the messages of one conversation; empty means this command starts one, and the
	// command id is used.
	CorrelationID string
	// CausationID identifies the message that caused this command, if any.
	CausationID string
	// SiteID is the Pelcro site (tenant) the command runs for.
	SiteID string
	// Actor is who acts, as "<kind>:<id>" (see aggregates.Metadata).
	Actor string
	// alike marks a command every process decides alike on the same state (the billing clock's: its clock
	// stands at the item's due instant and the gateway answers by a key of the command's), whose first
	// attempt may therefore decide on the state cache alone (fromCache). Were the decision to depend on the
	// process, one that decided on a stale cache and found its events already appended by another (the
	// store takes them for a retry) would keep a state the log never held.
	alike bool
	// NewCommandID says CommandID was drawn at random for this one call (transport does so for a request
	// without an Idempotency-Key): no process can hold events of this command, so its first attempt may
	// decide on the state cache alone (fromCache), as an alike command's does, and save the read of the
	// stream's tail; the append, which expects the cached revision, tells it when another process wrote
	// since. Warning: never set it for an id a client or a process can send again (a key, an id derived from
	// an entity): a retry whose first attempt landed through another process would then take the log's
	// events for its own decision's and answer with a state the log never held. Set it with Drawn, which
	// also gives the ids asked for under the command id a memory (recordedNewID records none for it).
	NewCommandID bool
	// drawn remembers the ids asked for under a drawn command id (see Drawn); nil: they are recorded.
	drawn *DrawnIDs
}

// decidesOnCache tells whether the command's first attempt may decide on the state cache alone.
func (env Envelope) decidesOnCache() bool { return env.alike || env.NewCommandID }

// metadata returns the metadata of an event of the given schema version written by this command.
func (env Envelope) metadata(schemaVersion int) aggregates.Metadata {
	correlation := env.CorrelationID
	if correlation == "" {
		correlation = env.CommandID
	}
	return aggregates.Metadata{
		SchemaVersion: schemaVersion,
		CommandID:     env.CommandID,
		CorrelationID: correlation,
		CausationID:   env.CausationID,
		SiteID:        env.SiteID,
		Actor:         env.Actor,
	}
}

// Result tells where the aggregate's stream stands after a command.
type Result struct {
	// Revision is the revision of the stream's last event the command wrote or, for a no-op, of the
	// stream's last event. It is the aggregate's version (e.g. for an ETag).
	Revision uint64
	// Position is the global position of that same event: once a projection reached it, its read model
	// reflects the command (read-your-writes). It is the zero Position (nothing to wait for) only when the
	// stream does not exist and the decision was a no-op; Revision is then 0 as well.
	Position eventstore.Position
}

// PersonalDataStreams are the stream prefixes of the aggregates that hold personal data: each such stream is
// one data subject, whose personal fields the event store seals under a key of its own
// (internal/personaldata). A new aggregate with personal fields must be added here, or its events are
// refused by the store.
var PersonalDataStreams = []string{CustomerAggregate.StreamPrefix, NewsletterAggregate.StreamPrefix,
	SubscriptionAggregate.StreamPrefix}

// derived is the envelope of a second command one command issues (on another stream): its id is this
// command's plus part, so a retry of the first issues the very same second command.
func (env Envelope) derived(part string) Envelope {
	env.CommandID += ":" + part
	return env
}
