package postgres

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

// TestContract runs the contract suite every eventstore.Store adapter passes, each case on a fresh database.
func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Name: "postgres",
		New: func(t *testing.T) eventstore.Store {
			store, _ := newTestStore(t)
			return store
		},
		SlowAppend: slowAppend,
	})
}
