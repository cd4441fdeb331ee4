// Package esdb is the EventStoreDB adapter of the eventstore.Store port, built on the official Go client
// (EventStore-Client-Go v4). It is selected when PELCRO_EVENTSTORE_URL is an esdb:// or esdb+discover://
// connection string. Every behaviour the port promises is implemented here on top of the client's quirks
// (docs/eventstore.md): exclusive ReadAll, client-side filtering of system
// streams, supervised subscriptions that resume after drops, and a client that is rebuilt after its
// discovery failed for good.
package esdb

import (
	"context"
	"errors"
	"fmt"
	"sync"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrClosed is returned by every operation started after Close.
var ErrClosed = errors.New("esdb: store is closed")

// Store is the EventStoreDB implementation of eventstore.Store. It is safe for concurrent use.
type Store struct {
	conn *connection
	// ctx ends when Close is called; every operation and subscription runs under it so Close ends them.
	ctx    context.Context
	cancel func()
	// mu guards closed and orders subscriptions.Add before Close's Wait.
	mu     sync.Mutex
	closed bool
	// subscriptions counts running subscription supervisors, so Close can wait for them.
	subscriptions sync.WaitGroup
}

var _ eventstore.Store = (*Store)(nil)

// Open parses an EventStoreDB connection string (esdb://host:2113?tls=false, esdb+discover://…) and returns
// a store. Connecting is lazy: nothing is dialled until the first operation, so Open succeeds even when the
// node is down; the first operation then reports the problem.
func Open(url string) (*Store, error) {
	config, err := esdbclient.ParseConnectionString(url)
	if err != nil {
		return nil, fmt.Errorf("esdb: parse connection string: %w", err)
	}
	config.Logger = clientLogger
	conn, err := newConnection(config)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	return &Store{conn: conn, ctx: ctx, cancel: func() { cancel(ErrClosed) }}, nil
}

// Close ends every running operation and subscription, waits for the subscriptions to stop and releases the
// connection. Calling it more than once is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.subscriptions.Wait()
	s.conn.close()
	return nil
}

// withClient runs fn with the current client under a context that also ends when the store is closed. When
// that context ended, the error is ErrClosed or the caller's context error.
func (s *Store) withClient(ctx context.Context, fn func(context.Context, *esdbclient.Client) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	err := s.useClient(ctx, func(client *esdbclient.Client) error { return fn(ctx, client) })
	if err != nil && ctx.Err() != nil {
		// The client reports an ended call in its own words; give the caller the reason it knows.
		if s.ctx.Err() != nil {
			return ErrClosed
		}
		return ctx.Err()
	}
	return err
}

// useClient runs fn with a client (see connection.acquire) and returns fn's error, or ctx's as soon as ctx
// ends, whatever the client does (see connection): fn then goes on alone, so it must write only what its
// caller reads after a nil error. When the client turns out to be dead (its discovery failed), it is
// replaced and fn runs once more on the new one: the failed call never reached a node, so repeating it is
// safe even for an append.
func (s *Store) useClient(ctx context.Context, fn func(*esdbclient.Client) error) error {
	for retried := false; ; retried = true {
		g, err := s.conn.acquire(ctx)
		if err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() {
			err := fn(g.state.client)
			s.conn.finish(g, err) // even when the caller stopped waiting: it may replace a dead client
			done <- err
		}()
		select {
		case err = <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if retried || !isDead(err) {
			return err
		}
	}
}
