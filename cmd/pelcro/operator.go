package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/operator"
)

// newOperator gives the operator tools what they read: the event store that opens personal data, the read
// models, the registry and the read models the binary keeps.
func newOperator(deps *dependencies) *operator.Operator {
	return &operator.Operator{Store: deps.EventStore, DB: deps.ReadModels, Registry: eventRegistry(),
		Projections: knownProjections(auth.Keys{}, nil, nil, nil)}
}

// printJSON writes v as indented JSON, the --json output of every operator command.
func printJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newTable is the aligned table the operator commands print without --json; flush it when done.
func newTable(out io.Writer, header ...string) *tabwriter.Writer {
	table := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(table, strings.Join(header, "\t"))
	return table
}

// row writes one line of cells to a table.
func row(table io.Writer, cells ...string) {
	fmt.Fprintln(table, strings.Join(cells, "\t"))
}

// timeFormats are the spellings --since, --as-of and --diff take besides Unix seconds.
var timeFormats = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// parseTime reads an instant as the operator commands take it: RFC 3339, a date or date and time (UTC), or
// Unix seconds.
func parseTime(s string) (time.Time, error) {
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(secs, 0).UTC(), nil
	}
	for _, layout := range timeFormats {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339 (2026-01-02T15:04:05Z), a date (2026-01-02) or Unix seconds", s)
}

// parseCustomerID reads a customer id argument.
func parseCustomerID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("customer id %q: want a positive integer", s)
	}
	return id, nil
}

// isTerminal reports whether out is a terminal: progress shows only there, so pipes and --json stay clean.
func isTerminal(out io.Writer) bool {
	f, ok := out.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// clock spells an event's time in tables.
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") }

// orDash is s, or "-" for an empty cell.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
