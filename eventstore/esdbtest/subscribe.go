package esdbtest

import (
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// subscriptionBatch bounds how many records a subscriber takes per lock, so
// that a long catch-up does not hold writers up.
const subscriptionBatch = 128

// cursor is a subscriber's own place in the log. Each subscriber pages from
// it, so a slow client only makes its own subscription lag.
type cursor interface {
	// nextLocked returns the next records (none when caught up) and advances.
	nextLocked(l *eventLog) ([]*record, error)
}

// allCursor walks $all by index.
type allCursor struct{ next int }

func (c *allCursor) nextLocked(l *eventLog) ([]*record, error) {
	end := min(len(l.records), c.next+subscriptionBatch)
	// Committed slots of the backing array are never written again, so the
	// sub-slice stays valid after the lock is released.
	page := l.records[c.next:end]
	c.next = end
	return page, nil
}

// streamCursor walks one stream by revision.
type streamCursor struct {
	stream string
	next   uint64
}

func (c *streamCursor) nextLocked(l *eventLog) ([]*record, error) {
	st := l.streams[c.stream]
	if st == nil {
		return nil, nil // subscribing to a missing stream waits for it
	}
	if st.tombstoned {
		return nil, &streamDeletedError{stream: c.stream}
	}
	c.next = max(c.next, st.truncateBefore)
	end := min(uint64(len(st.records)), c.next+subscriptionBatch)
	page := st.records[min(c.next, end):end]
	c.next = max(c.next, end)
	return page, nil
}

// openCursor places a new subscription. Positions and revisions are
// exclusive: the subscriber gets what comes after them.
func (l *eventLog) openCursor(opts *streams.ReadReq_Options) (cursor, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if so := opts.GetStream(); so != nil {
		name := string(so.GetStreamIdentifier().GetStreamName())
		st := l.streams[name]
		if st != nil && st.tombstoned {
			return nil, &streamDeletedError{stream: name}
		}
		c := &streamCursor{stream: name}
		switch from := streamOrigin(so); from.kind {
		case originEnd:
			if st != nil {
				c.next = uint64(len(st.records))
			}
		case originAt:
			c.next = max(from.at+1, from.at) // saturate: MaxUint64 must not wrap to the start
		}
		return c, nil
	}
	c := &allCursor{}
	switch from := allOrigin(opts.GetAll()); from.kind {
	case originEnd:
		c.next = len(l.records)
	case originAt:
		c.next = l.indexAfterLocked(from.at)
	}
	return c, nil
}

// advance takes the cursor's next page together with the channel the next
// commit closes, under one lock so that no commit slips between them.
func (l *eventLog) advance(c cursor) ([]*record, <-chan struct{}, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	page, err := c.nextLocked(l)
	return page, l.changed, err
}

// subscribe serves a catch-up subscription: confirmation first (the client
// requires it), then history, one caught_up, then live events until the
// client leaves, the server stops or DropSubscriptions is called.
func (s *streamsService) subscribe(opts *streams.ReadReq_Options, call streams.Streams_ReadServer) error {
	filter, err := newEventFilter(opts.GetFilter())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	cur, err := s.log.openCursor(opts)
	if err != nil {
		return rpcError(call.Context(), err)
	}
	dropped := s.faults.dropSignal()
	if err := call.Send(&streams.ReadResp{Content: &streams.ReadResp_Confirmation{
		Confirmation: &streams.ReadResp_SubscriptionConfirmation{SubscriptionId: uuid.NewString()},
	}}); err != nil {
		return err
	}
	idsAsStrings := opts.GetUuidOption().GetString_() != nil
	caughtUp := false
	for {
		page, committed, err := s.log.advance(cur)
		if err != nil {
			return rpcError(call.Context(), err)
		}
		for _, r := range page {
			if filter.matches(r) {
				if err := call.Send(eventResponse(r, idsAsStrings)); err != nil {
					return err
				}
			}
			if filter.checkpointDue() {
				if err := call.Send(checkpointResponse(r.position)); err != nil {
					return err
				}
			}
		}
		if len(page) == 0 && !caughtUp {
			caughtUp = true
			if err := call.Send(&streams.ReadResp{Content: &streams.ReadResp_CaughtUp_{CaughtUp: &streams.ReadResp_CaughtUp{}}}); err != nil {
				return err
			}
		}
		// After a full page more may be waiting: only check for a drop.
		if err := waitForMore(call, committed, dropped, len(page) == 0); err != nil {
			return err
		}
	}
}

// waitForMore returns an error when the subscription was dropped or the
// client left; otherwise, when block is set, it waits for the next commit.
// A drop wins over pending events so a busy subscription still notices it.
func waitForMore(call streams.Streams_ReadServer, committed, dropped <-chan struct{}, block bool) error {
	select {
	case <-dropped:
		return status.Error(codes.Unavailable, "esdbtest: subscription dropped")
	default:
	}
	if !block {
		return nil
	}
	select {
	case <-dropped:
		return status.Error(codes.Unavailable, "esdbtest: subscription dropped")
	case <-call.Context().Done():
		return status.FromContextError(call.Context().Err()).Err()
	case <-committed:
		return nil
	}
}

func checkpointResponse(position uint64) *streams.ReadResp {
	return &streams.ReadResp{Content: &streams.ReadResp_Checkpoint_{Checkpoint: &streams.ReadResp_Checkpoint{
		CommitPosition: position, PreparePosition: position,
	}}}
}
