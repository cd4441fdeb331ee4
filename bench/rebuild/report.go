package main

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
)

// target is the floor for a rebuild that produces its rows from the log's bulk (newsletters.v1):
// its rate of final rows as a share of COPY's on the same rows. The catalog projections read the same
// log to produce a few thousand rows, so a COPY of those rows takes milliseconds and says nothing.
const target = 0.4

type report struct {
	opts                  options
	runs                  []pair
	loadBefore, loadAfter string
}

// markdown prints, per projection, the median rebuild and the median COPY of the same rows, the ratio of the
// medians and each round's ratio. Both sides end with the same rows in tables of the same shape, so the
// ratio of rows/s is the ratio of the times taken to produce the same final tables.
func (r report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d CPUs, %d newsletter events appended after a %d × %d catalog import; median of %d alternating rounds; load average %s before, %s after.\n\n",
		runtime.NumCPU(), r.opts.events, r.opts.shape.Sites, r.opts.shape.PlansPerSite, r.opts.rounds, r.loadBefore, r.loadAfter)
	b.WriteString("| projection | events read | final rows | rebuild s | rebuild rows/s (events/s) | rebuild CPU s: Go + PostgreSQL | COPY s | COPY rows/s | COPY CPU s: Go + PostgreSQL | rebuild / COPY (medians) | each round | target |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, p := range r.runs {
		m, c := benchenv.Median(p.rebuilds), benchenv.Median(p.copies)
		ratios := make([]float64, len(p.rebuilds))
		rounds := make([]string, len(p.rebuilds))
		for i := range p.rebuilds {
			ratios[i] = speedRatio(p.rebuilds[i], p.copies[i])
			rounds[i] = fmt.Sprintf("%.2f×", ratios[i])
		}
		slices.Sort(ratios)
		goal := "—"
		if p.name == newsletterprojection.Name {
			goal = fmt.Sprintf("≥ %.1f×", target)
		}
		fmt.Fprintf(&b, "| `%s` | %d | %d | %.2f | %.0f (%.0f) | %s | %.2f | %.0f | %s | %.2f× | %s (median %.2f×) | %s |\n", p.name,
			m.Events, m.Rows, m.Elapsed.Seconds(), m.RowsPerSecond(), m.PerSecond(), cpu(m), c.Elapsed.Seconds(), c.RowsPerSecond(),
			cpu(c), speedRatio(m, c), strings.Join(rounds, ", "), ratios[len(ratios)/2], goal)
	}
	return b.String()
}

// speedRatio is how fast the rebuild produced its final tables as a share of how fast COPY produced the
// same ones: the COPY's time over the rebuild's. Both made the same rows, so this is also the ratio of their
// rows/s, and it stays defined for tables left empty.
func speedRatio(rebuild, baseline benchenv.Measurement) float64 {
	return baseline.Elapsed.Seconds() / rebuild.Elapsed.Seconds()
}

// cpu is a pass's CPU time, the benchmark process's and the database backends', in seconds.
func cpu(m benchenv.Measurement) string {
	return fmt.Sprintf("%.2f + %.2f", m.GoCPU.Seconds(), m.DatabaseCPU.Seconds())
}
