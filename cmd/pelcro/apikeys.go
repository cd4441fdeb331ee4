package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

// newAPIKeysCommand manages the keys of the admin API and console (docs/operations.md).
func newAPIKeysCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "apikeys", Short: "Manage the API keys of the admin API and console (/admin)"}
	root.AddCommand(newAPIKeysCreateCommand(cfg), newAPIKeysListCommand(cfg), newAPIKeysRevokeCommand(cfg))
	return root
}

func newAPIKeysCreateCommand(cfg *config.Config) *cobra.Command {
	var account int64
	var name string
	cmd := &cobra.Command{
		Use:   "create --account ID [--name NAME]",
		Short: "Create a key reading one account's data, and print it once",
		Long: `Create an API key for the admin API and console and print it on standard output, once: only its
SHA-256 is kept, so a lost key cannot be shown again (revoke it and create another). The key reads the data
of the account given, and of no other. The account must have a site in the catalog.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case !cmd.Flags().Changed("account"):
				return fmt.Errorf("--account is required: the id of the account the key reads (a positive number)")
			case apikeys.CheckName(name) != nil:
				return fmt.Errorf("--name must be at most %d printable characters, without tabs, newlines or control characters", apikeys.MaxNameLength)
			}
			return withAPIKeys(cmd.Context(), *cfg, func(db *sqlx.DB, keys *apikeys.Store) error {
				var known bool
				if err := db.GetContext(cmd.Context(), &known,
					`SELECT EXISTS (SELECT 1 FROM catalog_sites WHERE account_id = $1)`, account); err != nil {
					return err
				}
				if !known {
					return fmt.Errorf("account %d has no site in the catalog; import it first (pelcro catalog import)", account)
				}
				k, key, err := keys.Create(cmd.Context(), account, name)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", key)
				fmt.Fprintf(cmd.ErrOrStderr(), "key %s created for account %d; it is shown only this once\n", k.ID, account)
				return err
			})
		},
	}
	rangeVar(cmd.Flags(), &account, "account", 0, positiveID("an account"), "id of the account whose data the key reads (required)")
	cmd.Flags().StringVar(&name, "name", "", "a note saying who or what the key is for")
	return cmd
}

func newAPIKeysListCommand(cfg *config.Config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every key (never the secret part), revoked ones included",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withAPIKeys(cmd.Context(), *cfg, func(_ *sqlx.DB, keys *apikeys.Store) error {
				list, err := keys.List(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), list)
				}
				return printAPIKeys(cmd.OutOrStdout(), list)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func newAPIKeysRevokeCommand(cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a key (its id as list shows it, or the whole key): it and its console sessions stop at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAPIKeys(cmd.Context(), *cfg, func(_ *sqlx.DB, keys *apikeys.Store) error {
				err := keys.Revoke(cmd.Context(), args[0])
				if errors.Is(err, apikeys.ErrUnknownKey) {
					return fmt.Errorf("no key has the id %q (see pelcro apikeys list)", args[0])
				}
				if err == nil {
					_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s revoked\n", args[0])
				}
				return err
			})
		},
	}
}

// withAPIKeys runs use with the key store of the installation's read-model database.
func withAPIKeys(ctx context.Context, cfg config.Config, use func(*sqlx.DB, *apikeys.Store) error) error {
	db, err := existingSchema.openReadModels(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return use(db, apikeys.NewStore(db, nil))
}

func printAPIKeys(out io.Writer, keys []apikeys.Key) error {
	if len(keys) == 0 {
		_, err := fmt.Fprintln(out, "no keys")
		return err
	}
	table := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(table, "ID\tACCOUNT\tNAME\tCREATED (UTC)\tREVOKED (UTC)")
	for _, k := range keys {
		revoked := "-"
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.UTC().Format(time.DateTime)
		}
		fmt.Fprintf(table, "%s\t%d\t%s\t%s\t%s\n", k.ID, k.AccountID, apikeys.DisplayName(k.Name), k.CreatedAt.UTC().Format(time.DateTime), revoked)
	}
	return table.Flush()
}
