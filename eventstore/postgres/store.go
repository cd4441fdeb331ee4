// Package postgres is the PostgreSQL adapter of eventstore.Store, the embedded default event store.
//
// Design, in short (each file's comments hold the details):
//   - One row per event in the events table. Optimistic concurrency rests on the unique (stream_id, revision)
//     key, so writers to different streams never wait for each other; an append is one call of the
//     pelcro_append function (migrations/), one round trip in autocommit.
//   - The global position is (tx_id, seq): the writing transaction's id, then the identity value. Readers of
//     $all only read rows below a fence, the id of the oldest append still in flight (fence.go), so an event
//     can never appear before a position a reader already passed (sequence values become visible in commit
//     order, not in the order they were taken). Transactions that do not append never hold delivery back.
//   - Live subscriptions wait for a wake-up: appends through the same Store wake them directly, a notifier
//     goroutine sends one coalesced NOTIFY after appends for other processes, and a slow poll covers lost
//     notifications.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the driver New and Open expect
	"golang.org/x/sync/singleflight"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// ErrClosed is returned by a subscription's Recv once the subscription or its Store has been closed, and by
// every call on a closed Store.
var ErrClosed = errors.New("eventstore/postgres: closed")

// Store is the PostgreSQL event store. It is safe for concurrent use.
type Store struct {
	db     *sqlx.DB
	ownsDB bool
	opts   options
	stmts  *statements
	wakes  *wakeHub
	fences sharedFence
	pages  singleflight.Group // readPage: one query for the subscriptions that ask the same page at once
	group  appendGroup        // AppendMulti: one statement for the calls that run at the same moment
	binary *binaryConns       // ReadAll's binary reads; nil for a Store built with New, which reads through db

	// notifySignal asks the notifier goroutine for one NOTIFY; its buffer of one coalesces bursts of appends.
	notifySignal chan struct{}
	// origin names this Store in its NOTIFYs, so that its listener tells them from other processes' ones.
	origin     string
	listenOnce sync.Once

	ctx       context.Context // ends when the Store closes; background goroutines and subscriptions watch it
	cancel    context.CancelCauseFunc
	closeOnce sync.Once
	closeErr  error
	running   sync.WaitGroup
}

var _ eventstore.Store = (*Store)(nil)

// New returns a Store over db, whose schema Migrate must already have created. The Store does not own db:
// Close leaves it open for the caller to close.
func New(db *sqlx.DB, opts ...Option) *Store {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	s := &Store{
		db:           db,
		opts:         o,
		stmts:        newStatements(db.DB),
		wakes:        newWakeHub(),
		notifySignal: make(chan struct{}, 1),
		origin:       uuid.NewString(),
		ctx:          ctx,
		cancel:       cancel,
	}
	s.wireAppendGroup()
	s.running.Add(1)
	go s.runNotifier()
	return s
}

// Open connects to the database at url (creating it when missing), migrates the event store schema and
// returns a Store that owns the connection pool (Close closes it) and LISTENs on url for appends of other
// processes.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	return open(ctx, url, pg.Open, Migrate, opts)
}

// Connect is Open for a database that must already exist with the schema migrated: it creates and
// migrates nothing, and fails with pg.ErrNoDatabase or pg.ErrNotMigrated (wrapped) otherwise.
func Connect(ctx context.Context, url string, opts ...Option) (*Store, error) {
	return open(ctx, url, pg.Connect, CheckMigrated, opts)
}

func open(ctx context.Context, url string, connect func(context.Context, string) (*sqlx.DB, error),
	schema func(context.Context, *sql.DB) error, opts []Option) (*Store, error) {
	db, err := connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: %w", err)
	}
	if err := schema(ctx, db.DB); err != nil {
		db.Close()
		return nil, err
	}
	listenURL, _, err := pg.ClientURL(url)
	if err != nil {
		db.Close()
		return nil, err
	}
	binary, err := newBinaryConns(listenURL)
	if err != nil {
		db.Close()
		return nil, err
	}
	s := New(db, append([]Option{WithListenURL(listenURL)}, opts...)...)
	s.ownsDB = true
	s.binary = binary
	return s, nil
}

// Close ends the Store's subscriptions and background goroutines, releases its prepared statements and,
// when the Store came from Open, closes the connection pool. Calling it again returns the first result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.cancel(ErrClosed)
		s.running.Wait()
		s.closeErr = s.stmts.close()
		if s.binary != nil {
			s.binary.close()
		}
		if s.ownsDB {
			s.closeErr = errors.Join(s.closeErr, s.db.Close())
		}
	})
	return s.closeErr
}

// committed tells everyone waiting for new events that an append through this Store has committed:
// subscriptions of this Store directly, other processes through one coalesced NOTIFY. Call it after every
// successful commit; forgetting it only delays delivery until the next poll.
func (s *Store) committed() {
	s.wakes.broadcast()
	select {
	case s.notifySignal <- struct{}{}:
	default: // a NOTIFY is already pending; it will cover this append too
	}
}
