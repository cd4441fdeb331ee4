package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

func newCatalogCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{
		Use:   "catalog",
		Short: "Manage the catalog: accounts, sites, products and plans, coupons, e-commerce products, tax rates",
	}
	root.AddCommand(newCatalogImportCommand(cfg))
	return root
}

func newCatalogImportCommand(cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Import a catalog file (YAML or JSON, see docs/catalog-file.md)",
		Long: `Import a catalog file (YAML or JSON). The format is described in docs/catalog-file.md and
examples/catalog.yaml is an example, both in the repository.

The whole file is checked first: every unknown field, wrong type, broken rule and broken reference is
reported with its line and column, and nothing is imported when there is any. Importing is idempotent:
the same file again changes nothing, a changed field writes one change event for that entity only, and
entities the file leaves out are left alone ("active: false" retires a plan). An interrupted import is
completed by running it again.

It talks only to the event store, opened exactly as "pelcro serve" opens it, so it can run while the API
serves: the API shows the changes as soon as its projections apply them. It creates no database: on a fresh
installation run "pelcro migrate" (or "pelcro serve") first, so a mistyped URL fails instead of importing
into a new, empty database nothing serves.

A file nested more than 64 levels deep, with a mapping of more than 1,000 keys, or using YAML anchors,
aliases or tags is refused before it is parsed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return importCatalogFile(cmd, *cfg, args[0])
		},
	}
}

func importCatalogFile(cmd *cobra.Command, cfg config.Config, path string) error {
	c, err := catalogfile.ParseFile(path)
	var mistakes catalogfile.Errors
	if errors.As(err, &mistakes) {
		fmt.Fprintln(cmd.ErrOrStderr(), mistakes.Error())
		return fmt.Errorf("%s: %d error(s), nothing imported", path, len(mistakes))
	}
	if err != nil {
		return err
	}
	deps, err := openDependencies(cmd.Context(), cfg)
	if err != nil {
		return err
	}
	defer deps.Close()
	summary, err := commands.ImportCatalog(cmd.Context(), deps.EventStore, c, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return printImportSummary(cmd.OutOrStdout(), summary)
}

// summaryOrder lists the kinds in the order the catalog file does.
var summaryOrder = []catalog.Kind{catalog.KindAccount, catalog.KindSite, catalog.KindProduct, catalog.KindPlan,
	catalog.KindCoupon, catalog.KindEcommerceProduct, catalog.KindSKU, catalog.KindTaxRate, catalog.KindSegment}

func printImportSummary(out io.Writer, summary commands.ImportSummary) error {
	table := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(table, "entity\tcreated\tchanged\tunchanged\t")
	var total commands.KindCounts
	for _, kind := range summaryOrder {
		counts, listed := summary[kind]
		if !listed {
			continue
		}
		fmt.Fprintf(table, "%s\t%d\t%d\t%d\t\n", kind, counts.Created, counts.Changed, counts.Unchanged)
		total.Created, total.Changed, total.Unchanged =
			total.Created+counts.Created, total.Changed+counts.Changed, total.Unchanged+counts.Unchanged
	}
	fmt.Fprintf(table, "total\t%d\t%d\t%d\t\n", total.Created, total.Changed, total.Unchanged)
	return table.Flush()
}
