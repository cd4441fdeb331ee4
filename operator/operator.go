// Package operator answers what operators, support agents and auditors ask of the event log, in the domain's
// words and with who did what and why: the raw events of a stream or of the whole log, a customer's timeline
// across their streams, the Customer resource as it was at an instant, and whether a read model still matches
// the log it was projected from. The pelcro CLI and the admin API both sit on it, so they give the same answers.
//
// It only reads: the event log through the store port, and the read models through their own queries. Time
// travel and verification recompute rows with the projections' own apply funcs into tables of their own
// (temporary tables, a scratch schema), never into the live ones.
package operator

import (
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Operator holds what the operator tools read. Its methods may be called concurrently.
type Operator struct {
	// Store is the event store; pass the one that opens personal data (internal/personaldata), or every
	// personal field reads as sealed.
	Store eventstore.Store
	// DB holds the read models (with the customer_streams index of projections/customerstreams).
	DB *sqlx.DB
	// Registry decodes every event of the log.
	Registry *aggregates.Registry
	// Projections are the read models the binary keeps (cmd/pelcro's knownProjections); time travel folds
	// a customer's events with those of them that can be rebuilt.
	Projections []projections.Projection
}
