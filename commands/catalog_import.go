package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// KindCounts says what an import did to the entities of one kind it was given.
type KindCounts struct {
	Created, Changed, Unchanged int
}

// ImportSummary counts, per entity kind, the entities an import created, changed or left unchanged.
// Plans and SKUs count apart from their products. An entity counts as created or changed when this run
// appended its events; when a concurrent run of the same file appended them first, both runs may count it.
type ImportSummary map[catalog.Kind]KindCounts

// ImportCatalog makes the event store hold the desired catalog c, through the command pipeline, and only
// through the event store: it runs against a live `pelcro serve` (which shows the changes once its
// projections apply them) or against a stopped one alike.
//
// It is all or nothing at the file level: it first checks every rule of c (c.Problems) and then, reading
// each entity's stream, decides every entity without writing; any failure there (a rule broken, a site
// moved to another account, an unreachable store) returns an error and nothing is written. Only then it
// writes, entity by entity (one append per entity stream, in dependency order). It is idempotent: an
// entity already in the desired state gets no event, so importing the same file twice appends nothing,
// and changing one field appends one change event for that entity alone. Entities c leaves out are left
// alone. Command ids derive from each entity's content and the revision it was decided on, so a run
// interrupted half-way (crash, lost connection) is completed by running it again, without duplicates, and
// two concurrent runs of the same file write each event once.
func ImportCatalog(ctx context.Context, store eventstore.Store, c catalog.Catalog, now time.Time) (ImportSummary, error) {
	if err := c.Problems(); len(err) > 0 {
		return nil, err
	}
	entities := catalogEntities(c)
	plans := make([]entityPlan, len(entities))
	var failures []error
	for i, entity := range entities {
		p, err := entity.plan(ctx, store, now)
		if err != nil {
			failures = append(failures, err)
		}
		plans[i] = p
	}
	if len(failures) > 0 {
		return nil, fmt.Errorf("commands: catalog import wrote nothing: %w", errors.Join(failures...))
	}
	correlationID, err := catalogCorrelationID(c)
	if err != nil {
		return nil, err
	}
	var written []catalog.Event
	for i, entity := range entities {
		if plans[i].events == 0 {
			continue
		}
		events, err := entity.write(ctx, store, plans[i], correlationID, now)
		if err != nil {
			return nil, fmt.Errorf("commands: catalog import stopped (run it again to complete it): %w", err)
		}
		written = append(written, events...)
	}
	return summarise(c, written), nil
}

// catalogCorrelationID groups the events of one file's import: the same file always gets the same id.
func catalogCorrelationID(c catalog.Catalog) (string, error) {
	content, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("commands: encode catalog: %w", err)
	}
	digest := sha256.Sum256(content)
	return "catalog-import-" + hex.EncodeToString(digest[:8]), nil
}

// summarise counts the entities of c by what the written events did to them.
func summarise(c catalog.Catalog, written []catalog.Event) ImportSummary {
	created, changed := map[catalog.Subject]bool{}, map[catalog.Subject]bool{}
	for _, e := range written {
		s := e.Subject()
		if s.Created {
			s.Created = false
			created[s] = true
		} else {
			changed[s] = true
		}
	}
	summary := ImportSummary{}
	for _, s := range subjects(c) {
		counts := summary[s.Kind]
		switch {
		case created[s]:
			counts.Created++
		case changed[s]:
			counts.Changed++
		default:
			counts.Unchanged++
		}
		summary[s.Kind] = counts
	}
	return summary
}

// subjects lists every entity of c, plans and SKUs included.
func subjects(c catalog.Catalog) []catalog.Subject {
	var out []catalog.Subject
	add := func(kind catalog.Kind, id string) { out = append(out, catalog.Subject{Kind: kind, ID: id}) }
	for _, entity := range catalogEntities(c) {
		add(entity.subject())
	}
	for _, p := range c.Products {
		for _, plan := range p.Plans {
			add(catalog.KindPlan, itoa(plan.ID))
		}
	}
	for _, p := range c.EcommerceProducts {
		for _, sku := range p.SKUs {
			add(catalog.KindSKU, itoa(sku.ID))
		}
	}
	return out
}
