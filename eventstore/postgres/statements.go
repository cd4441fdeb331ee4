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
func (s *statements) get(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if stmt, ok := s.prepared[query]; ok {
		return stmt, nil
	}
	stmt, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
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
