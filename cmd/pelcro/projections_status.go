package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/projections"
)

func newProjectionsListCommand(cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List every projection: name, version, checkpoint, lag in events, state",
		Long: `List every projection this binary knows with its version (the ".vN" suffix of its name), its
checkpoint (the position of the last event its read model reflects), its lag (how many events of the log
come after the checkpoint, counted up to 1000000) and its state: "not started" (no checkpoint yet),
"caught up", "behind", or "stopped" (it gave up on an event, named on a line below the table with the
reason, until a release that can apply it runs; see docs/projections.md). It reads the read-model database
and the event store only, so it can run while "pelcro serve" runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rows, err := readProjectionRows(cmd.Context(), *cfg)
			if err != nil {
				return err
			}
			return printProjectionRows(cmd.OutOrStdout(), rows, false)
		},
	}
}

// maxLagTakes is what --max-lag takes.
var maxLagTakes = rangeTakes{min: 0, max: math.MaxInt, want: "want a number of events, 0 or more (0 waits for every event)"}

func newProjectionsStatusCommand(cfg *config.Config) *cobra.Command {
	var maxLag int
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Like list, with the last update time; fails when a projection stopped or lags too far behind",
		Long: `Print what "pelcro projections list" prints plus when each checkpoint last moved, then exit with
status 1 if any projection stopped on an event, or has more than --max-lag events of the log left to apply
(a projection never started counts every event). Scripts can wait for the read models with, for example:

  until pelcro projections status --max-lag 0 >/dev/null; do sleep 1; done`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rows, err := readProjectionRows(cmd.Context(), *cfg)
			if err != nil {
				return err
			}
			if err := printProjectionRows(cmd.OutOrStdout(), rows, true); err != nil {
				return err
			}
			return errors.Join(checkStopped(rows), checkLag(rows, maxLag))
		},
	}
	rangeVar(cmd.Flags(), &maxLag, "max-lag", 1000, maxLagTakes, "most events a projection may have left to apply before the exit status is 1")
	return cmd
}

// projectionRow is one line of list and status.
type projectionRow struct {
	name       string
	checkpoint *eventstore.Position
	updatedAt  time.Time
	lag        eventCount
	stop       *projections.Stop // the event it stopped on, while it has not moved past it
}

// version is the ".vN" suffix of the name, without the dot.
func (r projectionRow) version() string {
	return r.name[strings.LastIndex(r.name, ".")+1:]
}

func (r projectionRow) state() string {
	switch {
	case r.stop != nil:
		return "stopped"
	case r.checkpoint == nil:
		return "not started"
	case r.lag.n == 0:
		return "caught up"
	}
	return "behind"
}

// readProjectionRows reads every known projection's checkpoint and counts the events after it.
func readProjectionRows(ctx context.Context, cfg config.Config) ([]projectionRow, error) {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer deps.Close()
	statuses, err := projections.ReadStatus(ctx, deps.ReadModels)
	if err != nil {
		return nil, err
	}
	byName := map[string]projections.Status{}
	for _, s := range statuses {
		byName[s.Name] = s
	}
	lagAfter := map[string]eventCount{} // projections often share a checkpoint: count once per position
	var rows []projectionRow
	for _, p := range knownProjections(auth.Keys{}, nil, nil, nil) {
		status := byName[p.Name]
		row := projectionRow{name: p.Name, checkpoint: status.Checkpoint, updatedAt: status.UpdatedAt, stop: status.Stop}
		from, key := eventstore.AllStart(), "start"
		if row.checkpoint != nil {
			from, key = eventstore.AllAfter(*row.checkpoint), row.checkpoint.String()
		}
		lag, counted := lagAfter[key]
		if !counted {
			if lag, err = countEventsAfter(ctx, deps.EventStore, from, maxCountedEvents); err != nil {
				return nil, err
			}
			lagAfter[key] = lag
		}
		row.lag = lag
		rows = append(rows, row)
	}
	return rows, nil
}

func printProjectionRows(out io.Writer, rows []projectionRow, withUpdatedAt bool) error {
	table := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	header := "NAME\tVERSION\tCHECKPOINT\tLAG (EVENTS)\tSTATE"
	if withUpdatedAt {
		header += "\tUPDATED"
	}
	fmt.Fprintln(table, header)
	for _, r := range rows {
		checkpoint, updated := "-", "-"
		if r.checkpoint != nil {
			checkpoint, updated = r.checkpoint.String(), r.updatedAt.UTC().Format(time.RFC3339)
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", r.name, r.version(), checkpoint, r.lag, r.state())
		if withUpdatedAt {
			line += "\t" + updated
		}
		fmt.Fprintln(table, line)
	}
	if err := table.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if r.stop != nil {
			fmt.Fprintf(out, "\n%s stopped on %s, at %s:\n  %s\n", r.name, r.stop.Event,
				r.stop.At.UTC().Format(time.RFC3339), r.stop.Reason)
		}
	}
	return nil
}

// checkStopped fails when any projection stopped on an event.
func checkStopped(rows []projectionRow) error {
	var stopped []string
	for _, r := range rows {
		if r.stop != nil {
			stopped = append(stopped, fmt.Sprintf("%s (on %s at %s)", r.name, r.stop.Event.Type, r.stop.Event.Position))
		}
	}
	if len(stopped) > 0 {
		return fmt.Errorf("%d projection(s) stopped: %s", len(stopped), strings.Join(stopped, ", "))
	}
	return nil
}

// checkLag fails when any row has more than maxLag events left to apply.
func checkLag(rows []projectionRow, maxLag int) error {
	var behind []string
	for _, r := range rows {
		if r.lag.capped || r.lag.n > maxLag {
			behind = append(behind, fmt.Sprintf("%s (%s)", r.name, r.lag))
		}
	}
	if len(behind) > 0 {
		return fmt.Errorf("%d projection(s) more than %d events behind: %s", len(behind), maxLag, strings.Join(behind, ", "))
	}
	return nil
}
