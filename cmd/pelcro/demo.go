package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/examples"
	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

// demoCatalogName names the embedded example catalog in parse errors.
const demoCatalogName = "examples/catalog.yaml"

// importDemoCatalog imports the example catalog when the event store holds no event yet, so that
// `pelcro serve --demo` shows a working API on a fresh install, and reports whether it did. A store that
// already holds events is left alone: the demo never mixes into real data, and a restart imports nothing.
func importDemoCatalog(ctx context.Context, cfg config.Config, log *slog.Logger) (imported bool, err error) {
	c, err := catalogfile.Parse(demoCatalogName, examples.CatalogYAML)
	if err != nil {
		return false, fmt.Errorf("demo catalog: %w", err)
	}
	deps, err := setUpDependencies(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer deps.Close()
	existing, err := countEventsAfter(ctx, deps.EventStore, eventstore.AllStart(), 1)
	if err != nil {
		return false, fmt.Errorf("demo catalog: %w", err)
	}
	if existing.n > 0 {
		log.Info("demo catalog not imported: the event store already holds events")
		return false, nil
	}
	summary, err := commands.ImportCatalog(ctx, deps.EventStore, c, time.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("demo catalog: %w", err)
	}
	created := 0
	for _, counts := range summary {
		created += counts.Created
	}
	log.Info("demo catalog imported into the empty event store", "file", demoCatalogName, "entities", created)
	return true, nil
}
