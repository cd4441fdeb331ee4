package projections

import (
	"context"
	"strconv"
)

// applyAlone applies a batch whose one handled event has a handler built with OnStatement, and moves the
// checkpoint past the batch, in one statement run in no transaction of its own (aloneQuery): two round trips
// with lib/pq (parse, then bind and execute) where the checkpoint's transaction takes six (BEGIN, checkpoint,
// row, COMMIT). The statement is one implicit transaction, so the row and the checkpoint still commit
// together or not at all.
//
// It reports false whenever it is not sure: another kind of handler or more than one handled event, a
// durable projection, a checkpoint missing or not before the batch (a new projection, a redelivery), a
// checkpoint row another transaction holds or changed after the statement took its snapshot, or any error.
// The caller then runs the checkpoint's transaction, which decides those cases and reports its own errors.
// On a connection or context error the statement may have committed all the same: the transaction then
// finds the checkpoint at or past the batch and applies nothing, as for any redelivery. Warning: that
// fallback is what keeps this safe; never report an error from here instead.
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
// $n+1 from before the batch's first event ($n+2, $n+3) to its last ($n+4, $n+5), by the rules of
// moveCheckpointAsyncQuery (moveCheckpointAfter, asyncCommit). When the checkpoint moves nothing,
// 1 / count(*) fails and the whole statement, the handler's part included, is undone.
//
// Lock order. PostgreSQL locks every table a statement names before it runs, so this statement holds the
// read model's tables (RowExclusiveLock) before it reaches the checkpoint row, the reverse of the
// transaction and of a rebuild's swap (checkpoint row, then LOCK TABLE … ACCESS EXCLUSIVE). It must
// therefore never wait for the checkpoint row: held takes it FOR UPDATE NOWAIT, so a swap, a rival runner
// or a flush holding it makes the statement fail at once (SQLSTATE 55P03) and the caller's transaction wait
// for the row without any table lock. Warning: a statement that waited here would make the swap's LOCK TABLE
// time out for as long as lone events keep coming. That held runs before the checkpoint's UPDATE tries the
// row (it is a condition of that UPDATE) and the handler's part after the main query (nothing reads it) is
// how PostgreSQL executes WITH today, not a documented promise; if it changed, the NOWAIT still keeps the
// statement from waiting on the checkpoint row, and a wait on a read-model row would at worst deadlock with
// a rival's transaction, which PostgreSQL breaks and the caller retries.
//
// Every sub-statement sees the rows as they were when the statement started. A rival that committed between
// that moment and the lock could have written rows the handler's part does not see, so the checkpoint moves
// only while its row is still the version the statement's snapshot holds (same xmin): the rows and
// checkpoint a rival commits go together, and a changed row makes the statement fail and the caller use the
// transaction. Warning: removing the xmin condition loses updates when two processes run one projection.
func aloneQuery(query string, n int) string {
	projection := "$" + strconv.Itoa(n+1)
	return `WITH held AS (
	SELECT 1 FROM projection_checkpoints WHERE projection = ` + projection + ` FOR UPDATE NOWAIT
), checkpoint AS (
	` + moveCheckpointAfter(n) + `
		AND EXISTS (SELECT 1 FROM held)
		AND xmin = (SELECT xmin FROM projection_checkpoints WHERE projection = ` + projection + `)` + asyncCommit + `
	RETURNING 1
), applied AS (
` + query + `
)
SELECT 1 / count(*) FROM checkpoint`
}
