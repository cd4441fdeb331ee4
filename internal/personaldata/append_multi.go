package personaldata

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

var _ eventstore.MultiAppender = (*Store)(nil)

// AppendMulti implements eventstore.MultiAppender: each stream's events are prepared as Append prepares
// them (sealed, an erasure's keys shredded first), then appended through the inner store's AppendMulti (one
// commit when the inner store can, one append per stream otherwise).
func (s *Store) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if err := eventstore.DistinctStreams(appends); err != nil {
		return nil, err
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
