package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// Segments answers the customer segment questions of rule 12 from the catalog and customer read models:
// which segment-restricted plans, coupons and SKUs of a site a customer qualifies for (#13–#15), and
// whether a customer may take a plan or a coupon (the subscription commands ask on create and renew).
// Whether a customer is in a segment is catalog.InSegment over the facts the read models hold of them.
// Its methods may be called concurrently.
type Segments struct {
	DB *sqlx.DB
	// HeldPlans returns the ids of the plans the customer holds (active subscriptions), for the plan_id
	// rules. nil means the customer holds none: until cmd/pelcro wires it to the subscriptions read model,
	// plan_id rules hold for nobody. An error fails the question asked.
	HeldPlans func(ctx context.Context, customerID int64) ([]int64, error)
}

// SegmentRef names a segment that makes the customer eligible for an item.
type SegmentRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// segmentRow is a row of catalog_segments.
type segmentRow struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	Rules []byte `db:"rules"`
}

// customerSegments returns the segments of the site the customer is in, ordered by id; none for a customer
// the read model does not have.
func (s Segments) customerSegments(ctx context.Context, siteID, customerID int64) ([]SegmentRef, error) {
	var rows []segmentRow
	err := s.DB.SelectContext(ctx, &rows, `SELECT id, name, rules FROM catalog_segments WHERE site_id = $1 ORDER BY id`, siteID)
	if err != nil || len(rows) == 0 {
		return nil, wrapped(err, "segments of site %d", siteID)
	}
	facts, found, err := s.facts(ctx, customerID)
	if err != nil || !found {
		return nil, err
	}
	var in []SegmentRef
	for _, row := range rows {
		var rules []catalog.SegmentRule
		if err := json.Unmarshal(row.Rules, &rules); err != nil {
			return nil, fmt.Errorf("queries: rules of segment %d: %w", row.ID, err)
		}
		if catalog.InSegment(rules, facts) {
			in = append(in, SegmentRef{ID: row.ID, Name: row.Name})
		}
	}
	return in, nil
}

// facts reads what segment rules look at of the customer: the email, the country of the default billing
// address, the metadata and the plans held (HeldPlans).
func (s Segments) facts(ctx context.Context, customerID int64) (catalog.CustomerFacts, bool, error) {
	var row struct {
		Email    string `db:"email"`
		Country  string `db:"country"`
		Metadata []byte `db:"metadata"`
	}
	err := s.DB.GetContext(ctx, &row, `SELECT c.email, c.metadata, coalesce((SELECT a.country FROM customer_addresses a
		WHERE a.customer_id = c.id AND a.type = 'billing' AND a.is_default ORDER BY a.id LIMIT 1), '') AS country
		FROM customers c WHERE c.id = $1`, customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return catalog.CustomerFacts{}, false, nil
	}
	if err != nil {
		return catalog.CustomerFacts{}, false, fmt.Errorf("queries: segment facts of customer %d: %w", customerID, err)
	}
	facts := catalog.CustomerFacts{Email: row.Email, Country: row.Country, Metadata: scalarMetadata(row.Metadata)}
	if s.HeldPlans != nil {
		if facts.HeldPlanIDs, err = s.HeldPlans(ctx, customerID); err != nil {
			return catalog.CustomerFacts{}, false, fmt.Errorf("queries: plans held by customer %d: %w", customerID, err)
		}
	}
	return facts, true, nil
}

// scalarMetadata keeps the metadata values segment rules compare (see catalog.CustomerFacts): texts as
// they are, numbers and booleans as their JSON text; lists, objects and null are left out.
func scalarMetadata(document []byte) map[string]string {
	var values map[string]json.RawMessage
	if json.Unmarshal(document, &values) != nil {
		return nil // not an object: no key to compare
	}
	out := make(map[string]string, len(values))
	for key, raw := range values {
		var text string
		switch {
		case json.Unmarshal(raw, &text) == nil:
			out[key] = text
		case len(raw) > 0 && raw[0] != '{' && raw[0] != '[' && string(raw) != "null":
			out[key] = string(raw)
		}
	}
	return out
}

// restrictedIDs returns, for each row of table on the site whose segment_ids meet any of segments and
// which condition admits, the segments of the list it meets, by row id. Warning: table and condition are
// spliced into the SQL; pass constants only.
func (s Segments) restrictedIDs(ctx context.Context, table, condition string, siteID int64, segments []SegmentRef) (map[int64][]SegmentRef, error) {
	ids := make([]int64, len(segments))
	for i, segment := range segments {
		ids[i] = segment.ID
	}
	var rows []struct {
		ID         int64         `db:"id"`
		SegmentIDs pq.Int64Array `db:"segment_ids"`
	}
	query := `SELECT id, segment_ids FROM ` + table + ` WHERE site_id = $1 AND segment_ids && $2 AND ` + condition
	if err := s.DB.SelectContext(ctx, &rows, query, siteID, pq.Int64Array(ids)); err != nil {
		return nil, fmt.Errorf("queries: %s of site %d restricted to segments %v: %w", table, siteID, ids, err)
	}
	out := make(map[int64][]SegmentRef, len(rows))
	for _, row := range rows {
		for _, segment := range segments {
			if slices.Contains(row.SegmentIDs, segment.ID) {
				out[row.ID] = append(out[row.ID], segment)
			}
		}
	}
	return out, nil
}

// wrapped is nil for a nil err, else err with what the query was about.
func wrapped(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("queries: "+format+": %w", append(args, err)...)
}
