package esdbtest_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

func TestTombstonedStreamRejectsEveryLaterOperation(t *testing.T) {
	t.Parallel()
	// Given a tombstoned stream
	_, client := startWithClient(t)
	appendEvents(t, client, "gone", "E0")
	_, err := client.TombstoneStream(deadline(t), "gone", esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Revision(0)})
	noError(t, err)
	operations := map[string]func() error{
		"append": func() error {
			_, err := client.AppendToStream(deadline(t), "gone", esdb.AppendToStreamOptions{}, newEvent("E1"))
			return err
		},
		"read": func() error {
			_, err := drain(client.ReadStream(deadline(t), "gone", esdb.ReadStreamOptions{}, 10))
			return err
		},
		"subscribe": func() error {
			_, err := client.SubscribeToStream(deadline(t), "gone", esdb.SubscribeToStreamOptions{From: esdb.Start{}})
			return err
		},
		"tombstone again": func() error {
			_, err := client.TombstoneStream(deadline(t), "gone", esdb.TombstoneStreamOptions{})
			return err
		},
	}
	for name, operation := range operations {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// When / Then
			errorCode(t, operation(), esdb.ErrorCodeStreamDeleted)
		})
	}
}

func TestTombstoneEndsLiveStreamSubscriptions(t *testing.T) {
	t.Parallel()
	// Given a live subscription to a stream
	_, client := startWithClient(t)
	appendEvents(t, client, "watched", "E0")
	sub, err := client.SubscribeToStream(deadline(t), "watched", esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	noError(t, err)
	defer sub.Close()
	receive(t, sub, 1)
	// When
	_, err = client.TombstoneStream(deadline(t), "watched", esdb.TombstoneStreamOptions{})
	noError(t, err)
	// Then
	for event := sub.Recv(); event.SubscriptionDropped == nil; event = sub.Recv() {
		if event.EventAppeared != nil {
			t.Fatalf("unexpected event %s after the tombstone", event.EventAppeared.Event.EventType)
		}
	}
}

func TestTombstoneChecksExpectedRevision(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	appendEvents(t, client, "kept", "E0", "E1")
	// When
	_, err := client.TombstoneStream(deadline(t), "kept", esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Revision(0)})
	// Then: the client does not map the wrong-expected-version trailer, as with a real node
	errorCode(t, err, esdb.ErrorCodeUnknown)
	events, err := drain(client.ReadStream(deadline(t), "kept", esdb.ReadStreamOptions{}, 10))
	noError(t, err)
	equal(t, 2, len(events), "events still readable")
}

func TestSoftDeleteHidesEventsAndLetsTheStreamContinue(t *testing.T) {
	t.Parallel()
	// Given a soft-deleted stream
	_, client := startWithClient(t)
	appendEvents(t, client, "reused", "Old0", "Old1")
	_, err := client.DeleteStream(deadline(t), "reused", esdb.DeleteStreamOptions{ExpectedRevision: esdb.StreamExists{}})
	noError(t, err)
	_, err = drain(client.ReadStream(deadline(t), "reused", esdb.ReadStreamOptions{}, 10))
	errorCode(t, err, esdb.ErrorCodeResourceNotFound)
	// When appending again
	result := appendEvents(t, client, "reused", "New2")
	// Then revisions continue and only the new event is visible
	equal(t, uint64(2), result.NextExpectedVersion, "revision after the delete")
	events, err := drain(client.ReadStream(deadline(t), "reused", esdb.ReadStreamOptions{}, 10))
	noError(t, err)
	equal(t, []string{"New2"}, eventTypes(events), "visible events")
	metadata, err := client.GetStreamMetadata(deadline(t), "reused", esdb.ReadStreamOptions{})
	noError(t, err)
	if tb := metadata.TruncateBefore(); tb == nil || *tb != 2 {
		t.Fatalf("truncate before is %v, want 2", tb)
	}
}
