package projections

import "github.com/pelcro-oss/pelcro-api/eventstore"

// RebuildOption tunes one Rebuild call.
type RebuildOption func(*rebuildOptions)

type rebuildOptions struct {
	onProgress func(applied int, at eventstore.Position)
}

// WithRebuildProgress has Rebuild call onProgress after each committed batch with the number of events read
// from the log so far (applied to the fresh tables or skipped as not handled) and the position of the last,
// so operators can see a progress bar. It runs on Rebuild's goroutine: a slow onProgress slows the rebuild.
func WithRebuildProgress(onProgress func(applied int, at eventstore.Position)) RebuildOption {
	return func(o *rebuildOptions) { o.onProgress = onProgress }
}
