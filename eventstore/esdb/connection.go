package esdb

import (
	"context"
	"fmt"
	"sync"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// connection owns the client and replaces it when it died. The client discovers its node lazily, on the
// first call and again after an Unavailable error; when one discovery round fails (about a second of
// attempts when the node refuses connections, longer when it does not answer) the client marks itself
// closed for good and every later call returns ErrorCodeConnectionClosed. A store that must survive a node
// restart therefore needs a fresh client, which a call finding its client dead puts in place.
//
// Warning: the client cannot be trusted to return, and must not be closed under a call. A call waits,
// whatever its context, while the client's connection goroutine runs a discovery round, and forever when
// that round fails (the goroutine exits, and calls queued behind it stay blocked sending to it); closing a
// client while a call is about to send to it panics ("send on closed channel"). Hence:
//   - calls run on a goroutine of their own and their caller stops waiting at its deadline (Store.useClient),
//     so no lock is held during a call: a stuck call blocks nobody else, /readyz and Close included;
//   - a client is closed only once no call is running on it (calls), so never under a call;
//   - while a client has not (or no longer) reached its node, one call at a time goes to it (probe): only
//     that call waits for the discovery round, and no second one is left queued behind it when the round
//     fails. Calls still in flight when a reachable node goes away may be left queued, once per outage.
type connection struct {
	config *esdbclient.Configuration
	// mu guards the fields below and those of every client's state; it is never held during a call.
	mu      sync.Mutex
	current *clientState
	closed  bool
}

// clientState is one client and what the connection knows of it.
type clientState struct {
	client *esdbclient.Client
	// calls counts the calls running on client; retired is set when it stopped being current (replaced, or
	// the store closed): it is closed when both say so.
	calls   int
	retired bool
	// reached says the last call with a verdict reached the node; until then, calls go one at a time.
	reached bool
	// probe holds the turn of the one call allowed while !reached.
	probe chan struct{}
}

// grant is one call's use of a client.
type grant struct {
	state *clientState
	// probing says the call holds the probe turn.
	probing bool
}

func newConnection(config *esdbclient.Configuration) (*connection, error) {
	state, err := newClientState(config)
	if err != nil {
		return nil, err
	}
	return &connection{config: config, current: state}, nil
}

func newClientState(config *esdbclient.Configuration) (*clientState, error) {
	client, err := esdbclient.NewClient(config)
	if err != nil {
		return nil, fmt.Errorf("esdb: create client: %w", err)
	}
	return &clientState{client: client, probe: make(chan struct{}, 1)}, nil
}

// acquire grants a call the current client: at once while it reaches its node, otherwise once no other call
// probes it (or ctx ended). ErrClosed after close. The grant must be ended with finish.
func (c *connection) acquire(ctx context.Context) (grant, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return grant{}, ErrClosed
	}
	g := grant{state: c.current}
	g.state.calls++
	gated := !g.state.reached
	c.mu.Unlock()
	if !gated {
		return g, nil
	}
	select {
	case g.state.probe <- struct{}{}:
		c.mu.Lock()
		reached := g.state.reached
		c.mu.Unlock()
		if reached { // the probe before this call reached the node: no need to go one at a time any more
			<-g.state.probe
			return g, nil
		}
		g.probing = true
		return g, nil
	case <-ctx.Done():
		c.finish(g, errNoVerdict)
		return grant{}, ctx.Err()
	}
}

// errNoVerdict ends a grant whose call never ran.
var errNoVerdict = fmt.Errorf("esdb: call not made")

// finish ends a grant with the call's error: it records whether the node was reached, replaces a client
// found dead, hands the probe turn on, and closes the client once it is retired and idle.
func (c *connection) finish(g grant, err error) {
	c.mu.Lock()
	switch {
	case reachedNode(err):
		g.state.reached = true
	case unreachable(err):
		g.state.reached = false
	}
	if isDead(err) && c.current == g.state && !c.closed {
		if fresh, freshErr := newClientState(c.config); freshErr == nil { // validated by newConnection: cannot fail
			c.current, g.state.retired = fresh, true
		}
	}
	g.state.calls--
	idle := g.state.retired && g.state.calls == 0
	c.mu.Unlock()
	if g.probing {
		<-g.state.probe
	}
	if idle {
		_ = g.state.client.Close() // always returns nil
	}
}

// close retires the current client: later calls get ErrClosed, running ones end first.
func (c *connection) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed, c.current.retired = true, true
	idle := c.current.calls == 0
	c.mu.Unlock()
	if idle {
		_ = c.current.client.Close() // always returns nil
	}
}

// isDead tells the error of a client that will never work again.
func isDead(err error) bool { return hasErrorCode(err, esdbclient.ErrorCodeConnectionClosed) }

// unreachable tells the errors of a call that could not reach the node.
func unreachable(err error) bool {
	return isDead(err) || hasErrorCode(err, esdbclient.ErrorUnavailable)
}

// reachedNode tells the outcomes only a node gives: success, or a refusal of the request itself. Errors
// that say neither (a deadline, an unclassified error, errNoVerdict) leave what was known.
func reachedNode(err error) bool {
	if err == nil {
		return true
	}
	code, ok := errorCode(err)
	if !ok {
		return false
	}
	switch code {
	case esdbclient.ErrorCodeUnknown, esdbclient.ErrorCodeDeadlineExceeded, esdbclient.ErrorCodeConnectionClosed,
		esdbclient.ErrorUnavailable, esdbclient.ErrorCodeInternalClient:
		return false
	}
	return true
}
