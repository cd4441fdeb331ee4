package personaldata

import (
	"context"
	"testing"
	"time"
)

// A lookup that panics still lands its flight: a reader coming after it looks the subject up itself
// instead of waiting for an answer that never comes.
func TestAPanickingLookupLandsItsFlight(t *testing.T) {
	t.Parallel()
	// Given a store whose key lookup panics (no database).
	s := &Store{keys: &Keys{}, cache: newKeyCache(10, time.Minute, time.Now)}

	// When a reader misses the cache and its lookup panics.
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the lookup did not panic: the test no longer tests anything")
			}
		}()
		_, _ = s.keysOf(context.Background(), []string{"customer-1"})
	}()

	// Then no flight is left for the subject, and the next reader plans a lookup of its own.
	next := s.cache.plan([]string{"customer-1"})
	if len(next.joined) != 0 || len(next.mine) != 1 {
		t.Fatalf("next reader: joined %v, own lookup %v; want its own lookup of the subject", next.joined, next.mine)
	}
}
