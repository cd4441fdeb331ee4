package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrSubscriberClosed is returned by Subscribe after Close.
var ErrSubscriberClosed = errors.New("projections: subscriber is closed")

// SubscriberConfig configures a Subscriber. Store and StartFrom are required.
type SubscriberConfig struct {
	Store eventstore.Store
	// StartFrom tells where a topic's feed starts, normally right after the projection's persisted
	// checkpoint. It is asked once per Subscribe; resubscriptions after an error continue after the last
	// acknowledged event instead.
	StartFrom func(ctx context.Context, topic string) (eventstore.AllFrom, error)
	// Backoff paces resubscriptions after a subscription error. Zero fields take defaults.
	Backoff Backoff
	// RedeliveryDelay is the pause before a Nacked message is sent again (default 50 ms), so a consumer
	// without a retry middleware cannot spin.
	RedeliveryDelay time.Duration
	// MaxBatch is how many events one message may carry (default 1). With more, a message carries the events
	// already read after the first, up to MaxBatch, so a consumer can apply them in one transaction
	// (eventsOf); it never waits to fill a batch. It also bounds how far a feed reads ahead.
	MaxBatch int
	// Linger, when set, is how long at most a live feed (past its CaughtUp signal) waits after reading events
	// before it reads the log again (until the clock's next multiple of Linger, see lingerFor): the appends
	// that land meanwhile come in one page, read under one visibility fence, instead of a page each (a busy
	// log otherwise wakes the feed at every append). The first event
	// after a quiet spell is read at once; under a stream of appends an event waits up to Linger more to be
	// delivered. A feed catching up (a backlog at start or after a resubscription) never waits: lingering
	// there would cap it at a page per Linger. Zero: read at once. A topic whose Urgency reports a waiter
	// never lingers (see Urgency).
	Linger time.Duration
	// Urgency, when set, returns the Urgency of a topic (nil: none, the topic always lingers).
	Urgency func(topic string) Urgency
	// OnCaughtUp, when set, is called each time a topic's feed delivered everything written before it
	// (re)subscribed and that last event was acknowledged.
	OnCaughtUp func(topic string)
	// OnSubscriptionError, when set, is called for every subscription error before the feed resubscribes.
	OnSubscriptionError func(topic string, err error)
	Logger              *slog.Logger
}

// Urgency tells a lingering feed (SubscriberConfig.Linger) that a caller waits for its topic's projection to
// reach a position (Runner.WaitFor: an answer's read-your-writes): Waited reports whether one waits now, and
// Hurried receives a signal when one starts (a buffer of one: signals merge, and one may be left from a wait
// that is over). A waited-for feed does not linger, and a linger ends when a wait starts, so the linger's
// larger batches do not hold an answer back: only the projections nobody waits for at that moment linger.
type Urgency interface {
	Waited() bool
	Hurried() <-chan struct{}
}

// Subscriber is a watermill message.Subscriber directly over eventstore.Store.SubscribeAll, so a
// projection sees $all in order, exactly as the store delivers it (watermill's GoChannel would not
// preserve that order under redelivery). Every topic is an independent feed of the whole log with exactly
// one message in flight: the next message is sent only after the current one is Acked (the log is read ahead
// meanwhile, up to MaxBatch events); a Nacked message is delivered again. It is safe for concurrent use.
type Subscriber struct {
	cfg     SubscriberConfig
	mu      sync.Mutex // guards closed and running.Add
	closed  bool
	closing chan struct{}
	running sync.WaitGroup
}

var _ message.Subscriber = (*Subscriber)(nil)

// NewSubscriber checks cfg and fills in its defaults.
func NewSubscriber(cfg SubscriberConfig) (*Subscriber, error) {
	if cfg.Store == nil || cfg.StartFrom == nil {
		return nil, errors.New("projections: subscriber needs a Store and StartFrom")
	}
	cfg.Backoff = cfg.Backoff.withDefaults()
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 1
	}
	if cfg.RedeliveryDelay <= 0 {
		cfg.RedeliveryDelay = 50 * time.Millisecond
	}
	if cfg.OnCaughtUp == nil {
		cfg.OnCaughtUp = func(string) {}
	}
	if cfg.OnSubscriptionError == nil {
		cfg.OnSubscriptionError = func(string, error) {}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Subscriber{cfg: cfg, closing: make(chan struct{})}, nil
}

// Subscribe starts the feed of topic (a projection name) from cfg.StartFrom. The channel closes when ctx
// ends or the Subscriber is closed; the message in flight at that moment is then never acknowledged, so
// whoever subscribes next starts from the persisted checkpoint and sees it again.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	from, err := s.cfg.StartFrom(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("projections: start position of %q: %w", topic, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrSubscriberClosed
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	out := make(chan *message.Message)
	f := &feed{cfg: &s.cfg, topic: topic, from: from, out: out}
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		defer close(out)
		defer cancel()
		f.run(ctx)
	}()
	return out, nil
}

// Close ends every feed, closes their channels and waits for them to stop. Calling it again is harmless.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.closing)
	}
	s.mu.Unlock()
	s.running.Wait()
	return nil
}
