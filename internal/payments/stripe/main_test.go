package stripe_test

import (
	"os"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments/stripe/stripemock"
)

// mock is one stripe-mock server the tests of the package share, started by the first test that needs it
// (a fuzzing worker runs none) and stopped when the package's tests end: each start loads Stripe's whole
// OpenAPI document, seconds of CPU.
type mock struct {
	outcome stripemock.Outcome
	once    sync.Once
	server  *stripemock.Server
	err     error
}

var (
	succeeding      = &mock{outcome: stripemock.Succeeded}
	requiringAction = &mock{outcome: stripemock.RequiresAction}
)

// url starts the server if need be and returns its base URL, failing the test when it cannot start.
func (m *mock) url(t *testing.T) string {
	t.Helper()
	m.once.Do(func() { m.server, m.err = stripemock.Run(m.outcome) })
	if m.err != nil {
		t.Fatal(m.err)
	}
	return m.server.URL
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, started := range []*mock{succeeding, requiringAction} {
		if started.server != nil {
			started.server.Close()
		}
	}
	os.Exit(code)
}
