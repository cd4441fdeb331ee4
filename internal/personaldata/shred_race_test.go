package personaldata

import (
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// TestAPartCreatedWhileItsSubjectIsShreddedIsKeptOrRecordedErased: a part's key is created under the part's
// lock, not its subject's, so it may land while the subject is being shredded. Whichever way the race goes,
// the part's key must either still be there or be recorded as erased: a key deleted with no erasure row
// makes every read of the stream fail for a missing key.
func TestAPartCreatedWhileItsSubjectIsShreddedIsKeptOrRecordedErased(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, err := pg.Open(ctx, migratedtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ring, err := LoadKeyring(ctx, db, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := NewKeys(db, ring)
	const subject, rounds, parts = "subscription-9", 30, 8
	// given parts being created, round after round, while their subject is shredded
	for round := range rounds {
		var wg sync.WaitGroup
		for p := range parts {
			wg.Go(func() {
				if _, _, err := keys.current(ctx, PartSubject(subject, "member_id", int64(round*parts+p))); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Go(func() {
			if _, err := keys.shred(ctx, subject); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
	}
	// then every part has its key, or an erasure covering it
	for i := range rounds * parts {
		part := PartSubject(subject, "member_id", int64(i))
		found, err := keys.lookup(ctx, []string{part})
		if err != nil {
			t.Fatal(err)
		}
		if k := found[part]; len(k.keys) == 0 && !k.gone(1) {
			t.Errorf("%s: its key was deleted and no erasure recorded", part)
		}
	}
}
