package esdbtest

import (
	"context"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// streamsMethodPrefix selects the RPCs that FailNext affects: discovery calls
// are left alone because a failed discovery kills the client for good.
const streamsMethodPrefix = "/event_store.client.streams.Streams/"

// faults holds the failures a test asked for.
type faults struct {
	mu       sync.Mutex
	dropped  chan struct{} // closed by DropSubscriptions, then replaced
	failNext []codes.Code  // one entry per upcoming Streams RPC to fail
}

func newFaults() *faults {
	return &faults{dropped: make(chan struct{})}
}

// DropSubscriptions ends every subscription open at the time of the call with
// codes.Unavailable, as when a node restarts. The client reports it as a
// SubscriptionDropped event and does not resubscribe by itself. A subscriber
// blocked sending to a client that does not read notices only once the send
// completes.
func (s *Server) DropSubscriptions() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	close(s.faults.dropped)
	s.faults.dropped = make(chan struct{})
}

// FailNext makes the next Streams RPC (append, read, subscribe, delete or
// tombstone) fail with code before doing anything. Calls queue up: calling it
// twice fails the next two RPCs.
func (s *Server) FailNext(code codes.Code) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.failNext = append(s.faults.failNext, code)
}

// dropSignal returns the channel the next DropSubscriptions closes.
func (f *faults) dropSignal() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropped
}

// injected consumes one queued failure for a Streams method, if any.
func (f *faults) injected(fullMethod string) error {
	if !strings.HasPrefix(fullMethod, streamsMethodPrefix) {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.failNext) == 0 {
		return nil
	}
	code := f.failNext[0]
	f.failNext = f.failNext[1:]
	return status.Error(code, "esdbtest: injected failure")
}

func (f *faults) interceptUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := f.injected(info.FullMethod); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

func (f *faults) interceptStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	err := f.injected(info.FullMethod)
	if err == nil {
		return handler(srv, ss)
	}
	if info.IsClientStream {
		// Read the whole request first: failing an Append before the client
		// has sent everything makes its Send see EOF, which it reports as an
		// unknown error instead of the injected code.
		for ss.RecvMsg(&emptypb.Empty{}) == nil {
		}
	}
	return err
}
