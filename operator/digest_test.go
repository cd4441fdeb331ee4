package operator_test

import (
	"fmt"
	"testing"

	"github.com/pelcro-oss/pelcro-api/operator"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
)

// TestDigestIsTheDefaultCollationOne holds the digest to the value it had before its sort named a collation:
// the same rows give the digest that sorting the row hashes under any of these collations gives, so digests
// printed by older builds and other databases still compare.
func TestDigestIsTheDefaultCollationOne(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Given enough rows that their hashes start with every hex digit, in both digit and letter ranges
	_, err := w.db.ExecContext(t.Context(), `INSERT INTO newsletters (site_id, email, id, first_name, last_name,
		postal_code, source, lists, consent_url, consent_text, consent_type, consent_ip, created_at, updated_at,
		revision, stream_id)
		SELECT 1, 'reader' || g || '@example.org', g, 'Zoë', 'Ärger ' || g, '', '', '', '', '', '', '', now(), now(), 0,
			'newsletter-' || g FROM generate_series(1, 300) g`)
	if err != nil {
		t.Fatal(err)
	}
	// When the operator digests the table
	digests, err := operator.Digests(t.Context(), w.config(), newsletterprojection.Projection())
	if err != nil {
		t.Fatal(err)
	}
	got := digests[0]
	// Then it is the digest of the hashes sorted by each collation
	for _, collation := range []string{"default", "POSIX", "C.utf8", "und-x-icu", "en-US-x-icu", "fr-FR-x-icu"} {
		t.Run(collation, func(t *testing.T) {
			var exists bool
			if err := w.db.GetContext(t.Context(), &exists, `SELECT EXISTS (SELECT FROM pg_collation WHERE collname = $1)`,
				collation); err != nil || !exists {
				t.Skipf("collation %s not installed (err %v)", collation, err)
			}
			var want string
			err := w.db.GetContext(t.Context(), &want, fmt.Sprintf(`SELECT md5(coalesce(string_agg(md5(t::text), ''
				ORDER BY md5(t::text) COLLATE %q), '')) FROM newsletters t`, collation))
			if err != nil {
				t.Fatal(err)
			}
			if got.Table != "newsletters" || got.Rows != 300 || got.MD5 != want {
				t.Errorf("digest = %+v, want 300 rows with md5 %s", got, want)
			}
		})
	}
}
