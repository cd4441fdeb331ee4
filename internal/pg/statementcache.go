package pg

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/lib/pq"
)

// statementCacheSize bounds how many statements one connection keeps prepared. The process runs a few
// hundred distinct queries at most; past the bound the least recently used one is closed (a round trip).
const statementCacheSize = 256

// preparingConnector opens lib/pq connections that prepare every query with arguments the first time they
// run it and reuse the statement afterwards.
//
// lib/pq sends a query with arguments in two round trips (parse and describe, then bind and execute),
// while a prepared statement executes in one. A write answered over the API runs a dozen such queries
// (token checks, keys, the stream's tail, the answer read back, and the projections' rows and checkpoints),
// so on a loaded server half its round trips were parses of text it had sent before.
//
// Queries without arguments keep lib/pq's simple protocol (one round trip already, and the only one that
// runs several statements in one string). Prepared statements are not transactional, and PostgreSQL
// re-analyses one whose tables changed or whose search_path differs from its last use, so a rebuild's table
// swap or the operator's time travel (SET LOCAL search_path) read what they read before.
type preparingConnector struct {
	driver.Connector
}

// Connect opens a connection and gives it its own statement cache.
func (c preparingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	full, ok := conn.(pqConn)
	if !ok { // another lib/pq than the one this was written against: run it as it is
		return conn, nil
	}
	return &preparingConn{pqConn: full, byQuery: map[string]*list.Element{}, order: list.New()}, nil
}

// pqConn is what a lib/pq connection implements and database/sql looks for; the wrapper passes every
// method through but the two it caches for.
type pqConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

// preparingConn is one connection and its prepared statements, most recently used at the front of order.
// database/sql never uses a connection from two goroutines at once, so it needs no lock.
type preparingConn struct {
	pqConn
	byQuery map[string]*list.Element // values of order: *cachedStatement
	order   *list.List
	inTx    bool // a transaction is open on the connection
}

type cachedStatement struct {
	query string
	stmt  interface {
		driver.Stmt
		driver.StmtQueryContext
		driver.StmtExecContext
	}
}

// QueryContext runs query through its prepared statement when it has arguments.
func (c *preparingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if unprepared(query, args) {
		return c.pqConn.QueryContext(ctx, query, args)
	}
	return runPrepared(ctx, c, query, func(st *cachedStatement) (driver.Rows, error) {
		return st.stmt.QueryContext(ctx, args)
	})
}

// ExecContext runs query through its prepared statement when it has arguments.
func (c *preparingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if unprepared(query, args) {
		return c.pqConn.ExecContext(ctx, query, args)
	}
	return runPrepared(ctx, c, query, func(st *cachedStatement) (driver.Result, error) {
		return st.stmt.ExecContext(ctx, args)
	})
}

// runPrepared runs query's prepared statement, and runs it once more, prepared afresh, when the server no
// longer knew it as it was (see dropWhenStale).
func runPrepared[T any](ctx context.Context, c *preparingConn, query string, run func(*cachedStatement) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		st, err := c.statement(ctx, query)
		if err != nil {
			var zero T
			return zero, err
		}
		out, err := run(st)
		if !c.dropWhenStale(st, err) || attempt == 2 {
			return out, err
		}
	}
}

// unprepared tells the queries lib/pq runs as they are: those without arguments (the simple protocol, one
// round trip already) and COPY, which lib/pq prepares into a copy of its own kind.
func unprepared(query string, args []driver.NamedValue) bool {
	if len(args) == 0 {
		return true
	}
	head := strings.TrimLeft(query, " \t\r\n")
	return len(head) >= 4 && strings.EqualFold(head[:4], "copy")
}

// statement returns the prepared statement of query, preparing it (and evicting the least recently used
// one when full) on first use. A failed prepare is not kept: the error is the one running the query would
// have given.
func (c *preparingConn) statement(ctx context.Context, query string) (*cachedStatement, error) {
	if el, ok := c.byQuery[query]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cachedStatement), nil
	}
	prepared, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	stmt, ok := prepared.(interface {
		driver.Stmt
		driver.StmtQueryContext
		driver.StmtExecContext
	})
	if !ok {
		_ = prepared.Close()
		return nil, errors.New("pg: lib/pq prepared a statement it cannot run with a context")
	}
	if c.order.Len() >= statementCacheSize {
		oldest := c.order.Back()
		c.forget(oldest.Value.(*cachedStatement))
		if err := oldest.Value.(*cachedStatement).stmt.Close(); err != nil {
			_ = stmt.Close()
			return nil, err
		}
	}
	st := &cachedStatement{query: query, stmt: stmt}
	c.byQuery[query] = c.order.PushFront(st)
	return st, nil
}

// dropWhenStale forgets a statement the server no longer runs as prepared: deallocated (26000), or whose
// result columns changed under it (0A000, "cached plan must not change result type"), and reports whether
// the query may simply run again, prepared afresh. Both errors come at Bind, before anything ran; outside a
// transaction the caller then never sees them. Inside one the error has aborted the transaction, so it
// reaches the caller, whose transaction fails as any failed statement makes it.
func (c *preparingConn) dropWhenStale(st *cachedStatement, err error) (retry bool) {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == "26000" || pqErr.Code == "0A000") {
		c.forget(st)
		return !c.inTx
	}
	return false
}

// BeginTx starts a transaction and remembers it is open until it ends (see dropWhenStale).
func (c *preparingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.pqConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.inTx = true
	return endingTx{Tx: tx, conn: c}, nil
}

// endingTx tells its connection when the transaction ends, committed or not.
type endingTx struct {
	driver.Tx
	conn *preparingConn
}

func (t endingTx) Commit() error {
	t.conn.inTx = false
	return t.Tx.Commit()
}

func (t endingTx) Rollback() error {
	t.conn.inTx = false
	return t.Tx.Rollback()
}

func (c *preparingConn) forget(st *cachedStatement) {
	if el, ok := c.byQuery[st.query]; ok && el.Value == st {
		c.order.Remove(el)
		delete(c.byQuery, st.query)
	}
}
