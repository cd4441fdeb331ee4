package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// catalogImportActor is the Actor of every event a catalog import writes.
const catalogImportActor = "system:catalog-import"

// catalogCommandNamespace is the UUIDv5 namespace of catalog import command ids. Warning: changing it
// changes every derived command id, so an import re-run across such a deploy could not recognise the
// events its interrupted run already wrote. Never change it.
var catalogCommandNamespace = uuid.MustParse("5d0c7a0e-4b8e-4f5a-9a51-2f7c3b1d6e90")

// catalogEntity is one entity of an import, whatever its kind.
type catalogEntity interface {
	subject() (catalog.Kind, string)
	// plan reads the entity's stream and decides, writing nothing.
	plan(ctx context.Context, store eventstore.Store, now time.Time) (entityPlan, error)
	// write runs the decision through the pipeline and returns the events it appended.
	write(ctx context.Context, store eventstore.Store, p entityPlan, correlationID string, now time.Time) ([]catalog.Event, error)
}

// entityPlan is what a dry run found: the events the entity needs, and the stream's revision they base on.
type entityPlan struct {
	events int
	// base is "new" for a stream that does not exist, else its last revision.
	base string
}

// entityImport is a catalogEntity of aggregate state S, events E and desired state (command) C.
type entityImport[S, E, C any] struct {
	aggregate Aggregate[S, E]
	kind      catalog.Kind
	id        string
	siteID    int64 // 0 for accounts, which belong to no site
	desired   C
	exists    func(S) bool
	define    decideFunc[S, E, C]
	change    decideFunc[S, E, C]
}

func (e entityImport[S, E, C]) subject() (catalog.Kind, string) { return e.kind, e.id }

// decide defines the entity when its stream is empty and changes it otherwise.
func (e entityImport[S, E, C]) decide(s S, now time.Time) ([]E, error) {
	if e.exists(s) {
		return e.change(s, e.desired, now)
	}
	return e.define(s, e.desired, now)
}

func (e entityImport[S, E, C]) plan(ctx context.Context, store eventstore.Store, now time.Time) (entityPlan, error) {
	h, err := load(ctx, store, e.aggregate, e.aggregate.StreamPrefix+e.id, "")
	if err != nil {
		return entityPlan{}, err
	}
	events, err := e.decide(h.state, now)
	if err != nil {
		return entityPlan{}, fmt.Errorf("%s %s: %w", e.kind, e.id, err)
	}
	p := entityPlan{events: len(events), base: "new"}
	if h.exists {
		p.base = strconv.FormatUint(h.last.Revision, 10)
	}
	return p, nil
}

func (e entityImport[S, E, C]) write(ctx context.Context, store eventstore.Store, p entityPlan, correlationID string,
	now time.Time) ([]catalog.Event, error) {
	commandID, err := e.commandID(p.base)
	if err != nil {
		return nil, err
	}
	env := Envelope{CommandID: commandID, CorrelationID: correlationID, Actor: catalogImportActor}
	if e.siteID != 0 {
		env.SiteID = strconv.FormatInt(e.siteID, 10)
	}
	var appended []E
	_, err = Handle(ctx, store, e.aggregate, e.id, env, func(s S) ([]E, error) {
		events, err := e.decide(s, now)
		appended = events
		return events, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", e.kind, e.id, err)
	}
	out := make([]catalog.Event, 0, len(appended))
	for _, event := range appended {
		out = append(out, any(event).(catalog.Event))
	}
	return out, nil
}

// commandID derives the command id from the entity, its desired content and the stream revision the
// decision was planned on. Content makes an interrupted import's re-run (or a concurrent run of the same
// file) propose the very same command, which the pipeline recognises instead of writing twice; the base
// revision makes a later return to an earlier content (A, then B, then A again) a new command rather than
// a "retry" of the first one, which would write nothing.
func (e entityImport[S, E, C]) commandID(base string) (string, error) {
	content, err := json.Marshal(e.desired)
	if err != nil {
		return "", fmt.Errorf("%s %s: encode for the command id: %w", e.kind, e.id, err)
	}
	digest := sha256.Sum256(content)
	name := string(e.kind) + "\x00" + e.id + "\x00" + hex.EncodeToString(digest[:]) + "\x00" + base
	return uuid.NewSHA1(catalogCommandNamespace, []byte(name)).String(), nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
