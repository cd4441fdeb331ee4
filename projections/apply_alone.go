package projections

import (
	"context"
	"strconv"
)

// applyAlone applies a batch whose one handled event has a handler built with OnStatement, and moves the
// checkpoint past the batch, in one statement run in no transaction of its own (aloneQuery): one round trip
// where the checkpoint's transaction takes four (BEGIN, checkpoint, row, COMMIT). The statement is one
// implicit transaction, so the row and the checkpoint still commit together or not at all.
//
// It reports false, having changed nothing, whenever it is not sure: another kind of handler or more than
// one handled event, a durable projection, a checkpoint missing or not before the batch (a new projection,
// a redelivery), a checkpoint row changed by another transaction after the statement took its snapshot, or
// any error. The caller then runs the checkpoint's transaction, which decides those cases and reports its own
// errors. Warning: that fallback is what keeps this safe; never report an error from here instead.
func (p *projectionRun) applyAlone(ctx context.Context, steps []step) bool {
	if p.durable {
		return false
	}
	var lone *step
	for i := range steps {
		if steps[i].ignored != "" {
			continue
		}
		if lone != nil || steps[i].handler.statement == nil {
			return false
		}
		lone = &steps[i]
	}
	if lone == nil {
		return false
	}
	s, err := lone.handler.statement(lone.event.Envelope, lone.event.Data)
	if err != nil {
		return false
	}
	first, last := steps[0].ev.Position, steps[len(steps)-1].ev.Position
	n := len(s.Args)
	args := append(s.Args[:n:n], p.name, strconv.FormatUint(first.Commit, 10), strconv.FormatUint(first.Prepare, 10),
		strconv.FormatUint(last.Commit, 10), strconv.FormatUint(last.Prepare, 10))
	_, err = p.db.ExecContext(ctx, aloneQuery(s.Query, n), args...)
	return err == nil
}

// aloneQuery wraps a handler's statement (arguments $1…$n) with the move of the checkpoint of projection
// $n+1 from before the batch's first event ($n+2, $n+3) to its last ($n+4, $n+5), as moveCheckpointAsyncQuery
// does inside a transaction.
//
// The checkpoint's UPDATE runs first (the main query reads it; the handler's sub-statement, which nothing
// reads, runs after the main query ends), so the checkpoint row is locked before any row of the read model,
// as in the transaction. When it moves nothing, 1 / count(*) fails and the whole statement, the handler's
// part included, is undone.
//
// Every sub-statement sees the rows as they were when the statement started. The transaction's statements
// start after the checkpoint's lock is granted and see what a rival holding it committed; here, a rival
// committing while the statement waits for the lock could have written rows the handler's part does not
// see. So the checkpoint moves only while its row is the version the statement's snapshot holds (same xmin):
// the rows and checkpoint a rival commits go together, and a changed row makes the statement fail and the
// caller use the transaction. Warning: removing the xmin condition loses updates when two processes run one
// projection.
func aloneQuery(query string, n int) string {
	arg := func(i int) string { return "$" + strconv.Itoa(n+i) }
	return `WITH checkpoint AS (
	UPDATE projection_checkpoints SET commit_pos = ` + arg(4) + `::numeric, prepare_pos = ` + arg(5) + `::numeric, updated_at = now()
	WHERE projection = ` + arg(1) + ` AND (commit_pos, prepare_pos) < (` + arg(2) + `::numeric, ` + arg(3) + `::numeric)
		AND xmin = (SELECT xmin FROM projection_checkpoints WHERE projection = ` + arg(1) + `)
		AND set_config('synchronous_commit', 'off', true) IS NOT NULL
	RETURNING 1
), applied AS (
` + query + `
)
SELECT 1 / count(*) FROM checkpoint`
}
