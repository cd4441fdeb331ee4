package personaldata

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

var _ eventstore.StreamsReader = (*Store)(nil)

// ReadStreams implements eventstore.StreamsReader: the tails are read through the inner store
// (eventstore.ReadStreams: one round trip when it can) and opened together, the keys of every subject they
// need read at once.
func (s *Store) ReadStreams(ctx context.Context, reads []eventstore.StreamRead) ([][]eventstore.RecordedEvent, error) {
	tails, err := eventstore.ReadStreams(ctx, s.inner, reads)
	if err != nil {
		return nil, err
	}
	var all []eventstore.RecordedEvent
	for _, tail := range tails {
		all = append(all, tail...)
	}
	if err := s.open(ctx, all); err != nil {
		return nil, err
	}
	for i, at := 0, 0; i < len(tails); i++ {
		tails[i], at = all[at:at+len(tails[i]):at+len(tails[i])], at+len(tails[i])
	}
	return tails, nil
}
