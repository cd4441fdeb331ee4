package projections

import (
	"strings"
	"testing"
	"time"
)

// Rebuild transactions commit without waiting for the disk (noFlushWait): a PostgreSQL restart during a
// rebuild may have lost some of them, so a rebuild that sees the server started at another time than when
// it began must refuse to swap its tables in.
func TestARebuildRefusesToSwapAfterTheServerRestarted(t *testing.T) {
	t.Parallel()
	// given a log and live tables the running projection wrote
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "restarted.v1", table: "restarted_counts"}
	counts.create(env)
	projection := counts.projection()
	projection.Tables = []string{counts.table}
	env.ticks("a-1", 5)
	env.exec(`INSERT INTO restarted_counts (stream, events, revision) VALUES ('live-1', 1, 0)`)
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 2}
	rb, err := newRebuild(testContext(t), cfg, projection)
	if err != nil {
		t.Fatal(err)
	}

	// when the server's start time is not the one the rebuild read as it began (as after a restart)
	rb.serverStarted = rb.serverStarted.Add(-time.Minute)
	_, err = rb.fillAndSwap(testContext(t), rebuildOptions{})

	// then the rebuild fails saying so, and the live table is untouched
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL restarted during the rebuild") {
		t.Fatalf("rebuild = %v, want a refusal naming the restart", err)
	}
	counts.expectRows(t, env, map[string]int{"live-1": 1})
}
