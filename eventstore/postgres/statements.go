package postgres

import (
	"context"
	"database/sql"
	"sync"
)

// statements prepares each query once and keeps it, because lib/pq sends a query with arguments in two round
// trips (parse, then execute) while a prepared statement executes in one. database/sql re-prepares a
// statement transparently on every pooled connection that runs it.
type statements struct {
	db *sql.DB

	mu       sync.Mutex
	prepared map[string]*sql.Stmt
	closed   bool
}

func newStatements(db *sql.DB) *statements {
	return &statements{db: db, prepared: make(map[string]*sql.Stmt)}
}

// get returns the prepared statement for query, preparing it on first use. A failed prepare is not cached:
// the next call tries again. After close it returns ErrClosed, so a closed Store refuses every call instead
// of preparing statements nobody would release.
//
// Warning: the lock must never be held while preparing. Preparing waits for a free connection of the pool,
// and the callers holding the pool's connections (transactions) may themselves be asking for statements
// already prepared: were they to queue behind a prepare, nobody would release a connection and the Store
// would hang. Two callers preparing the same query at once both prepare; the first to store its statement
// wins and the other's is closed.
func (s *statements) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if stmt, known, err := s.lookup(query); known || err != nil {
		return stmt, err
	}
	stmt, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.keep(query, stmt)
}

// lookup returns the statement already prepared for query, if any, or ErrClosed after close.
func (s *statements) lookup(query string) (*sql.Stmt, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false, ErrClosed
	}
	stmt, ok := s.prepared[query]
	return stmt, ok, nil
}

// keep stores stmt for query unless another caller stored one first (then stmt is closed and theirs
// returned) or the statements were closed meanwhile (then stmt is closed and ErrClosed returned).
func (s *statements) keep(query string, stmt *sql.Stmt) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = stmt.Close()
		return nil, ErrClosed
	}
	if earlier, ok := s.prepared[query]; ok {
		_ = stmt.Close()
		return earlier, nil
	}
	s.prepared[query] = stmt
	return stmt, nil
}

// close releases every prepared statement; the first error wins.
func (s *statements) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var first error
	for query, stmt := range s.prepared {
		if err := stmt.Close(); err != nil && first == nil {
			first = err
		}
		delete(s.prepared, query)
	}
	return first
}
