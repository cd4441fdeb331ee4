package esdbtest_test

import (
	"strconv"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// received is what a subscription delivered.
type received struct {
	types       []string
	caughtUpAt  int // events received before CaughtUp, -1 if not seen
	checkpoints []esdb.Position
}

// receive takes n events from sub, noting CaughtUp and checkpoints on the way.
func receive(t *testing.T, sub *esdb.Subscription, n int) received {
	t.Helper()
	got := received{caughtUpAt: -1}
	for len(got.types) < n {
		event := sub.Recv()
		switch {
		case event.SubscriptionDropped != nil:
			t.Fatalf("dropped after %v: %v", got.types, event.SubscriptionDropped.Error)
		case event.CaughtUp != nil:
			if got.caughtUpAt >= 0 {
				t.Fatalf("second CaughtUp after %v", got.types)
			}
			got.caughtUpAt = len(got.types)
		case event.CheckPointReached != nil:
			got.checkpoints = append(got.checkpoints, *event.CheckPointReached)
		case event.EventAppeared != nil:
			got.types = append(got.types, event.EventAppeared.Event.EventType)
		}
	}
	return got
}

func TestSubscribeToAllCatchesUpThenGoesLive(t *testing.T) {
	t.Parallel()
	prefix := &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{"order-"}}
	cases := []struct {
		name        string
		from        func(afterC1 *esdb.WriteResult) esdb.AllPosition
		wantHistory []string
	}{
		{"from start", func(*esdb.WriteResult) esdb.AllPosition { return esdb.Start{} }, []string{"O1", "O2"}},
		{"from a position is exclusive", func(c1 *esdb.WriteResult) esdb.AllPosition {
			return esdb.Position{Commit: c1.CommitPosition, Prepare: c1.PreparePosition}
		}, []string{"O2"}},
		{"from end", func(*esdb.WriteResult) esdb.AllPosition { return esdb.End{} }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given history in two kinds of streams
			_, client := startWithClient(t)
			appendEvents(t, client, "order-1", "O1")
			c1 := appendEvents(t, client, "customer-1", "C1")
			appendEvents(t, client, "order-2", "O2")
			// When subscribing, then appending more
			sub, err := client.SubscribeToAll(deadline(t), esdb.SubscribeToAllOptions{From: tc.from(c1), Filter: prefix})
			noError(t, err)
			defer sub.Close()
			history := receive(t, sub, len(tc.wantHistory))
			appendEvents(t, client, "customer-2", "C2")
			appendEvents(t, client, "order-3", "O3")
			// Then the history comes once, then the live event
			got := append(history.types, receive(t, sub, 1).types...)
			equal(t, append(tc.wantHistory, "O3"), got, "delivered events")
		})
	}
}

func TestSubscribeToAllSendsOneCaughtUpBetweenHistoryAndLive(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	appendEvents(t, client, "s", "H1", "H2")
	sub, err := client.SubscribeToAll(deadline(t), esdb.SubscribeToAllOptions{From: esdb.Start{}})
	noError(t, err)
	defer sub.Close()
	// When
	history := receive(t, sub, 2)
	appendEvents(t, client, "s", "L1")
	live := receive(t, sub, 1)
	// Then: CaughtUp follows the history (it arrives with the live receive at the latest)
	equal(t, []string{"H1", "H2", "L1"}, append(history.types, live.types...), "events")
	if history.caughtUpAt >= 0 || live.caughtUpAt != 0 {
		t.Fatalf("CaughtUp at %d in history and %d live, want only before the live event", history.caughtUpAt, live.caughtUpAt)
	}
}

func TestSubscribeToAllFiltersByEventTypeRegex(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	appendEvents(t, client, "s", "$system", "UserCreated", "OrderPlaced", "UserDeleted")
	filter := &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: "^User"}
	// When
	sub, err := client.SubscribeToAll(deadline(t), esdb.SubscribeToAllOptions{From: esdb.Start{}, Filter: filter, MaxSearchWindow: 1})
	noError(t, err)
	defer sub.Close()
	got := receive(t, sub, 2)
	// Then
	equal(t, []string{"UserCreated", "UserDeleted"}, got.types, "events")
	if len(got.checkpoints) == 0 {
		t.Fatal("no checkpoint with a search window of 1")
	}
}

func TestSubscribeToStreamFromRevisionIsExclusiveAndWaitsForMissingStreams(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	appendEvents(t, client, "stream", "R0", "R1", "R2")
	fromRevision, err := client.SubscribeToStream(deadline(t), "stream", esdb.SubscribeToStreamOptions{From: esdb.Revision(0)})
	noError(t, err)
	defer fromRevision.Close()
	missing, err := client.SubscribeToStream(deadline(t), "later", esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	noError(t, err)
	defer missing.Close()
	// When
	appendEvents(t, client, "later", "Born")
	// Then
	equal(t, []string{"R1", "R2"}, receive(t, fromRevision, 2).types, "stream events")
	equal(t, []string{"Born"}, receive(t, missing, 1).types, "events of the stream created later")
}

func TestSubscriptionSeesConcurrentWritesWithoutGapOrDuplicate(t *testing.T) {
	t.Parallel()
	// Given history larger than one subscriber page, and a writer still going
	const history, live = 300, 100
	_, client := startWithClient(t)
	for i := range history {
		appendEvents(t, client, "counter", strconv.Itoa(i))
	}
	sub, err := client.SubscribeToStream(deadline(t), "counter", esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	noError(t, err)
	defer sub.Close()
	written := make(chan error, 1)
	go func() {
		for i := history; i < history+live; i++ {
			event := newEvent(strconv.Itoa(i))
			if _, err := client.AppendToStream(deadline(t), "counter", esdb.AppendToStreamOptions{}, event); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	// When
	got := receive(t, sub, history+live)
	// Then
	noError(t, <-written)
	for i, eventType := range got.types {
		equal(t, strconv.Itoa(i), eventType, "event at index "+strconv.Itoa(i))
	}
}
