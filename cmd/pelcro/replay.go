package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
)

func newReplayCommand(cfg *config.Config) *cobra.Command {
	var into string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "replay --into DATABASE_URL",
		Short: "Rebuild every read model from the log into a fresh database and print a digest per table",
		Long: `Rebuild every read model that can be rebuilt (the mail outbox never is) from the whole event log
into another PostgreSQL database, created and migrated when missing, and print for every table its row count
and an MD5 digest of its rows (independent of their order). Equal digests mean equal tables: compare them
with another replay, or with "pelcro projections verify" on the live read models.

The target must be fresh (no read model in it yet) and must not be the live read-model database. Every
read model is rebuilt in one pass over the log (each event read once, and decoded once when some read model
uses it), each with what "pelcro projections rebuild" runs for it (batched transactions over its apply
functions, its own checkpoint). The event log is only read; it can run while "pelcro serve" runs. A progress bar shows on a
terminal.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if into == "" {
				return fmt.Errorf("--into DATABASE_URL is required: the fresh database to replay into")
			}
			if !isPostgresURL(into) {
				return errors.New("--into: want a PostgreSQL URL naming its database, like postgres://user@host:5432/replayed")
			}
			if into == cfg.DatabaseURL {
				return fmt.Errorf("--into names the live read-model database; replay into a fresh one")
			}
			results, err := replay(cmd.Context(), *cfg, into, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), results)
			}
			return printDigests(cmd.OutOrStdout(), results)
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "PostgreSQL URL of the fresh database to rebuild the read models into")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// replay rebuilds every rebuildable read model into the database at url, with progress on progressOut
// when it is a terminal.
func replay(ctx context.Context, cfg config.Config, url string, progressOut io.Writer) ([]operator.Replayed, error) {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer deps.Close()
	target, err := freshReadModels(ctx, url)
	if err != nil {
		return nil, err
	}
	defer target.Close()
	total, err := countEventsAfter(ctx, deps.EventStore, eventstore.AllStart(), maxCountedEvents)
	if err != nil {
		return nil, err
	}
	if total.n == 0 {
		return nil, fmt.Errorf("the event log is empty: nothing to replay")
	}
	into := projections.Config{Store: deps.EventStore, DB: target, Registry: eventRegistry()}
	var rebuildable []projections.Projection
	for _, p := range knownProjections(auth.Keys{}, nil, nil, nil) {
		if p.NoRebuild == "" {
			rebuildable = append(rebuildable, p)
		}
	}
	var options []projections.RebuildOption
	var progress rebuildProgress
	if isTerminal(progressOut) {
		progress = newRebuildProgress(progressOut, fmt.Sprintf("%d read models", len(rebuildable)), total)
		options = append(options, projections.WithRebuildProgress(progress.update))
	}
	results, err := operator.Replay(ctx, into, rebuildable, options...)
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress.finish()
	}
	return results, nil
}

// isPostgresURL reports whether s is a postgres:// URL that names its database: the one spelling --into
// takes. Anything else would reach the driver, which answers in its own terms about a connection
// string it guessed at.
func isPostgresURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") && strings.Trim(u.Path, "/") != ""
}

// freshReadModels opens (creating and migrating when needed) the database at url, and refuses one that
// holds read models already.
func freshReadModels(ctx context.Context, url string) (*sqlx.DB, error) {
	db, err := pg.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("--into: %w", err)
	}
	var checkpoints int
	err = migrations.Apply(ctx, db.DB)
	if err == nil {
		err = db.GetContext(ctx, &checkpoints, `SELECT count(*) FROM projection_checkpoints`)
	}
	if err == nil && checkpoints > 0 {
		err = fmt.Errorf("it holds read models already (%d projection checkpoints); give a fresh database", checkpoints)
	}
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("--into: %w", err)
	}
	return db, nil
}

// printDigests prints one line per table replayed.
func printDigests(out io.Writer, results []operator.Replayed) error {
	table := newTable(out, "PROJECTION", "TABLE", "ROWS", "MD5", "POSITION")
	for _, r := range results {
		for _, d := range r.Tables {
			row(table, r.Projection, d.Table, fmt.Sprint(d.Rows), d.MD5, r.Position)
		}
	}
	return table.Flush()
}
