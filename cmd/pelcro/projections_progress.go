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
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		max := int64(total.n)
		if total.capped {
			max = -1 // unknown length: a spinner with the count and rate
		}
		return &barProgress{bar: progressbar.NewOptions64(max, progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription(name), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("events"), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionFullWidth(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }))}
	}
	started := time.Now()
	return &plainProgress{out: out, name: name, total: total, started: started, printed: started}
}

type barProgress struct{ bar *progressbar.ProgressBar }

func (b *barProgress) update(applied int, _ eventstore.Position) {
	if max := b.bar.GetMax64(); max >= 0 && int64(applied) > max { // events appended since the count
		b.bar.ChangeMax64(int64(applied))
	}
	_ = b.bar.Set(applied)
}

func (b *barProgress) finish() { _ = b.bar.Finish() }

// plainProgressEvery is how often plain progress prints a line; the final line always prints.
const plainProgressEvery = time.Second

// plainProgress prints lines like "plans.v1: rebuilt 120000/450000 events, 51000 events/s, ETA 6s".
type plainProgress struct {
	out     io.Writer
	name    string
	total   eventCount
	started time.Time
	printed time.Time
	applied int
}

func (p *plainProgress) update(applied int, _ eventstore.Position) {
	p.applied = applied
	if time.Since(p.printed) >= plainProgressEvery {
		p.print(false)
	}
}

func (p *plainProgress) finish() { p.print(true) }

func (p *plainProgress) print(done bool) {
	p.printed = time.Now()
	elapsed := p.printed.Sub(p.started)
	rate := float64(p.applied) / max(elapsed.Seconds(), 1e-3)
	total := p.total.String()
	if !p.total.capped && p.applied > p.total.n {
		total = fmt.Sprint(p.applied)
	}
	line := fmt.Sprintf("%s: rebuilt %d/%s events, %.0f events/s", p.name, p.applied, total, rate)
	switch {
	case done:
		line += ", done in " + elapsed.Round(time.Millisecond).String()
	case !p.total.capped && rate > 0:
		eta := time.Duration(float64(max(p.total.n-p.applied, 0)) / rate * float64(time.Second))
		line += ", ETA " + eta.Round(time.Second).String()
	}
	fmt.Fprintln(p.out, line)
}
