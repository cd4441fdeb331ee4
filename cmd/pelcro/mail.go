package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
)

func newMailCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{
		Use:   "mail",
		Short: "Inspect the mail outbox (and the development mailbox when " + config.EnvSMTPURL + " is unset)",
	}
	root.AddCommand(newMailListCommand(cfg))
	return root
}

func newMailListCommand(cfg *config.Config) *cobra.Command {
	var opts mail.ListOptions
	var status string
	var withBody bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the messages of the outbox, newest first",
		Long: `List the messages the API produced (passwordless login, password reset and email verification
links), newest first: when each was created, its status, how many delivery attempts it took, its recipient
and subject; --body adds the text, links included.

Statuses: "pending" waits for its next delivery attempt (a failed attempt is retried with a growing delay,
at most an hour, and never dropped); "sent" was accepted by the SMTP server of ` + config.EnvSMTPURL + `;
"mailbox" was kept here because ` + config.EnvSMTPURL + ` is unset: this list is then the development
mailbox; "expired" was not delivered before its link stopped working, and is kept unsent. It reads the read-model database only, so it can run while "pelcro serve" runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Status = mail.Status(status)
			if status != "" && !slices.Contains(mail.Statuses, opts.Status) {
				return fmt.Errorf("--status %q: want one of %v", status, mail.Statuses)
			}
			db, err := existingSchema.openReadModels(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer db.Close()
			messages, err := mail.List(cmd.Context(), db, opts)
			if err != nil {
				return err
			}
			return printMessages(cmd.OutOrStdout(), messages, withBody)
		},
	}
	rangeVar(cmd.Flags(), &opts.Limit, "limit", 20, limitTakes, "show at most this many messages, 1 to 500")
	cmd.Flags().StringVar(&status, "status", "", "show only messages with this status: pending, sent, mailbox or expired")
	cmd.Flags().BoolVar(&withBody, "body", false, "print each message's text under its line")
	return cmd
}

// printMessages prints one line per message; with bodies, each line is followed by the indented text, and
// the latest delivery error of a message that had one.
func printMessages(out io.Writer, messages []mail.Stored, withBody bool) error {
	if len(messages) == 0 {
		_, err := fmt.Fprintln(out, "no messages")
		return err
	}
	if withBody {
		for _, m := range messages {
			fmt.Fprintf(out, "%s  %s  %d  %s  %s\n", m.CreatedAt.UTC().Format(time.DateTime), m.Status, m.Attempts,
				m.Recipient, m.Subject)
			if m.LastError != "" {
				fmt.Fprintf(out, "    last error: %s\n", m.LastError)
			}
			fmt.Fprintln(out)
			for line := range strings.Lines(m.Body) {
				if line = strings.TrimRight(line, "\n"); line != "" {
					line = "    " + line
				}
				fmt.Fprintln(out, line)
			}
			fmt.Fprintln(out)
		}
		return nil
	}
	table := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(table, "created (UTC)\tstatus\tattempts\trecipient\tsubject")
	for _, m := range messages {
		fmt.Fprintf(table, "%s\t%s\t%d\t%s\t%s\n", m.CreatedAt.UTC().Format(time.DateTime), m.Status, m.Attempts,
			m.Recipient, m.Subject)
	}
	return table.Flush()
}
