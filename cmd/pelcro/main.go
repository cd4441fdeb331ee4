// Command pelcro is the single binary of the Pelcro Open API backend: the API server, migrations and the
// operator tools. It is the only package that wires the others together.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pelcro:", err)
		os.Exit(1)
	}
}

// newRootCommand builds the command tree. Flags override the environment variables of the runtime contract.
func newRootCommand() *cobra.Command {
	cfg, envErr := config.FromEnv()
	root := &cobra.Command{
		Use:   "pelcro",
		Short: "Backend of the Pelcro Open API (event-sourced, CQRS)",
		Long: `Backend of the Pelcro Open API (event-sourced, CQRS).

Only "serve" and "migrate" create the databases and apply migrations. Every other command needs them in
place and otherwise stops with a one-line reason and a non-zero exit.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// A malformed environment stops every sub-command before it does anything; --help still works.
		PersistentPreRunE: func(*cobra.Command, []string) error { return envErr },
	}
	flags := root.PersistentFlags()
	flags.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL,
		"PostgreSQL URL of the read models, created if missing by serve and migrate only ("+config.EnvDatabaseURL+")")
	flags.StringVar(&cfg.EventStoreURL, "eventstore-url", cfg.EventStoreURL,
		"event store URL: esdb://… selects EventStoreDB, postgres://… or empty the PostgreSQL store ("+config.EnvEventStoreURL+")")
	root.AddCommand(newServeCommand(&cfg), newMigrateCommand(&cfg))
	root.AddCommand(newCatalogCommand(&cfg), newProjectionsCommand(&cfg))
	root.AddCommand(newMailCommand(&cfg), newKeysCommand(&cfg))
	root.AddCommand(newCustomersCommand(&cfg), newNewsletterCommand(&cfg))
	root.AddCommand(newPaymentsCommand(&cfg), newInvoicesCommand(&cfg))
	return root
}

func logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
