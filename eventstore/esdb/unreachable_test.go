package esdb

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
)

// callDeadline is the deadline each call below gets, as /readyz gives its checks one.
const callDeadline = 300 * time.Millisecond

// returnsWithin runs call and reports (and fails the test) when it has not returned within limit: a store
// call that ignores its caller's deadline hangs /readyz and shutdown. Safe from any goroutine.
func returnsWithin(t *testing.T, what string, limit time.Duration, call func() error) (err error, returned bool) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err, true
	case <-time.After(limit):
		t.Errorf("%s did not return within %v", what, limit)
		return nil, false
	}
}

// unreachableNodes are the ways a configured node can be out of reach: it stopped after the store used it,
// or nothing ever listened at its address.
var unreachableNodes = []struct {
	name string
	open func(t *testing.T) *Store
}{
	{name: "node stopped after use", open: func(t *testing.T) *Store {
		server := esdbtest.Start(t)
		store := openStore(t, server.URL())
		if _, err := store.ReadStream(t.Context(), "warm-up", eventstore.Forwards, eventstore.StreamStart(), 1); err != nil &&
			err != eventstore.ErrStreamNotFound {
			t.Fatalf("warm-up read: %v", err)
		}
		server.Close()
		return store
	}},
	{name: "nothing listens at the address", open: func(t *testing.T) *Store {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		address := listener.Addr().String()
		_ = listener.Close()
		return openStore(t, "esdb://"+address+"?tls=false")
	}},
}

func TestCallsToAnUnreachableNodeEndAtTheirDeadline(t *testing.T) {
	t.Parallel()
	for _, node := range unreachableNodes {
		t.Run(node.name, func(t *testing.T) {
			t.Parallel()
			store := node.open(t)
			// when, for several rounds, concurrent reads, appends and subscriptions are made with a short
			// deadline (the client rediscovers the node, gives up, and is replaced, meanwhile)
			for round := range 4 {
				var wg sync.WaitGroup
				for i := range 6 {
					wg.Go(func() {
						ctx, cancel := context.WithTimeout(context.Background(), callDeadline)
						defer cancel()
						// then each returns an error by its deadline (with room for a loaded machine), never hangs
						err, returned := returnsWithin(t, "a call", callDeadline+5*time.Second, func() error {
							switch i % 3 {
							case 0:
								_, err := store.ReadStream(ctx, "s", eventstore.Forwards, eventstore.StreamStart(), 1)
								return err
							case 1:
								_, err := store.Append(ctx, "s", eventstore.Any(), newEvents(1)...)
								return err
							default:
								sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
								if err == nil {
									_ = sub.Close()
								}
								return err
							}
						})
						if returned && err == nil {
							t.Errorf("round %d call %d succeeded against an unreachable node", round, i)
						}
					})
				}
				wg.Wait()
			}
		})
	}
}

func TestCloseEndsSubscriptionsThatWaitForAStoppedNode(t *testing.T) {
	t.Parallel()
	// given a store whose subscriptions keep trying to resubscribe to a node that stopped
	server := esdbtest.Start(t)
	store, err := Open(server.URL())
	if err != nil {
		t.Fatal(err)
	}
	var subs []eventstore.Subscription
	for range 4 {
		sub, err := store.SubscribeAll(t.Context(), eventstore.AllStart(), eventstore.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	server.Close()
	time.Sleep(2 * time.Second) // long enough for a rediscovery to fail and the client to be replaced

	// when one subscription is closed and then the store, then both return
	if _, returned := returnsWithin(t, "closing a subscription", 5*time.Second, subs[0].Close); !returned {
		return
	}
	if _, returned := returnsWithin(t, "closing the store", 5*time.Second, store.Close); !returned {
		return
	}
	// and the others have ended
	for _, sub := range subs[1:] {
		if _, err := sub.Recv(context.Background()); err == nil {
			t.Fatal("a subscription delivered after the store closed")
		}
	}
}
