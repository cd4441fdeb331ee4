package projections

import (
	"errors"
	"strings"
	"testing"
)

func TestRebuildRefusesAProjectionMarkedNoRebuild(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "effects.v1", table: "effect_counts"}
	counts.create(env)
	projection := counts.projection()
	projection.Tables = []string{counts.table}
	projection.NoRebuild = "replaying it would repeat its effects"

	// given a log the live table reflects
	last := env.ticks("a-1", 2)
	r := env.runner(nil, projection)
	start(t, r)
	waitFor(t, r, last, counts.name)

	// when it is rebuilt
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry}
	_, err := Rebuild(testContext(t), cfg, projection)

	// then the rebuild is refused with the reason, and the live table is untouched
	if !errors.Is(err, ErrNotRebuildable) || !strings.Contains(err.Error(), "effects.v1: replaying it would repeat its effects") {
		t.Fatalf("Rebuild error = %v, want ErrNotRebuildable naming the projection and the reason", err)
	}
	counts.expectRows(t, env, map[string]int{"a-1": 2})
	var schemas int
	if err := env.db.GetContext(testContext(t), &schemas,
		`SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'rebuild_%'`); err != nil {
		t.Fatalf("count rebuild schemas: %v", err)
	}
	if schemas != 0 {
		t.Fatalf("a refused rebuild left %d rebuild schemas", schemas)
	}
}
