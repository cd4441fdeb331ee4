package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
)

// binaryConns holds the connections ReadAll reads $all through in PostgreSQL's binary row format (pgconn,
// read_all_binary.go), beside the Store's database/sql pool: every value arrives as a slice of pgconn's
// buffer, without database/sql's locks, boxing and conversions per value (reading the log cost about a
// fifth less Go CPU in the rebuild's measurements). They are opened on demand from the URL the Store was
// opened with (binaryConnConfig), each with the read prepared once, at most maxBinaryConns at a time, and
// closed with the Store.
//
// Warning: a pgconn connection serves one query at a time; get hands each to one caller, and a connection
// that pgconn closed (the network failed, the server ended it, or a cancelled read interrupted it) must
// never come back to the idle list.
type binaryConns struct {
	config *pgconn.Config
	// slots holds one token per connection that may be open and in use: get waits for one, put returns it.
	slots chan struct{}

	mu     sync.Mutex
	idle   []*binaryConn
	closed bool
}

// binaryConn is one connection with the $all read prepared on it.
type binaryConn struct {
	conn    *pgconn.PgConn
	readAll *pgconn.StatementDescription
}

// maxIdleBinaryConns bounds the connections kept open between reads: a rebuild reads one page ahead on
// one goroutine, a RebuildAll a few at once; a served process only reads $all for the operator's tools.
const maxIdleBinaryConns = 2

// maxBinaryConns bounds the binary connections in use at once, which the pool's pool_max_conns does not
// count: more concurrent ReadAll callers wait for one.
const maxBinaryConns = 4

// newBinaryConns reads url (see binaryConnConfig) once, so a URL pgconn cannot read fails the Store's Open,
// not its first ReadAll.
func newBinaryConns(url string) (*binaryConns, error) {
	config, err := binaryConnConfig(url)
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: the URL for binary reads: %w", err)
	}
	return &binaryConns{config: config, slots: make(chan struct{}, maxBinaryConns)}, nil
}

// get returns an idle connection, or a new one when none is idle (or fresh is set), once fewer than
// maxBinaryConns are in use. Every connection it returns must be given back with put.
func (b *binaryConns) get(ctx context.Context, fresh bool) (*binaryConn, error) {
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c, err := b.open(ctx, fresh)
	if err != nil {
		<-b.slots
	}
	return c, err
}

func (b *binaryConns) open(ctx context.Context, fresh bool) (*binaryConn, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(b.idle); n > 0 && !fresh {
		c := b.idle[n-1]
		b.idle = b.idle[:n-1]
		b.mu.Unlock()
		return c, nil
	}
	b.mu.Unlock()
	conn, err := pgconn.ConnectConfig(ctx, b.config.Copy())
	if err != nil {
		return nil, err
	}
	readAll, err := conn.Prepare(ctx, "pelcro_read_all", readAllBinaryQuery, nil)
	if err != nil {
		_ = conn.Close(context.Background())
		return nil, err
	}
	return &binaryConn{conn: conn, readAll: readAll}, nil
}

// put gives c back after a read. A connection pgconn has not closed can serve again, whatever the read's
// error (a PostgreSQL error ends the statement, not the session; a context that ended before the read
// started left the connection untouched); beyond maxIdleBinaryConns idle ones, or once the Store is closed,
// it is closed.
func (b *binaryConns) put(c *binaryConn) {
	defer func() { <-b.slots }()
	reusable := !c.conn.IsClosed()
	b.mu.Lock()
	if reusable && !b.closed && len(b.idle) < maxIdleBinaryConns {
		b.idle = append(b.idle, c)
		c = nil
	}
	b.mu.Unlock()
	if c != nil {
		_ = c.conn.Close(context.Background())
	}
}

// dropIdle closes every idle connection: after one failed on the network (the server restarted or failed
// over), the others are likely dead too.
func (b *binaryConns) dropIdle() {
	b.mu.Lock()
	idle := b.idle
	b.idle = nil
	b.mu.Unlock()
	for _, c := range idle {
		_ = c.conn.Close(context.Background())
	}
}

// close closes the idle connections and makes get refuse; connections in use are closed when put back.
func (b *binaryConns) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.dropIdle()
}
