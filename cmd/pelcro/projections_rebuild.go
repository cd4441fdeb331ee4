package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/gcpace"
	"github.com/pelcro-oss/pelcro-api/projections"
)

func newProjectionsRebuildCommand(cfg *config.Config) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "rebuild NAME...|--all",
		Short: "Recompute read models from the whole log and swap them in, while the API keeps serving",
		Long: `Recompute the named projections' read models (or every one with --all) from the whole event log.

Each rebuild writes into fresh copies of the projection's tables, in batched transactions over the same
apply functions "pelcro serve" uses, while the live tables keep serving and updating. Once it has caught
up it swaps the fresh tables in atomically: readers see the old read model or the new one, never a mix.
Progress shows as a bar on a terminal and as plain lines otherwise. It can run while "pelcro serve" runs;
an interrupted rebuild leaves the live tables untouched and can simply be started again.`,
		RunE: func(cmd *cobra.Command, names []string) error {
			selected, skipped, err := selectProjections(names, all)
			if err != nil {
				return err
			}
			for _, p := range skipped {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: skipped, never rebuilt: %s\n", p.Name, p.NoRebuild)
			}
			gcpace.Apply(gcpace.RebuildPercent)
			return rebuildProjections(cmd.Context(), *cfg, cmd.OutOrStdout(), selected)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "rebuild every projection that can be rebuilt (the mail outbox never is; the output says so)")
	return cmd
}

// rebuildProjections rebuilds each projection in turn, stopping at the first failure.
func rebuildProjections(ctx context.Context, cfg config.Config, out io.Writer, selected []projections.Projection) error {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer deps.Close()
	projectionsCfg := projectionsConfig(deps)
	// Counted once: events appended meanwhile only stretch the progress bar.
	total, err := countEventsAfter(ctx, deps.EventStore, eventstore.AllStart(), maxCountedEvents)
	if err != nil {
		return err
	}
	for _, p := range selected {
		if total.n == 0 {
			fmt.Fprintf(out, "%s: the log is empty, nothing to rebuild\n", p.Name)
			continue
		}
		progress := newRebuildProgress(out, p.Name, total)
		reflected, err := projections.Rebuild(ctx, projectionsCfg, p, projections.WithRebuildProgress(progress.update))
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", p.Name, err)
		}
		progress.finish()
		fmt.Fprintf(out, "%s: swapped in, reflects the log up to %s\n", p.Name, reflected)
	}
	return nil
}
