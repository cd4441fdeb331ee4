package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
)

func newProjectionsVerifyCommand(cfg *config.Config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify [NAME...]",
		Short: "Check that read models still match the log: recompute them aside and compare digests",
		Long: `Recompute the named projections' tables (every one that can be rebuilt when none is named) from the
log into scratch tables, up to the position the live tables reflect, and compare the two: row count and an
MD5 digest of the rows of each table. For a table that differs it names the first rows (as PostgreSQL
spells a row) that only the live table has, and those only the log explains. Exit status 1 when any table
drifted, so a read model that no longer matches its log is found, not guessed.

It uses the apply functions and batches of "pelcro projections rebuild", never writes the live tables, and
drops the scratch tables when done. The last step holds the projection's checkpoint while it compares, so
the running projection waits a moment. A projection that never ran here is reported and skipped.`,
		RunE: func(cmd *cobra.Command, names []string) error {
			selected, _, err := selectProjections(names, len(names) == 0)
			if err != nil {
				return err
			}
			results, err := verifyProjections(cmd.Context(), *cfg, cmd.ErrOrStderr(), selected)
			if err != nil {
				return err
			}
			if asJSON {
				err = printJSON(cmd.OutOrStdout(), results)
			} else {
				err = printVerifications(cmd.OutOrStdout(), results)
			}
			return errors.Join(err, drift(results))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// verifyProjections verifies each projection in turn; one that never ran has no tables in the result.
func verifyProjections(ctx context.Context, cfg config.Config, progress io.Writer, selected []projections.Projection) ([]operator.Verification, error) {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer deps.Close()
	var results []operator.Verification
	for _, p := range selected {
		if isTerminal(progress) {
			fmt.Fprintf(progress, "verifying %s…\n", p.Name)
		}
		v, err := operator.Verify(ctx, projectionsConfig(deps), p)
		if errors.Is(err, projections.ErrNeverRan) {
			results = append(results, operator.Verification{Projection: p.Name})
			continue
		}
		if err != nil {
			return nil, err
		}
		results = append(results, v)
	}
	return results, nil
}

// printVerifications prints a line per table, then the first differing rows of the tables that drifted.
func printVerifications(out io.Writer, results []operator.Verification) error {
	table := newTable(out, "PROJECTION", "TABLE", "LIVE ROWS", "LOG ROWS", "STATE", "POSITION")
	for _, v := range results {
		if len(v.Tables) == 0 {
			row(table, v.Projection, "-", "-", "-", "not started", "-")
		}
		for _, t := range v.Tables {
			state := "ok"
			if t.Drifted() {
				state = "DRIFTED"
			}
			row(table, v.Projection, t.Live.Table, fmt.Sprint(t.Live.Rows), fmt.Sprint(t.Rebuilt.Rows), state, v.Position)
		}
	}
	if err := table.Flush(); err != nil {
		return err
	}
	for _, v := range results {
		for _, t := range v.Tables {
			if !t.Drifted() {
				continue
			}
			fmt.Fprintf(out, "\n%s: %s differs from the log at %s\n", v.Projection, t.Live.Table, v.Position)
			for _, r := range t.OnlyLive {
				fmt.Fprintf(out, "  only live:   %s\n", r)
			}
			for _, r := range t.OnlyRebuilt {
				fmt.Fprintf(out, "  only in log: %s\n", r)
			}
		}
	}
	return nil
}

// drift is the one-line failure naming the drifted tables, or nil.
func drift(results []operator.Verification) error {
	var drifted []string
	for _, v := range results {
		for _, t := range v.Tables {
			if t.Drifted() {
				drifted = append(drifted, v.Projection+"/"+t.Live.Table)
			}
		}
	}
	if len(drifted) == 0 {
		return nil
	}
	return fmt.Errorf("%d table(s) drifted from the log: %s", len(drifted), strings.Join(drifted, ", "))
}
