package esdbtest_test

import (
	"errors"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestDropSubscriptionsEndsLiveSubscriptionsWithUnavailable(t *testing.T) {
	t.Parallel()
	// Given a live subscription
	server, client := startWithClient(t)
	sub, err := client.SubscribeToAll(deadline(t), esdb.SubscribeToAllOptions{From: esdb.Start{}})
	noError(t, err)
	defer sub.Close()
	appendEvents(t, client, "s", "Before")
	receive(t, sub, 1)
	// When
	server.DropSubscriptions()
	// Then
	for {
		event := sub.Recv()
		if event.SubscriptionDropped == nil {
			continue // CaughtUp may still be queued
		}
		var grpcErr interface{ GRPCStatus() *status.Status }
		if !errors.As(event.SubscriptionDropped.Error, &grpcErr) || grpcErr.GRPCStatus().Code() != codes.Unavailable {
			t.Fatalf("dropped with %v, want Unavailable", event.SubscriptionDropped.Error)
		}
		break
	}
	// And a new subscription works
	again, err := client.SubscribeToAll(deadline(t), esdb.SubscribeToAllOptions{From: esdb.Start{}})
	noError(t, err)
	defer again.Close()
	equal(t, []string{"Before"}, receive(t, again, 1).types, "events after resubscribing")
}

func TestFailNextFailsOnlyTheNextStreamsCall(t *testing.T) {
	t.Parallel()
	// Given a connected client and one injected failure
	server, client := startWithClient(t)
	appendEvents(t, client, "s", "E0")
	server.FailNext(codes.PermissionDenied)
	// When
	_, failed := client.AppendToStream(deadline(t), "s", esdb.AppendToStreamOptions{}, newEvent("E1"))
	_, succeeded := client.AppendToStream(deadline(t), "s", esdb.AppendToStreamOptions{}, newEvent("E2"))
	// Then
	errorCode(t, failed, esdb.ErrorCodeAccessDenied)
	noError(t, succeeded)
	events, err := drain(client.ReadStream(deadline(t), "s", esdb.ReadStreamOptions{}, 10))
	noError(t, err)
	equal(t, []string{"E0", "E2"}, eventTypes(events), "events")
}
