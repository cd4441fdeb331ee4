package esdb

import (
	"context"
	"time"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/cenkalti/backoff/v5"
)

// Resubscription backoff: the first retry comes quickly because most drops are a node restart or a leader
// change; repeated failures slow down so an unreachable node is not hammered.
const (
	initialResubscribeDelay = 50 * time.Millisecond
	maxResubscribeDelay     = 5 * time.Second
)

// supervise keeps the subscription alive: it forwards from current and, each time the client subscription
// drops while ctx is alive, subscribes again from the last event received, waiting longer after each failed
// attempt. It stops when ctx ends or the node refuses for good (authentication or access), then closes done
// with the reason in err.
func (sub *subscription) supervise(ctx context.Context, current *esdbclient.Subscription) {
	defer close(sub.done)
	pauses := &backoff.ExponentialBackOff{InitialInterval: initialResubscribeDelay, Multiplier: 2,
		MaxInterval: maxResubscribeDelay}
	for {
		if sub.forward(ctx, current) {
			pauses.Reset()
		}
		for {
			if !sleep(ctx, pauses.NextBackOff()) {
				sub.err = context.Cause(ctx)
				return
			}
			var err error
			if current, err = sub.open(ctx); err == nil {
				break
			}
			if isRefusal(err) {
				sub.err = err
				return
			}
		}
	}
}

// isRefusal tells errors that retrying cannot cure.
func isRefusal(err error) bool {
	return hasErrorCode(err, esdbclient.ErrorCodeAccessDenied) || hasErrorCode(err, esdbclient.ErrorCodeUnauthenticated)
}

// sleep waits for d, reporting false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
