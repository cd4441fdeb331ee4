package sandbox

import (
	"context"
	"strconv"
	"strings"

	"github.com/lib/pq"
)

// chargeColumns are chargeOnce's parameters, $1 … $10, each named as chargesOnce reads it and with its SQL
// type: claimWithIntent's seven (key, fingerprint, outcome, intent id, kind, status, client secret), then the
// charge's id, amount and currency. Warning: keep them in the order chargeOnce numbers them, and chargesOnce's
// statement in step with chargeOnce's: they record the same rows, one charge or many.
var chargeColumns = []struct{ name, typ string }{
	{"key", "text"}, {"fingerprint", "bytea"}, {"outcome", "jsonb"}, {"intent", "text"}, {"kind", "text"},
	{"status", "text"}, {"client_secret", "text"}, {"charge", "text"}, {"amount", "bigint"}, {"currency", "text"},
}

// chargesOnce is chargeOnce for several charges at once (wireChargeGroup): each parameter is an array of the
// charges' values, in chargeColumns' order. Every charge whose key is new is recorded with its intent and
// charge rows, every key seen before inserts nothing, and the statement returns the keys it claimed. Keys
// are claimed in their sort order, so that two such statements over common keys (two processes) wait for
// each other instead of deadlocking. A charge's rows are written only when its own request (key and
// fingerprint) claimed the key; claimCharges never sends one key twice, and this keeps it so in the database.
var chargesOnce = func() string {
	names, params := make([]string, len(chargeColumns)), make([]string, len(chargeColumns))
	for i, c := range chargeColumns {
		names[i], params[i] = c.name, "$"+strconv.Itoa(i+1)+"::"+c.typ+"[]"
	}
	return `
	WITH request AS (
		SELECT * FROM unnest(` + strings.Join(params, ", ") + `) AS r(` + strings.Join(names, ", ") + `)
	), claimed AS (
		INSERT INTO payments_sandbox_requests (idempotency_key, fingerprint, outcome)
		SELECT key, fingerprint, outcome FROM request ORDER BY key
		ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key, fingerprint
	), new AS (
		SELECT r.* FROM request r JOIN claimed c ON c.idempotency_key = r.key AND c.fingerprint = r.fingerprint
	), intent AS (
		INSERT INTO payments_sandbox_intents (id, kind, status, client_secret)
		SELECT intent, kind, status, client_secret FROM new WHERE intent IS NOT NULL
	), charge AS (
		INSERT INTO payments_sandbox_charges (id, amount, currency, intent)
		SELECT charge, amount, currency, intent FROM new WHERE charge IS NOT NULL
	)
	SELECT idempotency_key FROM claimed`
}()

// wireChargeGroup sets up the queue that records concurrent charges in one statement, hence one commit
// (groupcommit.Queue): the billing run's workers charge one renewal each, and a commit apiece was most of
// what a renewal cost the database. Its input is chargeOnce's parameters, its answer whether the key was new.
func (g *Gateway) wireChargeGroup() {
	g.charges.Alone = g.claimAlone(chargeOnce)
	g.charges.Shared = g.claimCharges
}

// claimCharges records two or more charges with chargesOnce and reports, for each, whether its key was new.
// ok is false when the statement failed, or when two of the charges share a key: each then runs chargeOnce
// alone, which tells the first request from its repeat. A statement that committed but whose answer was lost
// is safe the same way: alone, every key is found claimed, and its recorded outcome (the one decided here) is
// replayed.
func (g *Gateway) claimCharges(ctx context.Context, charges [][]any) (claimed []bool, ok bool) {
	columns := make([][]any, len(chargeColumns))
	keys := make(map[string]bool, len(charges))
	for _, params := range charges {
		key := params[0].(string)
		if _, repeated := keys[key]; repeated {
			return nil, false
		}
		keys[key] = false
		for i := range columns {
			columns[i] = append(columns[i], params[i])
		}
	}
	arrays := make([]any, len(columns))
	for i, column := range columns {
		arrays[i] = arrayParam(chargeColumns[i].typ, column)
	}
	rows, err := g.db.QueryContext(ctx, chargesOnce, arrays...)
	if err != nil {
		return nil, false
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, false
		}
		keys[key] = true
	}
	if rows.Err() != nil {
		return nil, false
	}
	claimed = make([]bool, len(charges))
	for i, params := range charges {
		claimed[i] = keys[params[0].(string)]
	}
	return claimed, true
}

// arrayParam is the array parameter of a column of values of SQL type typ. lib/pq's generic array would send
// a bytea column's bytes raw, where an array literal needs them escaped.
func arrayParam(typ string, values []any) any {
	if typ != "bytea" {
		return pq.GenericArray{A: values}
	}
	bytes := make(pq.ByteaArray, len(values))
	for i, v := range values {
		bytes[i] = v.([]byte)
	}
	return bytes
}
