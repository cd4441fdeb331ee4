package groupcommit

import (
	"cmp"
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// lead takes the queue's first callers (the leader among them), runs their call, answers them, and hands
// the lead to the first caller still waiting, if any: when the call ends, or earlier once it has run for
// Patience. The hand-off and the answers are deferred, so that a panic in between cannot leave the queue
// without a leader or a caller waiting forever (an unanswered caller runs Alone).
func (q *Queue[In, Out]) lead() {
	q.mu.Lock()
	n := min(len(q.waiting), cmp.Or(q.Max, DefaultMax))
	taken := q.waiting[:n:n]
	q.waiting = q.waiting[n:]
	q.mu.Unlock()

	var handOff sync.Once
	passLead := func() { handOff.Do(q.passLead) }
	timer := time.AfterFunc(cmp.Or(q.Patience, DefaultPatience), passLead)
	answered := false
	defer func() {
		timer.Stop()
		passLead()
		for _, m := range taken {
			m.alone = m.alone || (!answered && m.err == nil)
			select {
			case <-m.woken: // woken already, to lead this call
			default:
				close(m.woken)
			}
		}
	}()
	var group []*member[In, Out]
	for _, m := range taken {
		if err := m.ctx.Err(); err != nil {
			m.err = err // gave up before its group ran: left out, nothing written
			continue
		}
		group = append(group, m)
	}
	switch len(group) {
	case 0:
	case 1: // alone in its group: its own call, under its own context, still holding the lead
		group[0].out, group[0].err = q.Alone(group[0].ctx, group[0].in)
	default:
		q.runShared(group)
	}
	answered = true
}

// runShared runs Shared for a group of two or more and gives each member its answer, or marks them all to
// run Alone when Shared did not take them.
func (q *Queue[In, Out]) runShared(group []*member[In, Out]) {
	ctx, cancel := sharedContext(group)
	defer cancel()
	ins := make([]In, len(group))
	for i, m := range group {
		ins[i] = m.in
	}
	outs, ok := q.Shared(ctx, ins)
	for i, m := range group {
		if !ok || len(outs) != len(group) {
			m.alone = true
			continue
		}
		m.out = outs[i]
	}
}

// passLead wakes the first caller still waiting to lead the next call, or leaves the queue without a leader
// when none waits.
func (q *Queue[In, Out]) passLead() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) == 0 {
		q.leading = false
		return
	}
	next := q.waiting[0]
	next.leads = true
	close(next.woken)
}

// sharedContext is the context of a shared call: it carries the first member's values and ends when every
// member's context has ended, so no caller still waiting for the call sees it cancelled by another's
// deadline, and a call nobody waits for any longer stops.
func sharedContext[In, Out any](group []*member[In, Out]) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(group[0].ctx))
	live := atomic.Int32{}
	live.Store(int32(len(group)))
	stops := make([]func() bool, 0, len(group))
	for _, m := range group {
		stops = append(stops, context.AfterFunc(m.ctx, func() {
			if live.Add(-1) == 0 {
				cancel()
			}
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}
