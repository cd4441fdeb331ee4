package esdb

import (
	"fmt"
	"sync"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// connection owns the client and replaces it when it died. The client discovers its node lazily, on the
// first call and again after an Unavailable error; when one discovery round fails (about a second of
// attempts) the client marks itself closed for good and every later call returns ErrorCodeConnectionClosed.
// A store that must survive a node restart therefore needs a fresh client, which replaceIfDead provides.
type connection struct {
	config *esdbclient.Configuration
	// mu is held shared while a call uses the client and exclusively to swap or close it, because the
	// client panics when Close races with a call that is about to start ("send on closed channel").
	mu     sync.RWMutex
	client *esdbclient.Client
	closed bool
}

func newConnection(config *esdbclient.Configuration) (*connection, error) {
	client, err := esdbclient.NewClient(config)
	if err != nil {
		return nil, fmt.Errorf("esdb: create client: %w", err)
	}
	return &connection{config: config, client: client}, nil
}

// acquire returns the current client and the function that must be called once the call made with it
// returned. It fails with ErrClosed after close.
func (c *connection) acquire() (*esdbclient.Client, func(), error) {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return nil, nil, ErrClosed
	}
	return c.client, c.mu.RUnlock, nil
}

// replaceIfDead reports whether err says used is closed for good, and then makes sure the current client is
// a fresh one (another caller may have replaced it already). It reports false once the store is closed. The
// dead client is dropped, not closed: its connection goroutine has already exited, and closing it could
// panic a concurrent caller that is still handing it a request.
func (c *connection) replaceIfDead(used *esdbclient.Client, err error) bool {
	if !hasErrorCode(err, esdbclient.ErrorCodeConnectionClosed) {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	if c.client == used {
		fresh, err := esdbclient.NewClient(c.config)
		if err != nil {
			return false // the configuration was validated by newConnection, so this cannot happen
		}
		c.client = fresh
	}
	return true
}

// close closes the current client once every call using it returned. Later calls get ErrClosed.
func (c *connection) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	_ = c.client.Close() // always returns nil
}
