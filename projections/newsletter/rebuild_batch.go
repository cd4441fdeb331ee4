package newsletter

import "github.com/pelcro-oss/pelcro-api/projections"

// newRebuildBatch is applyBatch for one rebuild (projections.Projection.RebuildBatch): its batches share a
// filter of every key they stored a row for, and Load asks PostgreSQL only for the keys the filter may hold.
// A rebuild's fresh tables start empty and nothing but the rebuild writes them, so a key it never stored
// has no row. Most keys of a rebuild's batch are new to the table (an entry's events follow each other in
// the log): probing them all was about 10 ms of a 10,000-event batch, a sixth of a rebuild's PostgreSQL CPU.
//
// Warning: never give such a batch to the running projection, whose tables may hold rows ahead of its
// checkpoint: a row it was not told about would be numbered and inserted again.
func newRebuildBatch(copyAtLeast int) projections.BatchFunc {
	stored := newKeyFilter()
	return projections.FoldBatch(func() projections.Folder {
		b := newBatch(copyAtLeast)
		b.storedBefore = stored
		return b
	})
}
