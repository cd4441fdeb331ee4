package esdb

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

// A subscription from the end that drops before its first event must resume where it started, not at the
// end of the log at the time of the resubscription: that would lose what was written while it was down.
func TestSubscriptionFromEndKeepsEventsWrittenWhileDropped(t *testing.T) {
	t.Parallel()
	eachDrop(t, func(t *testing.T, e *env, drop func(*env)) {
		// Given an event written before a caught-up subscription from the end.
		e.append(e.stream("old"), eventstore.NoStream(), newEvents(1)...)
		sub := e.subscribe(eventstore.AllEnd(), e.ownFilter())
		if message := receive(t, e.ctx, sub); !message.CaughtUp {
			t.Fatalf("first message %+v, want CaughtUp", message)
		}
		// When it drops before any event and two events are written at once.
		drop(e)
		written := newEvents(2)
		e.append(e.stream("new"), eventstore.NoStream(), written...)
		// Then both arrive exactly once, and nothing older.
		if got := storetest.RecordedIDs(receiveEvents(t, e.ctx, sub, 2)); !slices.Equal(got, storetest.IDs(written)) {
			t.Fatalf("delivered %v, want %v", got, storetest.IDs(written))
		}
		storetest.RequireNoEventWithin(t, e.ctx, sub, quietPeriod)
	})
}

// The port promises one CaughtUp per subscription, as the PostgreSQL store sends it: a resubscription after
// a drop, which the node answers with a CaughtUp of its own, must not send a second one.
func TestSubscriptionSendsCaughtUpOnceAcrossDrops(t *testing.T) {
	t.Parallel()
	server := esdbtest.Start(t)
	e := newEnv(t, server.URL(), server)
	// Given a subscription that delivered the history and CaughtUp.
	history := newEvents(2)
	e.append(e.stream("history"), eventstore.NoStream(), history...)
	sub := e.subscribe(eventstore.AllStart(), e.ownFilter())
	receiveEvents(t, e.ctx, sub, len(history))
	if message := receive(t, e.ctx, sub); !message.CaughtUp {
		t.Fatalf("after the history got %+v, want CaughtUp", message)
	}
	// When it drops and two events are written, one after the other was delivered.
	server.DropSubscriptions()
	live := newEvents(2)
	// Then each arrives as the next message: no second CaughtUp before or between them.
	for _, event := range live {
		e.append(e.stream("live"), eventstore.Any(), event)
		if message := receive(t, e.ctx, sub); message.Event == nil || message.Event.ID != event.ID {
			t.Fatalf("after the drop got %+v, want event %s", message, event.ID)
		}
	}
}
