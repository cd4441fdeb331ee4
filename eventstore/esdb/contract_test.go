package esdb

import (
	"os"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

// TestContract runs the shared contract suite against a fresh esdbtest server per case and, when
// PELCRO_TEST_ESDB_URL is set, against that node (shared by every case; the suite keeps its cases apart).
func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Name: "esdb",
		New: func(t *testing.T) eventstore.Store {
			return openStore(t, esdbtest.Start(t).URL())
		},
	})
	if url := os.Getenv(nodeURLVariable); url != "" {
		storetest.Run(t, storetest.Backend{
			Name: "esdb-node",
			New:  func(t *testing.T) eventstore.Store { return openStore(t, url) },
		})
	}
}
