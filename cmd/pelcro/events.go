package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/operator"
)

// eventsFlags are the output flags every events command shares.
type eventsFlags struct {
	json, reveal bool
	limit        int
}

func (f *eventsFlags) bind(cmd *cobra.Command, limit int) {
	cmd.Flags().BoolVar(&f.json, "json", false, "print JSON (one document; with --follow, one per line) instead of a table")
	cmd.Flags().BoolVar(&f.reveal, "reveal", false, "show personal fields (emails, names, addresses…) instead of "+operator.Hidden)
	rangeVar(cmd.Flags(), &f.limit, "limit", limit, limitTakes, "most events to print, 1 to 500")
}

// revisionTakes is what --from takes: a revision, which the stores keep as a signed 64-bit number.
var revisionTakes = rangeTakes{min: 0, max: math.MaxInt64, want: "want a revision: a whole number, 0 or more"}

func newEventsCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "events", Short: "Read the raw event log: one stream, or the whole log as it grows"}
	root.AddCommand(newEventsStreamCommand(cfg), newEventsTailCommand(cfg))
	return root
}

func newEventsStreamCommand(cfg *config.Config) *cobra.Command {
	var flags eventsFlags
	var from uint64
	cmd := &cobra.Command{
		Use:   "stream NAME",
		Short: "Print the events of one stream (e.g. customer-42, invoice-7, wallet-42)",
		Long: `Print the events of one stream, oldest first: position in the log, revision in the stream, type,
time written, who acted (actor), the request (correlation) and causation ids, and the payload in its newest
shape. Personal fields read as "` + operator.Hidden + `" unless --reveal is given; an erased person's read empty
either way. Fails when the stream has no events.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withOperator(cmd.Context(), *cfg, func(op *operator.Operator) error {
				entries, err := op.Events(cmd.Context(), args[0], from, flags.limit, flags.reveal)
				if err != nil {
					return err
				}
				return printEntries(cmd.OutOrStdout(), entries, flags.json)
			})
		},
	}
	flags.bind(cmd, 100)
	rangeVar(cmd.Flags(), &from, "from", 0, revisionTakes, "first revision to print")
	return cmd
}

func newEventsTailCommand(cfg *config.Config) *cobra.Command {
	var flags eventsFlags
	var follow bool
	var typePrefix, after string
	cmd := &cobra.Command{
		Use:   "tail",
		Short: "Print the last events of the whole log, or follow it as it grows",
		Long: `Print the last --limit events of the whole log (only those whose type starts with --type, e.g.
"invoice." or "customer.registered"), oldest first. With --follow, keep printing new events as they are
written until interrupted (Ctrl-C); with --json, then one JSON document per line. --after starts after a
position instead of the last events. Personal fields read as "` + operator.Hidden + `" unless --reveal.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from := eventstore.AllStart()
			if after != "" {
				p, err := operator.ParsePosition(after)
				if err != nil {
					return err
				}
				from = eventstore.AllAfter(p)
			}
			return withOperator(cmd.Context(), *cfg, func(op *operator.Operator) error {
				return tailEvents(cmd.Context(), op, cmd.OutOrStdout(), from, after == "", typePrefix, follow, flags)
			})
		},
	}
	flags.bind(cmd, 20)
	cmd.Flags().BoolVar(&follow, "follow", false, "keep printing events as they are written, until interrupted")
	cmd.Flags().StringVar(&typePrefix, "type", "", "only events whose type starts with this (e.g. invoice.)")
	cmd.Flags().StringVar(&after, "after", "", "start after this position (COMMIT/PREPARE, as printed) instead of at the last events")
	return cmd
}

// tailEvents prints the last flags.limit matching events (or, with --after, the first ones after it), then,
// with follow, every new one.
func tailEvents(ctx context.Context, op *operator.Operator, out io.Writer, from eventstore.AllFrom, last bool,
	typePrefix string, follow bool, flags eventsFlags) error {
	var entries []operator.Entry
	var err error
	if last {
		entries, from, err = op.Last(ctx, typePrefix, flags.limit, flags.reveal)
	} else {
		entries, err = op.Tail(ctx, from, typePrefix, flags.limit, flags.reveal)
	}
	if err != nil {
		return err
	}
	if !follow {
		return printEntries(out, entries, flags.json)
	}
	for _, e := range entries {
		if err := printFollowed(out, e, flags.json); err != nil {
			return err
		}
	}
	if len(entries) > 0 && !last {
		from = eventstore.AllAfter(entries[len(entries)-1].Position)
	}
	return op.Follow(ctx, from, typePrefix, flags.reveal, func(e operator.Entry) error { return printFollowed(out, e, flags.json) })
}

// printEntries prints events as a table, or as one JSON array.
func printEntries(out io.Writer, entries []operator.Entry, asJSON bool) error {
	if asJSON {
		if entries == nil {
			entries = []operator.Entry{}
		}
		return printJSON(out, entries)
	}
	table := newTable(out, "POSITION", "STREAM", "REV", "TYPE", "TIME (UTC)", "ACTOR", "CORRELATION", "DATA")
	for _, e := range entries {
		row(table, e.At, e.Stream, strconv.FormatUint(e.Revision, 10), e.Type, clock(e.Time), orDash(e.Actor),
			orDash(e.CorrelationID), string(e.Data))
	}
	return table.Flush()
}

// printFollowed prints one followed event: a JSON line, or a line of text.
func printFollowed(out io.Writer, e operator.Entry, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(out).Encode(e)
	}
	_, err := fmt.Fprintf(out, "%s  %s@%d  %s  %s  %s  %s  %s\n", e.At, e.Stream, e.Revision, e.Type, clock(e.Time),
		orDash(e.Actor), orDash(e.CorrelationID), e.Data)
	return err
}

// withOperator opens the installation's dependencies for fn and closes them afterwards.
func withOperator(ctx context.Context, cfg config.Config, fn func(*operator.Operator) error) error {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer deps.Close()
	return fn(newOperator(deps))
}
