package transport

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// The admin API (/admin/api) and console (/admin) serve operators, support agents and auditors: read-only
// answers about one account, the one of the API key presented (docs/operations.md). They are outside the
// Open API and its conventions of site_id and envelopes: the API answers plain JSON objects, the console
// server-rendered HTML.

// AdminKeys checks the API keys and console sessions of /admin (internal/apikeys.Store).
type AdminKeys interface {
	// Authenticate returns the key presented, or apikeys.ErrInvalidKey when it is malformed, unknown or revoked.
	Authenticate(ctx context.Context, key string) (apikeys.Key, error)
	// StartSession signs a key in to the console: a session token for the cookie, and its end.
	StartSession(ctx context.Context, key string) (string, time.Time, error)
	// Session returns the key of a live session, or apikeys.ErrInvalidKey.
	Session(ctx context.Context, token string) (apikeys.Key, error)
	EndSession(ctx context.Context, token string) error
}

// AdminReads answers the admin API and console, wired by cmd/pelcro over the read models, the projections
// and the event log (so transport never reads the log itself). The methods taking a customer id are only
// called once the customer was found in the caller's account.
type AdminReads interface {
	// Projections lists every read model with its state and lag.
	Projections(ctx context.Context) ([]AdminProjection, error)
	// SearchCustomers and Customer are queries.Customers'.
	SearchCustomers(ctx context.Context, accountID int64, query string, limit int) ([]queries.CustomerMatch, error)
	Customer(ctx context.Context, id int64) (queries.Customer, error)
	// Timeline is the customer's history across their streams, newest first, back to q.Since, continuing
	// after q.Cursor. A cursor it did not write is ErrAdminCursor.
	Timeline(ctx context.Context, customerID int64, q AdminPage) (AdminTimeline, error)
	// CustomerAsOf is the Customer resource as it was at that instant, folded from the log; queries.ErrNotFound
	// when the customer did not exist yet.
	CustomerAsOf(ctx context.Context, customerID int64, at AdminInstant) (queries.Customer, error)
	// Events are the raw events of the customer's streams, oldest first, continuing after q.Cursor (or
	// ErrAdminCursor); personal fields hidden unless q.Reveal, secrets (password and token hashes, card
	// tokens and fingerprints) always. q.Since does not apply.
	Events(ctx context.Context, customerID int64, q AdminPage) (AdminEvents, error)
}

// ErrAdminCursor is AdminReads' answer to a cursor it did not write: 400.
var ErrAdminCursor = errors.New("transport: malformed cursor")

// AdminInstant is a moment of the log: every event written at or before Time, or, when Position is set (as
// "COMMIT/PREPARE", the way events show it), every event at or before that position.
type AdminInstant struct {
	Time     time.Time
	Position string
}

// AdminPage says which part of a customer's history to read.
type AdminPage struct {
	Since  time.Time // zero: from the beginning
	Cursor string    // the Next of the previous page; empty for the first page
	Limit  int
	Reveal bool // events only: show personal fields
}

// AdminProjection is one read model's health.
type AdminProjection struct {
	Name string `json:"name"`
	// State is the runner's: "not-running", "running" (catching up), "caught-up" or "stopped" (Error says
	// why).
	State string `json:"state"`
	// Checkpoint is the position of the last event the read model reflects; empty before the first.
	Checkpoint string `json:"checkpoint"`
	// LagEvents counts the events of the log after the checkpoint, up to a cap (LagCapped: at least that
	// many); LagSeconds is the age of the oldest of them.
	LagEvents  int64   `json:"lag_events"`
	LagCapped  bool    `json:"lag_capped"`
	LagSeconds float64 `json:"lag_seconds"`
	// UpdatedAt is when the checkpoint last moved, Unix seconds (null without a checkpoint).
	UpdatedAt *int64 `json:"updated_at"`
	Error     string `json:"error,omitempty"`
}

// AdminTimeline is one page of a customer's audit timeline.
type AdminTimeline struct {
	Entries []AdminTimelineEntry `json:"entries"`
	// Next reads the following page (the cursor parameter); empty on the last one.
	Next string `json:"next_cursor"`
}

// AdminTimelineEntry is one thing that happened to a customer, in plain words, with who did it and why.
type AdminTimelineEntry struct {
	Time     int64  `json:"time"`
	Summary  string `json:"summary"`
	Type     string `json:"type"`
	Stream   string `json:"stream"`
	Revision uint64 `json:"revision"`
	Position string `json:"position"`
	// Actor is who did it: "customer 7", "operator (cli)", "system (renewals)" …
	Actor string `json:"actor"`
	// CorrelationID is shared by everything one conversation caused; for an API request it is the
	// request's id (the X-Request-Id it was answered with). CausationID is what caused this event.
	CorrelationID string `json:"correlation_id"`
	CausationID   string `json:"causation_id"`
	CommandID     string `json:"command_id"`
}

// AdminEvents is one page of the raw events of a customer's streams.
type AdminEvents struct {
	Events []AdminEvent `json:"events"`
	Next   string       `json:"next_cursor"`
}

// AdminEvent is one event as the log keeps it, decoded.
type AdminEvent struct {
	Position string          `json:"position"`
	Stream   string          `json:"stream"`
	Revision uint64          `json:"revision"`
	Type     string          `json:"type"`
	Time     int64           `json:"time"`
	Metadata json.RawMessage `json:"metadata"`
	Data     json.RawMessage `json:"data"`
}
