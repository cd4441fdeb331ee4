package newsletter

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// repairedRelease is the event registry of a release that repairs the newsletter.subscribed events an older
// release let through with control characters: the type goes to schema version 2, and reading version 1
// drops what the read model cannot store. The other events are registered as newsletter.Events has them.
func repairedRelease() *aggregates.Registry {
	dropControls := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, s)
	}
	r := aggregates.NewRegistry()
	aggregates.MustRegister[newsletter.Subscribed](r, "newsletter.subscribed",
		aggregates.Upcaster{From: 1, Upcast: aggregates.RewriteStrings(dropControls)})
	aggregates.MustRegister[newsletter.Updated](r, "newsletter.updated")
	aggregates.MustRegister[newsletter.Unsubscribed](r, "newsletter.unsubscribed")
	return r
}

// repairWorld is the newsletter vertical on a fresh database: event store, read models, commands.
type repairWorld struct {
	t     *testing.T
	db    *sqlx.DB
	store eventstore.Store
}

func newRepairWorld(t *testing.T) *repairWorld {
	t.Helper()
	db := projectiontest.ReadModels(t)
	store, err := postgres.Open(context.Background(), migratedtest.NewDatabase(t))
	if err != nil {
		t.Fatalf("open the event store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return &repairWorld{t: t, db: db, store: store}
}

func (w *repairWorld) config(registry *aggregates.Registry) projections.Config {
	return projections.Config{Store: w.store, DB: w.db, Registry: registry,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Retry:  projections.Retry{MaxRetries: 1, Backoff: projections.Backoff{Initial: 5 * time.Millisecond, Max: 10 * time.Millisecond}}}
}

// subscribe subscribes email through the command, as the API does, and returns where it landed.
func (w *repairWorld) subscribe(email string) eventstore.Position {
	w.t.Helper()
	names, err := commands.NewStreamNames([]byte("stream-naming-secret-of-the-repair-test-0123"))
	if err != nil {
		w.t.Fatal(err)
	}
	result, err := commands.Newsletters{Store: w.store, Names: names}.Subscribe(w.t.Context(),
		commands.Envelope{CommandID: "subscribe:" + email}, newsletter.Subscribe{SiteID: 1232, Email: email,
			Details: newsletter.Details{FirstName: "Ann"}})
	if err != nil {
		w.t.Fatalf("subscribe %s: %v", email, err)
	}
	return result.Position
}

// run runs the projection with registry until it reaches pos (it must) or stops (then it returns its stop).
func (w *repairWorld) run(registry *aggregates.Registry, pos eventstore.Position) *projections.Stop {
	w.t.Helper()
	runner, err := projections.NewRunner(w.config(registry), Projection())
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(w.t.Context())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	defer func() { cancel(); <-done }()
	wait, stopWaiting := context.WithTimeout(w.t.Context(), 20*time.Second)
	defer stopWaiting()
	if err := runner.WaitFor(wait, pos, Name); errors.Is(err, projections.ErrProjectionStopped) {
		statuses, err := runner.Status(w.t.Context())
		if err != nil || len(statuses) != 1 {
			w.t.Fatalf("status: %v %v", statuses, err)
		}
		return statuses[0].Stop
	} else if err != nil {
		w.t.Fatalf("wait for %s: %v", pos, err)
	}
	return nil
}

// firstNames are the read model's first names by email.
func (w *repairWorld) firstNames() map[string]string {
	w.t.Helper()
	var rows []struct {
		Email     string `db:"email"`
		FirstName string `db:"first_name"`
	}
	if err := w.db.SelectContext(w.t.Context(), &rows, `SELECT email, first_name FROM newsletters`); err != nil {
		w.t.Fatal(err)
	}
	names := map[string]string{}
	for _, r := range rows {
		names[r.Email] = r.FirstName
	}
	return names
}

func TestAReleaseWithARepairingUpcasterGetsAStoppedProjectionGoingWithTheLogIntact(t *testing.T) {
	t.Parallel()
	w := newRepairWorld(t)
	// given a log where an older release stored an entry with a NUL in its first name, between good ones
	w.subscribe("ann@example.com")
	poisonStream := "newsletter-00000000000000000000000000000b0b" // any entry's stream: the projection keys rows by it
	poisonData := []byte(`{"site_id":1232,"email":"poison@example.com","details":{"first_name":"Po\u0000ison"},"subscribed_at":"2025-03-01T09:00:00Z"}`)
	poisonMetadata := []byte(`{"schema_version":1}`)
	if _, err := w.store.Append(t.Context(), poisonStream, eventstore.NoStream(), eventstore.EventData{ID: uuid.New(),
		Type: "newsletter.subscribed", Data: poisonData, Metadata: poisonMetadata}); err != nil {
		t.Fatal(err)
	}
	last := w.subscribe("bob@example.com")

	// when the current release runs it, then it stops on that event and says why, without the value
	stop := w.run(newsletter.Events, last)
	if stop == nil || stop.Event.Stream != poisonStream || stop.Event.Revision != 0 || stop.Event.Type != "newsletter.subscribed" ||
		stop.Reason != "PostgreSQL error 22021 (character_not_in_repertoire)" {
		t.Fatalf("stop = %+v, want one on the poison event with PostgreSQL's reason", stop)
	}
	// and a rebuild by the current release fails on the same event
	_, err := projections.Rebuild(t.Context(), w.config(newsletter.Events), Projection())
	var eventErr *projections.EventError
	if !errors.As(err, &eventErr) || eventErr.Event != stop.Event {
		t.Fatalf("rebuild = %v, want an EventError on %v", err, stop.Event)
	}

	// when the repaired release runs, then it applies the event and carries on, and the stop is gone
	if stop := w.run(repairedRelease(), last); stop != nil {
		t.Fatalf("the repaired release stopped: %v", stop)
	}
	want := map[string]string{"ann@example.com": "Ann", "poison@example.com": "Poison", "bob@example.com": "Ann"}
	if got := w.firstNames(); len(got) != 3 || got["poison@example.com"] != "Poison" || got["bob@example.com"] != "Ann" {
		t.Fatalf("read model = %v, want %v", got, want)
	}
	statuses, err := projections.ReadStatus(t.Context(), w.db)
	if err != nil || len(statuses) != 1 || statuses[0].Stop != nil {
		t.Fatalf("status after the repair = %+v, %v", statuses, err)
	}
	// and a rebuild by the repaired release succeeds with the same rows
	if _, err := projections.Rebuild(t.Context(), w.config(repairedRelease()), Projection()); err != nil {
		t.Fatalf("rebuild by the repaired release: %v", err)
	}
	if got := w.firstNames(); len(got) != 3 || got["poison@example.com"] != "Poison" {
		t.Fatalf("rebuilt read model = %v, want %v", got, want)
	}

	// and the stored event is byte for byte what was written
	stored, err := w.store.ReadStream(t.Context(), poisonStream, eventstore.Forwards, eventstore.StreamStart(), 10)
	if err != nil || len(stored) != 1 || !bytes.Equal(stored[0].Data, poisonData) || !bytes.Equal(stored[0].Metadata, poisonMetadata) {
		t.Fatalf("stored poison event = %+v, %v; want it unchanged", stored, err)
	}
}
