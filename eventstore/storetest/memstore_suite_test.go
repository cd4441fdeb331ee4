package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// memoryBackend runs the suite against one shared in-memory store, the way a real node is shared.
func memoryBackend(name string, store eventstore.Store) Backend {
	return Backend{
		Name: name,
		New:  func(*testing.T) eventstore.Store { return store },
		SlowAppend: func(ctx context.Context, s eventstore.Store, stream string, expected eventstore.ExpectedRevision,
			hold time.Duration, events ...eventstore.EventData) (eventstore.AppendResult, error) {
			return s.(interface {
				appendHeld(context.Context, string, eventstore.ExpectedRevision, time.Duration, ...eventstore.EventData) (eventstore.AppendResult, error)
			}).appendHeld(ctx, stream, expected, hold, events...)
		},
	}
}

// TestMemoryStorePassesContract proves the suite accepts a correct store.
func TestMemoryStorePassesContract(t *testing.T) {
	Run(t, memoryBackend("memory", newMemStore()))
}
