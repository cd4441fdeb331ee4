package personaldata

import (
	"context"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

var _ eventstore.MultiAppender = (*Store)(nil)

// AppendMulti implements eventstore.MultiAppender: each stream's events are sealed as Append seals them,
// then appended through the inner store's AppendMulti (one commit when the inner store can, one append per
// stream otherwise). An erasure is refused here, before any part is prepared: it must be appended alone
// (Append), because shredding its keys cannot be undone, and a multi-stream append that fails afterwards
// (another part refused, an expected revision that does not hold) would leave a subject's data unreadable
// with no erasure recorded.
func (s *Store) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if err := eventstore.DistinctStreams(appends); err != nil {
		return nil, err
	}
	for _, a := range appends {
		for _, e := range a.Events {
			if s.cfg.Events.Erases(e.Type) {
				return nil, fmt.Errorf("personaldata: %s: an erasure is appended alone, not in a multi-stream append", a.Stream)
			}
		}
	}
	prepared := make([]eventstore.StreamAppend, len(appends))
	for i, a := range appends {
		events, err := s.prepare(ctx, a.Stream, a.Events)
		if err != nil {
			return nil, err
		}
		prepared[i] = eventstore.StreamAppend{Stream: a.Stream, Expected: a.Expected, Events: events}
	}
	return eventstore.AppendMulti(ctx, s.inner, prepared)
}
