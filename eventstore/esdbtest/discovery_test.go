package esdbtest_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"google.golang.org/grpc/codes"
)

func TestBothConnectionStringFormsWork(t *testing.T) {
	t.Parallel()
	server := esdbtest.Start(t)
	urls := map[string]string{"single node": server.URL(), "gossip discovery": server.DiscoverURL()}
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Given a client on this connection string
			client := connect(t, url)
			stream := "connected-" + name
			// When
			appendEvents(t, client, stream, "Hello")
			events, err := drain(client.ReadStream(deadline(t), stream, esdb.ReadStreamOptions{}, 10))
			// Then
			noError(t, err)
			equal(t, []string{"Hello"}, eventTypes(events), "events")
			version, err := client.GetServerVersion()
			noError(t, err)
			equal(t, esdb.ServerVersion{Major: 24, Minor: 10, Patch: 0}, *version, "server version")
		})
	}
}

func TestInjectedFailuresLeaveDiscoveryAlone(t *testing.T) {
	t.Parallel()
	// Given a client that has not connected yet and an injected Unavailable
	server := esdbtest.Start(t)
	client := connect(t, server.DiscoverURL())
	server.FailNext(codes.Unavailable)
	// When the first call discovers the node, then fails
	_, failed := client.AppendToStream(deadline(t), "s", esdb.AppendToStreamOptions{}, newEvent("Lost"))
	// Then the failure reaches the caller, and the client reconnects for the next call
	errorCode(t, failed, esdb.ErrorUnavailable)
	appendEvents(t, client, "s", "Kept")
	events, err := drain(client.ReadStream(deadline(t), "s", esdb.ReadStreamOptions{}, 10))
	noError(t, err)
	equal(t, []string{"Kept"}, eventTypes(events), "events")
}
