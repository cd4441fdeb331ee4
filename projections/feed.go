package projections

import (
	"context"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/cenkalti/backoff/v5"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Backoff is an exponential pause: Initial, doubling up to Max, without jitter (one subscriber per process
// resubscribes, so there is no herd to spread).
type Backoff struct {
	Initial time.Duration // default 100 ms
	Max     time.Duration // default 10 s
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = 100 * time.Millisecond
	}
	if b.Max < b.Initial {
		b.Max = max(10*time.Second, b.Initial)
	}
	return b
}

// pauses returns the successive pauses of b (call withDefaults first), from Initial on; Reset starts over.
func (b Backoff) pauses() *backoff.ExponentialBackOff {
	return &backoff.ExponentialBackOff{InitialInterval: b.Initial, Multiplier: 2, MaxInterval: b.Max}
}

// sleep waits d or until ctx ends, and reports whether the full pause elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// feed is one topic's delivery loop. from always names the last acknowledged event (or the start), so a
// resubscription can neither skip nor repeat an acknowledged event.
type feed struct {
	cfg   *SubscriberConfig
	topic string
	from  eventstore.AllFrom
	out   chan<- *message.Message
}

// run follows the store until ctx ends, resubscribing with backoff after each subscription error.
func (f *feed) run(ctx context.Context) {
	pauses := f.cfg.Backoff.pauses()
	for {
		progressed, err := f.follow(ctx)
		if ctx.Err() != nil {
			return
		}
		if progressed {
			pauses.Reset()
		}
		pause := pauses.NextBackOff()
		f.cfg.Logger.Warn("projection subscription failed, resubscribing",
			"projection", f.topic, "error", err, "after", f.from, "pause", pause)
		f.cfg.OnSubscriptionError(f.topic, err)
		if !sleep(ctx, pause) {
			return
		}
	}
}

// follow runs one subscription until it fails or ctx ends, and reports whether any event was acknowledged.
// The subscription is read ahead (see readAhead) while the consumer applies the batch in flight, so the
// next batch is ready the moment the current one is acknowledged.
func (f *feed) follow(ctx context.Context) (progressed bool, err error) {
	sub, err := f.cfg.Store.SubscribeAll(ctx, f.from, eventstore.Filter{})
	if err != nil {
		return false, err
	}
	defer sub.Close()
	readCtx, stopReading := context.WithCancel(ctx)
	var urgency Urgency
	if f.cfg.Urgency != nil {
		urgency = f.cfg.Urgency(f.topic)
	}
	ahead := newReadAhead(f.cfg.MaxBatch, f.cfg.Linger, urgency)
	readDone := make(chan struct{})
	go func() { defer close(readDone); ahead.fill(readCtx, sub) }()
	defer func() { stopReading(); <-readDone }()
	for {
		batch, caughtUp, readErr := ahead.take(ctx)
		if len(batch) > 0 {
			if err := f.deliver(ctx, batch); err != nil {
				return progressed, err
			}
			f.from = eventstore.AllAfter(batch[len(batch)-1].Position)
			progressed = true
		}
		if caughtUp {
			f.cfg.OnCaughtUp(f.topic)
		}
		if readErr != nil {
			return progressed, readErr // what was read before the error is delivered; resubscribe after it
		}
	}
}

// deliver hands the batch over as one message until it is Acked, sending it again after every Nack. It
// returns ctx's error when ctx ends first.
func (f *feed) deliver(ctx context.Context, batch []eventstore.RecordedEvent) error {
	for {
		msg, done := newMessage(ctx, batch)
		select {
		case f.out <- msg:
		case <-ctx.Done():
			done()
			return ctx.Err()
		}
		select {
		case <-msg.Acked():
			done()
			return nil
		case <-msg.Nacked():
			done()
		case <-ctx.Done():
			done()
			return ctx.Err()
		}
		// A consumer that stops after a Nack cancels ctx before it Nacks: never redeliver then.
		if ctx.Err() != nil || !sleep(ctx, f.cfg.RedeliveryDelay) {
			return ctx.Err()
		}
	}
}
