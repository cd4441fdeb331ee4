package personaldata_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// TestContract runs the event store contract suite through the decorator over the PostgreSQL adapter: for
// streams that are not data subjects it must keep every promise of the port. The cases share one keys
// database (they never touch it) and each gets a fresh store of its own. (The other tests of this package
// run the decorator over EventStoreDB too.)
func TestContract(t *testing.T) {
	keys := newWorld(t, backends[1])
	storetest.Run(t, storetest.Backend{
		Name: "sealed-postgres",
		New: func(t *testing.T) eventstore.Store {
			return personaldata.NewStore(backends[0].open(t, migratedtest.NewDatabase(t)), personaldata.NewKeys(keys.db, keys.ring),
				personaldata.Config{Subjects: subjects, Events: registry})
		},
	})
}
