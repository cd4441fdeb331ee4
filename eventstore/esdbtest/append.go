package esdbtest

import (
	"errors"
	"io"
	"math"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Append implements Streams.Append: one options message, then one message
// per proposed event, then the client half-closes.
func (s *streamsService) Append(call streams.Streams_AppendServer) error {
	first, err := call.Recv()
	if err != nil {
		return err
	}
	options := first.GetOptions()
	if options == nil || len(options.GetStreamIdentifier().GetStreamName()) == 0 {
		return status.Error(codes.InvalidArgument, "the first append message must carry options with a stream name")
	}
	var proposals []proposal
	for {
		req, err := call.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		p, err := proposalFromProto(req.GetProposedMessage())
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		proposals = append(proposals, p)
	}
	stream := string(options.GetStreamIdentifier().GetStreamName())
	last, err := s.log.append(stream, parseExpectation(options), proposals)
	var wrong *wrongVersionError
	switch {
	case errors.As(err, &wrong):
		// A real node answers a failed concurrency check with a response
		// body, not a gRPC error: the client only maps the body.
		return call.SendAndClose(wrongVersionResponse(wrong))
	case err != nil:
		return rpcError(call.Context(), err)
	}
	return call.SendAndClose(successResponse(last))
}

// append writes proposals if exp holds. It returns the newest record written,
// the original record for a recognised retry, or the stream's last record for
// an empty append (nil when the stream has no events).
func (l *eventLog) append(stream string, exp expectation, proposals []proposal) (*record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.streams[stream]
	if st != nil && st.tombstoned {
		return nil, &streamDeletedError{stream: stream}
	}
	ids := make([]uuid.UUID, len(proposals))
	for i, p := range proposals {
		ids[i] = p.id
	}
	switch verdict, matched := decide(st, exp, ids); verdict {
	case decisionWrong:
		return nil, newWrongVersionError(stream, st, exp)
	case decisionIdempotent:
		return matched, nil
	}
	if len(proposals) == 0 {
		return st.last(), nil
	}
	return l.commitLocked(stream, proposals), nil
}

// successResponse reports the stream's revision and the position of last.
func successResponse(last *record) *streams.AppendResp {
	success := &streams.AppendResp_Success{
		CurrentRevisionOption: &streams.AppendResp_Success_NoStream{NoStream: &shared.Empty{}},
		PositionOption:        &streams.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}},
	}
	if last != nil {
		success.CurrentRevisionOption = &streams.AppendResp_Success_CurrentRevision{CurrentRevision: last.revision}
		success.PositionOption = &streams.AppendResp_Success_Position{Position: &streams.AppendResp_Position{
			CommitPosition: last.position, PreparePosition: last.position,
		}}
	}
	return &streams.AppendResp{Result: &streams.AppendResp_Success_{Success: success}}
}

// wrongVersionResponse fills both the current and the legacy (20.6.0) field
// sets, as a real node does; the client reads only the current set.
func wrongVersionResponse(e *wrongVersionError) *streams.AppendResp {
	body := &streams.AppendResp_WrongExpectedVersion{}
	if e.streamExists {
		body.CurrentRevisionOption = &streams.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: e.currentRevision}
		body.CurrentRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_CurrentRevision_20_6_0{CurrentRevision_20_6_0: e.currentRevision}
	} else {
		body.CurrentRevisionOption = &streams.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
		body.CurrentRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_NoStream_20_6_0{NoStream_20_6_0: &shared.Empty{}}
	}
	switch e.expected.kind {
	case expectAny:
		body.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
		body.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_Any_20_6_0{Any_20_6_0: &shared.Empty{}}
	case expectStreamExists:
		body.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
		body.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_StreamExists_20_6_0{StreamExists_20_6_0: &shared.Empty{}}
	case expectNoStream:
		body.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
		// 20.6.0 had no NoStream case: it sent ExpectedVersion.NoStream (-1) as a revision.
		body.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: math.MaxUint64}
	default:
		body.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: e.expected.revision}
		body.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: e.expected.revision}
	}
	return &streams.AppendResp{Result: &streams.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: body}}
}
