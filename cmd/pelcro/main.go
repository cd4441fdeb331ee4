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
	routeGRPCLogs()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pelcro:", err)
		os.Exit(1)
	}
}

// newRootCommand builds the command tree. Flags override the environment variables of the runtime contract
// (config.BindFlags: every setting but the secrets has one).
func newRootCommand() *cobra.Command {
	cfg, envErr := config.FromEnv()
	root := &cobra.Command{
		Use:   "pelcro",
		Short: "Backend of the Pelcro Open API (event-sourced, CQRS)",
		Long: `Backend of the Pelcro Open API (event-sourced, CQRS).

Only "serve" and "migrate" create the databases and apply migrations. Every other command needs them in
place and otherwise stops with a one-line reason and a non-zero exit.

Every setting comes from its PELCRO_* environment variable, and a flag below, when given, overrides it. The
secrets have no flag, since a command line is visible to every user of the machine: PELCRO_AUTH_SECRET,
PELCRO_MASTER_KEY, PELCRO_MASTER_KEY_PREVIOUS, PELCRO_STRIPE_SECRET_KEY, PELCRO_STRIPE_WEBHOOK_SECRET and
PELCRO_SMTP_URL (its URL holds the SMTP password) are read from the environment only. Logs are JSON lines on standard error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// A malformed environment stops every sub-command before it does anything; --help still works.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if envErr != nil {
				return envErr
			}
			slog.SetDefault(newLogger(os.Stderr, cfg.LogLevel))
			return nil
		},
	}
	cfg.BindFlags(root.PersistentFlags())
	root.AddCommand(newServeCommand(&cfg), newMigrateCommand(&cfg))
	root.AddCommand(newCatalogCommand(&cfg), newProjectionsCommand(&cfg))
	root.AddCommand(newMailCommand(&cfg), newKeysCommand(&cfg))
	root.AddCommand(newCustomersCommand(&cfg), newNewsletterCommand(&cfg))
	root.AddCommand(newOpenAPICommand())
	root.AddCommand(newPaymentsCommand(&cfg), newInvoicesCommand(&cfg))
	root.AddCommand(newEventsCommand(&cfg), newAuditCommand(&cfg), newReplayCommand(&cfg))
	root.AddCommand(newAPIKeysCommand(&cfg))
	root.AddCommand(newBillingCommand(&cfg))
	root.SetFlagErrorFunc(flagError)
	refuseUnknownSubcommands(root)
	return root
}
