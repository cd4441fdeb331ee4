package main

import (
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/config"
)

func newMigrateCommand(cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the read-model schema and, when PostgreSQL holds the events, the event store schema",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			deps, err := setUpDependencies(cmd.Context(), *cfg)
			if err != nil {
				return err
			}
			defer deps.Close()
			logger().Info("migrations applied", "eventstore", deps.EventStoreKind)
			return nil
		},
	}
}
