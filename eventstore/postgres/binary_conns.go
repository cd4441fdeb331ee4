package postgres

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
)

// binaryConns holds the connections ReadAll reads $all through in PostgreSQL's binary row format (pgconn,
// read_all_binary.go), beside the Store's database/sql pool: lib/pq's text parsing, database/sql's locks
// and its per-value boxing and conversion were a third of a rebuild's Go CPU. They are opened on demand
// from the URL the Store was opened with (the one source of connection settings), each with the read
// prepared once, and closed with the Store.
//
// Warning: a pgconn connection serves one query at a time; get hands each to one caller, and a connection
// that failed on the network (not with a PostgreSQL error) must never come back to the idle list.
type binaryConns struct {
	url string

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

func newBinaryConns(url string) *binaryConns {
	return &binaryConns{url: url}
}

// get returns an idle connection, or a new one when none is idle (or fresh is set).
func (b *binaryConns) get(ctx context.Context, fresh bool) (*binaryConn, error) {
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
	config, err := pgconn.ParseConfig(b.url)
	if err != nil {
		return nil, err
	}
	config.RuntimeParams["client_encoding"] = "UTF8" // names arrive as raw bytes; lib/pq asks for UTF8 alike
	conn, err := pgconn.ConnectConfig(ctx, config)
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

// put gives c back after a read that ended with err. A connection keeps serving after a PostgreSQL error
// (the server ended the statement, not the session); after any other error, or beyond maxIdleBinaryConns
// idle ones, or once the Store is closed, it is closed.
func (b *binaryConns) put(c *binaryConn, err error) {
	var pgErr *pgconn.PgError
	reusable := (err == nil || errors.As(err, &pgErr)) && !c.conn.IsClosed()
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
