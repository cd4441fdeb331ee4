package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// showFlags are the flags of `pelcro customers show`.
type showFlags struct {
	asOf, atPosition string
	diff, json       bool
}

func newCustomersShowCommand(cfg *config.Config) *cobra.Command {
	var flags showFlags
	cmd := &cobra.Command{
		Use:   "show ID [--as-of T | --at-position P | --diff T1 T2]",
		Short: "Print the Customer resource now, as it was at an instant, or what changed between two",
		Long: `Print the Customer resource (as GET /customer returns it, without the photo's URL).

Without a flag it is the live read model. With --as-of T (RFC 3339, a date, or Unix seconds) or
--at-position P (COMMIT/PREPARE, as "pelcro events" prints positions) it is the resource as it was then:
the customer's events up to that instant, applied by the very apply functions of the projections into
temporary tables and read by the API's own query (time travel). The live read models are never written.
With --diff T1 T2 (each a time or a position) it prints the fields that differ between the two instants.

Fails when the customer did not exist at that instant (not registered yet, or erased).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if flags.diff {
				return cobra.ExactArgs(3)(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseCustomerID(args[0])
			if err != nil {
				return err
			}
			return withOperator(cmd.Context(), *cfg, func(op *operator.Operator) error {
				return showCustomer(cmd.Context(), op, cmd.OutOrStdout(), id, args[1:], flags)
			})
		},
	}
	cmd.Flags().StringVar(&flags.asOf, "as-of", "", "the resource as it was at this time")
	cmd.Flags().StringVar(&flags.atPosition, "at-position", "", "the resource as it was at this position of the log")
	cmd.Flags().BoolVar(&flags.diff, "diff", false, "print what changed between the two instants given after the id")
	cmd.Flags().BoolVar(&flags.json, "json", false, "print JSON instead of a table")
	cmd.MarkFlagsMutuallyExclusive("as-of", "at-position", "diff")
	return cmd
}

func showCustomer(ctx context.Context, op *operator.Operator, out io.Writer, id int64, instants []string, flags showFlags) error {
	if flags.diff {
		from, err := parseInstant(instants[0])
		if err != nil {
			return err
		}
		to, err := parseInstant(instants[1])
		if err != nil {
			return err
		}
		changes, err := op.Diff(ctx, id, from, to)
		if err != nil {
			return err
		}
		if flags.json {
			return printJSON(out, changes)
		}
		table := newTable(out, "FIELD", "AS OF "+from.String(), "AS OF "+to.String())
		for _, c := range changes {
			row(table, c.Field, string(c.Before), string(c.After))
		}
		return table.Flush()
	}
	c, err := customerAt(ctx, op, id, flags)
	if err != nil {
		return err
	}
	if flags.json {
		return printJSON(out, c)
	}
	return printFields(out, c)
}

// customerAt is the live resource, or the one at the instant the flags give.
func customerAt(ctx context.Context, op *operator.Operator, id int64, flags showFlags) (queries.Customer, error) {
	switch {
	case flags.asOf != "":
		at, err := parseTime(flags.asOf)
		if err != nil {
			return queries.Customer{}, err
		}
		return op.CustomerAsOf(ctx, id, operator.Instant{Time: at})
	case flags.atPosition != "":
		p, err := operator.ParsePosition(flags.atPosition)
		if err != nil {
			return queries.Customer{}, err
		}
		return op.CustomerAsOf(ctx, id, operator.Instant{Position: &p})
	}
	c, err := queries.Customers{DB: op.DB}.Customer(ctx, id)
	if errors.Is(err, queries.ErrNotFound) {
		return c, fmt.Errorf("no customer %d in the read model (never registered, erased, or not projected yet)", id)
	}
	return c, err
}

// parseInstant reads a time, or a position when it has the COMMIT/PREPARE shape.
func parseInstant(s string) (operator.Instant, error) {
	if strings.Contains(s, "/") {
		p, err := operator.ParsePosition(s)
		return operator.Instant{Position: &p}, err
	}
	t, err := parseTime(s)
	return operator.Instant{Time: t}, err
}

// printFields prints a resource's top-level fields, one per line, values as JSON.
func printFields(out io.Writer, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	table := newTable(out, "FIELD", "VALUE")
	for _, name := range names {
		row(table, name, string(fields[name]))
	}
	return table.Flush()
}
