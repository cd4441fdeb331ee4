package projections

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// passPage is one page of the log read once for every projection of a RebuildAll.
type passPage struct {
	read  int                 // events read from the log
	last  eventstore.Position // the last of them (zero when read is 0)
	steps [][]step            // steps[i]: the events projection i handles, decoded, in log order
	err   error               // reading or decoding failed: the page must not be applied
}

// route is one projection that handles an event type: its index in the pass and its handler.
type route struct {
	to      int
	handler Handler
}

// passReader reads the log for a RebuildAll: an event is decoded once, and only when some projection has a
// handler for its type; the decoded value is shared by every projection that handles it (apply funcs only
// read it).
type passReader struct {
	cfg    Config
	runs   []*projectionRun
	routes map[string][]route // by event type name, filled as the names are met; only the reading goroutine uses it
}

func newPassReader(cfg Config, rbs []*rebuild) *passReader {
	r := &passReader{cfg: cfg, routes: map[string][]route{}}
	for _, rb := range rbs {
		r.runs = append(r.runs, rb.run)
	}
	return r
}

// routesOf returns the projections that handle events named name (none for a name nobody registered).
func (r *passReader) routesOf(name string) []route {
	if routes, ok := r.routes[name]; ok {
		return routes
	}
	var routes []route
	if goType, ok := r.cfg.Registry.GoType(name); ok {
		for i, run := range r.runs {
			if h, ok := run.dispatch[goType]; ok {
				routes = append(routes, route{to: i, handler: h})
			}
		}
	}
	r.routes[name] = routes
	return routes
}

// readAhead reads the log after from a page ahead of the caller (logAhead), so that waiting for the store
// overlaps decoding and dealing the page before.
func (r *passReader) readAhead(ctx context.Context, from eventstore.AllFrom) <-chan rawPage {
	return logAhead(ctx, r.cfg, from, "rebuild", func(p rawPage) rawPage { return p })
}

// sortOut decodes the events some projection handles (decodeAll) and gathers each projection's steps.
func (r *passReader) sortOut(events []eventstore.RecordedEvent) passPage {
	p := passPage{read: len(events), steps: make([][]step, len(r.runs))}
	// Each projection's steps are counted before they are gathered: a step is a few hundred bytes, and growing
	// the slices as they fill was a fifth of the pass's CPU time.
	routes, shares := make([][]route, len(events)), make([]int, len(r.runs))
	for i, ev := range events {
		routes[i] = r.routesOf(ev.Type)
		for _, to := range routes[i] {
			shares[to.to]++
		}
	}
	for i, n := range shares {
		p.steps[i] = make([]step, 0, n)
	}
	decoded, failed, err := decodeAll(r.cfg.Registry, events, func(i int) bool { return len(routes[i]) > 0 })
	if err != nil {
		ev := events[failed]
		return passPage{err: &EventError{Projection: r.runs[routes[failed][0].to].name, Event: refOf(ev), Err: err}}
	}
	for i := range events {
		for _, to := range routes[i] {
			p.steps[to.to] = append(p.steps[to.to], step{ev: &events[i], event: &decoded[i], handler: to.handler})
		}
	}
	if len(events) > 0 {
		p.last = events[len(events)-1].Position
	}
	return p
}
