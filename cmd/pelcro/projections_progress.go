package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// rebuildProgress shows how far a rebuild got: a bar on a terminal, plain lines otherwise (logs, pipes).
type rebuildProgress interface {
	// update is projections.WithRebuildProgress's callback.
	update(applied int, at eventstore.Position)
	// finish shows the final state once the rebuild swapped its tables in.
	finish()
}

// newRebuildProgress picks the bar when out is a terminal.
func newRebuildProgress(out io.Writer, name string, total eventCount) rebuildProgress {
	started := time.Now()
	summary := &plainProgress{out: out, name: name, total: total, now: time.Now, started: started, printed: started}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		max := int64(total.n)
		if total.capped {
			max = -1 // unknown length: a spinner with the count
		}
		// No rate on the bar: the library divides by the time since the bar started, which gives absurd
		// rates for short rebuilds. The final line (summary) gives one when there is enough time to measure.
		return &barProgress{summary: summary, bar: progressbar.NewOptions64(max, progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription(name), progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionFullWidth(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }))}
	}
	return summary
}

type barProgress struct {
	bar     *progressbar.ProgressBar
	summary *plainProgress // prints the final line only
}

func (b *barProgress) update(applied int, _ eventstore.Position) {
	if max := b.bar.GetMax64(); max >= 0 && int64(applied) > max { // events appended since the count
		b.bar.ChangeMax64(int64(applied))
	}
	_ = b.bar.Set(applied)
	b.summary.applied = applied
}

func (b *barProgress) finish() {
	_ = b.bar.Finish()
	b.summary.finish()
}

// plainProgressEvery is how often plain progress prints a line; the final line always prints.
const plainProgressEvery = time.Second

// minRateWindow is how long a rebuild must have run before a rate (and an ETA from it) is shown: over a few
// milliseconds the clock's granularity and the set-up time make any rate meaningless (37 events rebuilt in
// 10 µs are not 3.7 million events/s).
const minRateWindow = time.Second

// plainProgress prints lines like "plans.v1: rebuilt 120000/450000 events, 51000 events/s, ETA 6s".
type plainProgress struct {
	out     io.Writer
	name    string
	total   eventCount
	now     func() time.Time
	started time.Time
	printed time.Time
	applied int
}

func (p *plainProgress) update(applied int, _ eventstore.Position) {
	p.applied = applied
	if p.now().Sub(p.printed) >= plainProgressEvery {
		p.print(false)
	}
}

func (p *plainProgress) finish() { p.print(true) }

func (p *plainProgress) print(done bool) {
	p.printed = p.now()
	elapsed := p.printed.Sub(p.started)
	total := p.total.String()
	if !p.total.capped && p.applied > p.total.n {
		total = fmt.Sprint(p.applied)
	}
	line := fmt.Sprintf("%s: rebuilt %d/%s events", p.name, p.applied, total)
	rate := 0.0
	if elapsed >= minRateWindow {
		rate = float64(p.applied) / elapsed.Seconds()
		line += fmt.Sprintf(", %.0f events/s", rate)
	}
	switch {
	case done:
		line += ", done in " + elapsed.Round(time.Millisecond).String()
	case !p.total.capped && rate > 0:
		eta := time.Duration(float64(max(p.total.n-p.applied, 0)) / rate * float64(time.Second))
		line += ", ETA " + eta.Round(time.Second).String()
	}
	fmt.Fprintln(p.out, line)
}
