// Package groupcommit shares one database statement, hence one commit, between the callers that ask for the
// same kind of write at the same moment (group commit). A commit's fixed cost (a round trip, the executor's
// start, one WAL flush, and on a virtual machine the system calls and wake-ups around each of them) dwarfs
// the rows of a small write: the billing run's sixteen workers each record a charge and then a payment, and
// the ones that meet can go together.
package groupcommit

import (
	"context"
	"slices"
	"sync"
	"time"
)

// DefaultMax is how many callers one shared call carries when Queue.Max is 0: enough to share a commit
// between a busy process's workers, few enough to keep one statement (and the rows it returns) small.
const DefaultMax = 32

// DefaultPatience is how long a call keeps the lead when Queue.Patience is 0, before the queue behind it
// elects another leader. A shared statement takes about a millisecond; one that takes far longer waits on a
// lock (a rival transaction holding a row it writes), and the callers queued behind it, most of them on
// other rows, must not wait for that rival.
const DefaultPatience = 20 * time.Millisecond

// Queue is a leader/follower queue. A caller that finds no call in flight runs at once (nothing waits when
// the database is idle); callers that arrive meanwhile queue, and when the call in flight ends, or has run
// for Patience, the first of them leads the queue's next call, for up to Max of them. So a group grows only
// with the load, and a call stuck on a lock holds the queue for Patience at most (each stuck call holds a
// connection, as it would alone).
//
// A caller alone in its group runs Alone under its own context. Two or more run Shared, all or nothing:
// when it reports that it did not take them (it wrote nothing, failed, or its answer was lost), every caller
// runs Alone, under its own context, and gets the answer it would have had without the group. Shared must
// therefore leave nothing behind that Alone would not recognise as its own earlier write (a retry).
//
// Contexts: a queued caller whose context ends leaves the queue with its context's error and writes nothing;
// one whose context has ended when its group is taken is left out of it. Once a shared call runs, it runs
// until every caller in it has given up (sharedContext): a caller whose context ends then may still see its
// write land, and is answered that it did.
//
// Set Shared and Alone before the first Do, and never change them after; the other fields' zero values are
// ready to use.
type Queue[In, Out any] struct {
	// Shared runs the inputs of two or more callers in one call and answers each, in order. ok false sends
	// every caller to Alone.
	Shared func(ctx context.Context, ins []In) (outs []Out, ok bool)
	// Alone runs one caller's input by itself.
	Alone func(ctx context.Context, in In) (Out, error)
	// Max bounds the callers of one call (0: DefaultMax); callers past it wait for the next one.
	Max int
	// Patience is how long a call keeps the lead (0: DefaultPatience).
	Patience time.Duration

	mu      sync.Mutex
	waiting []*member[In, Out]
	leading bool // a call holds the lead, or its leader is about to take the queue
}

// member is one caller in the queue and, once woken, its answer.
type member[In, Out any] struct {
	ctx   context.Context
	in    In
	woken chan struct{}
	leads bool // woken to lead the queue's next call
	alone bool // the shared call did not take it: run Alone
	out   Out
	err   error
}

// Do runs in, together with the callers that queue at the same moment or alone, and answers its outcome.
func (q *Queue[In, Out]) Do(ctx context.Context, in In) (Out, error) {
	me := &member[In, Out]{ctx: ctx, in: in, woken: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, me)
	leader := !q.leading
	q.leading = true
	q.mu.Unlock()
	if !leader {
		if err := q.await(me); err != nil {
			var zero Out
			return zero, err
		}
	}
	if leader || me.leads {
		q.lead()
	}
	if me.alone {
		return q.Alone(ctx, in)
	}
	return me.out, me.err
}

// Queued reports how many callers wait in the queue and whether a call holds the lead (for tests that
// need callers to queue before they go on).
func (q *Queue[In, Out]) Queued() (waiting int, leading bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting), q.leading
}

// await waits until a queued caller is woken, or answers its context's error when that ends first while it
// is still in the queue (and not chosen to lead it). A caller already taken into a group waits for it.
func (q *Queue[In, Out]) await(me *member[In, Out]) error {
	select {
	case <-me.woken:
		return nil
	case <-me.ctx.Done():
	}
	q.mu.Lock()
	if i := slices.Index(q.waiting, me); i >= 0 && !me.leads {
		q.waiting = slices.Delete(q.waiting, i, i+1)
		q.mu.Unlock()
		return me.ctx.Err()
	}
	q.mu.Unlock()
	<-me.woken
	return nil
}
