package projections

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readItem is one step of a subscription read ahead: a message, or the error that ended the reading.
type readItem struct {
	msg eventstore.SubscriptionMessage
	err error
}

// readAhead receives from sub and passes every message on to ahead, in order, until a receive fails (the
// error is passed on last) or ctx ends. The subscription's own buffer and ahead's capacity bound how far it
// reads ahead of the consumer.
//
// Reading ahead overlaps the two halves of a projection's delivery: while the consumer applies one batch in
// its transaction, the subscription already waits for news and reads the next page, instead of starting
// only when the batch is acknowledged. Nothing read ahead is acknowledged before it is delivered, so a
// resubscription still starts after the last acknowledged event.
func readAhead(ctx context.Context, sub eventstore.Subscription, ahead chan<- readItem) {
	for {
		msg, err := sub.Recv(ctx)
		if err != nil && ctx.Err() != nil {
			return // the feed stopped reading: nobody takes the error
		}
		select {
		case ahead <- readItem{msg: msg, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}
