package esdbtest

import (
	"errors"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errStreamNotFound is answered with a stream_not_found message, not a gRPC error.
var errStreamNotFound = errors.New("stream not found")

// originKind says where a read or subscription starts.
type originKind int

const (
	originStart originKind = iota
	originEnd
	originAt // a stream revision or a $all position
)

// origin is the starting point of a read or subscription.
type origin struct {
	kind originKind
	at   uint64
}

func streamOrigin(o *streams.ReadReq_Options_StreamOptions) origin {
	switch {
	case o.GetStart() != nil:
		return origin{kind: originStart}
	case o.GetEnd() != nil:
		return origin{kind: originEnd}
	}
	return origin{kind: originAt, at: o.GetRevision()}
}

// allOrigin uses the commit position: commit == prepare for every record here.
func allOrigin(o *streams.ReadReq_Options_AllOptions) origin {
	switch {
	case o.GetStart() != nil:
		return origin{kind: originStart}
	case o.GetEnd() != nil:
		return origin{kind: originEnd}
	}
	return origin{kind: originAt, at: o.GetPosition().GetCommitPosition()}
}

// Read implements Streams.Read: a bounded read, or a subscription when the
// request asks for one. Warning: during a bounded read the client accepts
// only event and stream_not_found messages and panics on any other.
func (s *streamsService) Read(req *streams.ReadReq, call streams.Streams_ReadServer) error {
	opts := req.GetOptions()
	if opts.GetStream() == nil && opts.GetAll() == nil {
		return status.Error(codes.InvalidArgument, "a read needs stream or all options")
	}
	if opts.GetSubscription() != nil {
		return s.subscribe(opts, call)
	}
	backwards := opts.GetReadDirection() == streams.ReadReq_Options_Backwards
	var page []*record
	var err error
	if so := opts.GetStream(); so != nil {
		name := string(so.GetStreamIdentifier().GetStreamName())
		page, err = s.log.readStream(name, streamOrigin(so), backwards, opts.GetCount())
		if errors.Is(err, errStreamNotFound) {
			return call.Send(&streams.ReadResp{Content: &streams.ReadResp_StreamNotFound_{
				StreamNotFound: &streams.ReadResp_StreamNotFound{StreamIdentifier: streamIdentifier(name)},
			}})
		}
	} else {
		page = s.log.readAll(allOrigin(opts.GetAll()), backwards, opts.GetCount())
	}
	if err != nil {
		return rpcError(call.Context(), err)
	}
	idsAsStrings := opts.GetUuidOption().GetString_() != nil
	for _, r := range page {
		if err := call.Send(eventResponse(r, idsAsStrings)); err != nil {
			return err
		}
	}
	return nil
}

// readStream returns up to count visible events of a stream. Both directions
// include the starting revision; forwards from End returns nothing.
func (l *eventLog) readStream(name string, from origin, backwards bool, count uint64) ([]*record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.streams[name]
	if st != nil && st.tombstoned {
		return nil, &streamDeletedError{stream: name}
	}
	if !st.visible() {
		return nil, errStreamNotFound
	}
	first, end := st.truncateBefore, uint64(len(st.records))
	if backwards {
		top := end // exclusive
		switch from.kind {
		case originStart:
			top = first + 1
		case originAt:
			top = min(from.at, end-1) + 1
		}
		if top <= first {
			return nil, nil
		}
		return window(st.records[first:top], true, count), nil
	}
	start := first
	switch from.kind {
	case originEnd:
		start = end
	case originAt:
		start = min(max(from.at, first), end)
	}
	return window(st.records[start:end], false, count), nil
}

// readAll returns up to count events of $all. Forwards includes the starting
// position, backwards excludes it, as on a real node.
func (l *eventLog) readAll(from origin, backwards bool, count uint64) []*record {
	l.mu.Lock()
	defer l.mu.Unlock()
	boundary := 0
	switch from.kind {
	case originEnd:
		boundary = len(l.records)
	case originAt:
		boundary = l.indexAtOrAfterLocked(from.at)
	}
	if backwards {
		return window(l.records[:boundary], true, count)
	}
	return window(l.records[boundary:], false, count)
}

// window copies up to count records: the first ones going forwards, the last
// ones in reverse order going backwards.
func window(recs []*record, backwards bool, count uint64) []*record {
	out := make([]*record, min(count, uint64(len(recs))))
	for i := range out {
		if backwards {
			out[i] = recs[len(recs)-1-i]
		} else {
			out[i] = recs[i]
		}
	}
	return out
}
