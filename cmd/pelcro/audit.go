package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/operator"
)

func newAuditCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "audit", Short: "Tell what happened, in plain words, with who did it and why"}
	root.AddCommand(newAuditCustomerCommand(cfg))
	return root
}

// auditFlags are the flags of `pelcro audit customer`.
type auditFlags struct {
	site          int64
	since, cursor string
	limit         int
	json          bool
}

func newAuditCustomerCommand(cfg *config.Config) *cobra.Command {
	var flags auditFlags
	cmd := &cobra.Command{
		Use:   "customer ID|EMAIL",
		Short: "A customer's whole history across their streams, newest first, in plain words",
		Long: `Print the timeline of one customer, newest first: when, what happened in plain English, who acted
(the customer, an operator, or the system), the request (correlation) id and the causation id, and the
stream it is recorded in. It covers the customer's own stream, their sign-ins, saved cards, invoices and
payment attempts, and the newsletter entries of every email they had on their site. Personal data never
shows (use "pelcro events stream NAME --reveal" for that).

An email names a customer only within a site: give --site with it. An ID given with --site must be a
customer of that site; any other is refused as an unknown customer is. An email that several customers of the
site had over time is refused with their ids; audit one of them by id.

It reads only the customer's streams, found in the customer_streams index (projection
customer_streams.v1), so it answers quickly however long the log is. --limit entries form one page; the
last line then gives the --cursor of the next page.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var since time.Time
			if flags.since != "" {
				t, err := parseTime(flags.since)
				if err != nil {
					return err
				}
				since = t
			}
			return withOperator(cmd.Context(), *cfg, func(op *operator.Operator) error {
				id, err := resolveCustomer(cmd.Context(), op, args[0], flags.site)
				if err != nil {
					return err
				}
				page, err := op.Timeline(cmd.Context(), id, since, flags.limit, flags.cursor)
				if err != nil {
					return err
				}
				if flags.json {
					return printJSON(cmd.OutOrStdout(), page)
				}
				return printTimeline(cmd.OutOrStdout(), page)
			})
		},
	}
	rangeVar(cmd.Flags(), &flags.site, "site", 0, positiveID("a site"), "the site whose customer the EMAIL names (required with an email; with an ID, the customer's site)")
	cmd.Flags().StringVar(&flags.since, "since", "", "leave out what happened before this time (RFC 3339, a date, or Unix seconds)")
	rangeVar(cmd.Flags(), &flags.limit, "limit", 50, limitTakes, "entries per page, 1 to 500")
	cmd.Flags().StringVar(&flags.cursor, "cursor", "", "continue a timeline where the previous page ended")
	cmd.Flags().BoolVar(&flags.json, "json", false, "print JSON instead of a table")
	return cmd
}

// resolveCustomer reads ID|EMAIL: an id as it is (with a site, only a customer of that site), an email
// through the customers of the site who had it.
func resolveCustomer(ctx context.Context, op *operator.Operator, arg string, site int64) (int64, error) {
	if !strings.Contains(arg, "@") {
		id, err := parseCustomerID(arg)
		if err == nil && site > 0 {
			err = op.CustomerOnSite(ctx, id, site)
		}
		return id, err
	}
	if site <= 0 {
		return 0, errors.New("an email names a customer only within a site: give --site ID")
	}
	ids, err := op.FindCustomers(ctx, site, arg)
	switch {
	case err != nil:
		return 0, err
	case len(ids) == 0:
		return 0, fmt.Errorf("no customer of site %d ever had that email", site)
	case len(ids) > 1:
		return 0, fmt.Errorf("customers %v of site %d all had that email at some time: audit one of them by id", ids, site)
	}
	return ids[0], nil
}

// shownStreams bounds how many of the customer's streams the table's heading names.
const shownStreams = 8

// printTimeline prints a timeline page as a table, and the cursor of the next page.
func printTimeline(out io.Writer, page operator.TimelinePage) error {
	streams := strings.Join(page.Streams[:min(len(page.Streams), shownStreams)], ", ")
	if len(page.Streams) > shownStreams {
		streams += fmt.Sprintf(", … (%d in all; --json lists them)", len(page.Streams))
	}
	fmt.Fprintf(out, "customer %d, streams: %s\n\n", page.CustomerID, streams)
	table := newTable(out, "TIME (UTC)", "WHAT", "WHO", "REQUEST", "CAUSATION", "EVENT")
	for _, e := range page.Entries {
		row(table, clock(e.Time), e.What, e.Who, orDash(e.CorrelationID), orDash(e.CausationID),
			fmt.Sprintf("%s@%d %s", e.Stream, e.Revision, e.Type))
	}
	if err := table.Flush(); err != nil {
		return err
	}
	if page.Next != "" {
		_, err := fmt.Fprintf(out, "\nmore: --cursor %s\n", page.Next)
		return err
	}
	return nil
}
