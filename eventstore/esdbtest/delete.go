package esdbtest

import (
	"context"
	"fmt"
	"math"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// tombstoneRevision is the revision a real node gives a tombstone
// (EventNumber.DeletedStream, long.MaxValue).
const tombstoneRevision = math.MaxInt64

// Delete implements Streams.Delete, a soft delete. Like a real node it
// writes {"$tb": next revision} as a "$metadata" event to the "$$stream"
// metastream: reads then report the stream as not found, while appends
// continue its revisions. Only this truncation is honoured: metadata set by
// the client (SetStreamMetadata) is stored but has no effect.
func (s *streamsService) Delete(ctx context.Context, req *streams.DeleteReq) (*streams.DeleteResp, error) {
	options := req.GetOptions()
	if len(options.GetStreamIdentifier().GetStreamName()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "delete needs a stream name")
	}
	written, err := s.log.softDelete(string(options.GetStreamIdentifier().GetStreamName()), parseExpectation(options))
	if err != nil {
		return nil, rpcError(ctx, err)
	}
	return &streams.DeleteResp{PositionOption: &streams.DeleteResp_Position_{Position: &streams.DeleteResp_Position{
		CommitPosition: written.position, PreparePosition: written.position,
	}}}, nil
}

// Tombstone implements Streams.Tombstone, a permanent delete: every later
// append, read or subscription of the stream fails with the stream-deleted
// exception. The "$streamDeleted" record shows in $all, as on a real node.
func (s *streamsService) Tombstone(ctx context.Context, req *streams.TombstoneReq) (*streams.TombstoneResp, error) {
	options := req.GetOptions()
	if len(options.GetStreamIdentifier().GetStreamName()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "tombstone needs a stream name")
	}
	written, err := s.log.tombstone(string(options.GetStreamIdentifier().GetStreamName()), parseExpectation(options))
	if err != nil {
		return nil, rpcError(ctx, err)
	}
	return &streams.TombstoneResp{PositionOption: &streams.TombstoneResp_Position_{Position: &streams.TombstoneResp_Position{
		CommitPosition: written.position, PreparePosition: written.position,
	}}}, nil
}

// softDelete truncates the stream before its next revision.
func (l *eventLog) softDelete(name string, exp expectation) (*record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, err := l.deletableLocked(name, exp)
	if err != nil {
		return nil, err
	}
	st.truncateBefore = uint64(len(st.records))
	return l.commitLocked("$$"+name, []proposal{{
		id:          uuid.New(),
		eventType:   "$metadata",
		contentType: "application/json",
		data:        fmt.Appendf(nil, `{"$tb":%d}`, st.truncateBefore),
	}}), nil
}

// tombstone marks the stream deleted for good and records it in $all only.
func (l *eventLog) tombstone(name string, exp expectation) (*record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, err := l.deletableLocked(name, exp)
	if err != nil {
		return nil, err
	}
	st.tombstoned = true
	written := l.placeLocked(name, tombstoneRevision, proposal{
		id:          uuid.New(),
		eventType:   "$streamDeleted",
		contentType: "application/octet-stream",
	})
	l.notifyLocked() // wakes stream subscribers, which then end with stream-deleted
	return written, nil
}

// deletableLocked checks a delete or tombstone against the stream's state.
func (l *eventLog) deletableLocked(name string, exp expectation) (*streamState, error) {
	st := l.streams[name]
	if st != nil && st.tombstoned {
		return nil, &streamDeletedError{stream: name}
	}
	if verdict, _ := decide(st, exp, nil); verdict == decisionWrong {
		return nil, newWrongVersionError(name, st, exp)
	}
	return l.streamLocked(name), nil
}
