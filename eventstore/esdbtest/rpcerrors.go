package esdbtest

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// streamDeletedError reports an operation on a tombstoned stream.
type streamDeletedError struct{ stream string }

func (e *streamDeletedError) Error() string {
	return fmt.Sprintf("stream %q is deleted", e.stream)
}

// wrongVersionError reports a failed optimistic-concurrency check.
type wrongVersionError struct {
	stream          string
	streamExists    bool
	currentRevision uint64 // only meaningful when streamExists
	expected        expectation
}

func (e *wrongVersionError) Error() string {
	return fmt.Sprintf("wrong expected version for stream %q", e.stream)
}

// newWrongVersionError captures the stream's current state for the error.
func newWrongVersionError(stream string, st *streamState, exp expectation) *wrongVersionError {
	e := &wrongVersionError{stream: stream, expected: exp}
	if last := st.last(); last != nil {
		e.streamExists, e.currentRevision = true, last.revision
	}
	return e
}

// rpcError turns an error from the log into the gRPC status a real node
// returns, with the "exception" trailer the client inspects first. Only
// stream-deleted is mapped by the client; wrong-expected-version as a trailer
// (Delete, Tombstone) surfaces there as an unknown error, as with a real node.
func rpcError(ctx context.Context, err error) error {
	var deleted *streamDeletedError
	if errors.As(err, &deleted) {
		_ = grpc.SetTrailer(ctx, metadata.Pairs("exception", "stream-deleted", "stream-name", deleted.stream))
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	var wrong *wrongVersionError
	if errors.As(err, &wrong) {
		actual := "-1"
		if wrong.streamExists {
			actual = strconv.FormatUint(wrong.currentRevision, 10)
		}
		_ = grpc.SetTrailer(ctx, metadata.Pairs("exception", "wrong-expected-version",
			"stream-name", wrong.stream, "actual-version", actual))
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	if _, isStatus := status.FromError(err); isStatus {
		return err
	}
	return status.Error(codes.Internal, err.Error())
}
