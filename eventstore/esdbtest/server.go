// Package esdbtest runs an in-process gRPC server that speaks the EventStoreDB
// protocol well enough for the real client
// (github.com/EventStore/EventStore-Client-Go/v4/esdb) to be tested against
// it: appends with optimistic concurrency and idempotent retries, reads of
// streams and $all, catch-up subscriptions with filters, delete, tombstone,
// discovery and fault injection.
//
// It is for tests and benchmarks only: production code must never import it.
// Its behaviour is our reading of a real node and of the client's source;
// docs/eventstore.md lists what it copies and must keep. Positions are
// opaque, increasing numbers that will never match a real node's.
package esdbtest

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

// maxMessageSize matches the client's 17 MiB receive limit, above a real
// node's 16 MiB append limit; grpc-go's 4 MiB default would reject big appends.
const maxMessageSize = 17 << 20

// keepaliveMinTime must not exceed the client's 10 s ping interval, or grpc-go
// answers its pings with GOAWAY and idle subscriptions drop after ~30 s.
const keepaliveMinTime = 5 * time.Second

// Server is a running test server. All its methods are safe for concurrent use.
type Server struct {
	grpc     *grpc.Server
	listener net.Listener
	log      *eventLog
	faults   *faults
	stopped  chan struct{} // closed when Serve returns
}

// streamsService implements event_store.client.streams.Streams over the log.
type streamsService struct {
	streams.UnimplementedStreamsServer
	log    *eventLog
	faults *faults
}

// Start runs a server on 127.0.0.1:0 and stops it when the test ends. It is
// listening when Start returns, which matters: the client discovers lazily on
// its first call and gives up for good if discovery fails.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatalf("esdbtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// New runs a server on 127.0.0.1:0 for callers without a testing.TB, such as
// benchmarks. The caller must Close it.
func New() (*Server, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{listener: listener, log: newEventLog(), faults: newFaults(), stopped: make(chan struct{})}
	s.grpc = grpc.NewServer(
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: keepaliveMinTime, PermitWithoutStream: true}),
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.ChainUnaryInterceptor(s.faults.interceptUnary),
		grpc.ChainStreamInterceptor(s.faults.interceptStream),
	)
	streams.RegisterStreamsServer(s.grpc, &streamsService{log: s.log, faults: s.faults})
	serverfeatures.RegisterServerFeaturesServer(s.grpc, featuresService{})
	gossip.RegisterGossipServer(s.grpc, newGossipService(listener.Addr().(*net.TCPAddr)))
	go func() {
		defer close(s.stopped)
		// Serve only returns after Stop (nil) or when the listener fails,
		// in which case clients see connection errors: nothing to report.
		_ = s.grpc.Serve(listener)
	}()
	return s, nil
}

// URL is a connection string for esdb.ParseConnectionString selecting
// single-node mode (no gossip): "esdb://127.0.0.1:PORT?tls=false".
func (s *Server) URL() string {
	return "esdb://" + s.listener.Addr().String() + "?tls=false"
}

// DiscoverURL is a connection string selecting cluster mode, in which the
// client first asks Gossip.Read for the leader.
func (s *Server) DiscoverURL() string {
	return "esdb+discover://" + s.listener.Addr().String() + "?tls=false"
}

// Close stops the server at once: open subscriptions end with Unavailable.
// Calling it more than once is harmless.
func (s *Server) Close() {
	s.grpc.Stop()
	<-s.stopped
}
