package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

// invoiceActor is who invoices opened from the CLI are recorded as (aggregates.Metadata.Actor).
const invoiceActor = "operator:cli"

// invoiceCommands are the invoice commands paying through gateways, their 3-D Secure intents registered
// with intents.
func invoiceCommands(deps *dependencies, gateways commands.Gateways, intents commands.Intents) commands.Invoices {
	return commands.Invoices{Store: deps.EventStore, Gateways: gateways, Intents: intents,
		IDs: commands.NewIDAllocator(deps.EventStore, commands.IDKindInvoice, commands.IDAllocatorConfig{})}
}

// openedInvoice is what `pelcro invoices create --json` prints.
type openedInvoice struct {
	ID         int64          `json:"id"`
	CustomerID int64          `json:"customer_id"`
	Status     invoice.Status `json:"status"`
	Total      int64          `json:"total"`
	Currency   string         `json:"currency"`
}

func newInvoicesCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "invoices", Short: "Operate on invoices"}
	in := invoice.Create{Lines: make([]invoice.Line, 1)}
	var asJSON bool
	create := &cobra.Command{
		Use:   "create --customer ID --amount N --currency CODE [--description TEXT]",
		Short: "Open an invoice for a customer, to be paid with POST /invoices/{id}/pay",
		Long: `Open a manual invoice of one line for the customer: N is in the currency's minor units (cents), the
currency a lowercase ISO 4217 code. An invoice of 0 is paid at once. Prints the new invoice's id (with
--json, the invoice as JSON). The customer sees it in the invoices of their Customer resource.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opened, err := openInvoice(cmd.Context(), *cfg, in)
			if err != nil {
				return err
			}
			return printInvoice(cmd.OutOrStdout(), opened, asJSON)
		},
	}
	flags := create.Flags()
	rangeVar(flags, &in.CustomerID, "customer", 0, positiveID("a customer"), "id of the customer who owes the invoice")
	flags.Int64Var(&in.Lines[0].UnitAmount, "amount", 0, "amount in minor units (cents)")
	flags.StringVar(&in.Currency, "currency", "", "lowercase ISO 4217 currency, e.g. usd")
	flags.StringVar(&in.Lines[0].Description, "description", "", "what the invoice is for")
	flags.BoolVar(&asJSON, "json", false, "print the invoice as JSON")
	for _, name := range []string{"customer", "amount", "currency"} {
		_ = create.MarkFlagRequired(name)
	}
	root.AddCommand(create)
	return root
}

// openInvoice opens the invoice of one line (in.Lines[0]) for its customer, described by that line too.
func openInvoice(ctx context.Context, cfg config.Config, in invoice.Create) (openedInvoice, error) {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return openedInvoice{}, err
	}
	defer deps.Close()
	in.Lines[0].Quantity, in.Description = 1, in.Lines[0].Description
	invoices := invoiceCommands(deps, nil, commands.Intents{})
	created, err := invoices.Create(ctx, commands.Envelope{CommandID: uuid.NewString(), Actor: invoiceActor},
		commands.NewInvoice{Invoice: in})
	var problems aggregates.FieldProblems
	switch {
	case errors.Is(err, customer.ErrNotRegistered):
		return openedInvoice{}, fmt.Errorf("customer %d does not exist", in.CustomerID)
	case errors.As(err, &problems):
		return openedInvoice{}, fmt.Errorf("invoice refused: %s", flagProblems(problems))
	case err != nil:
		return openedInvoice{}, err
	}
	state, err := invoices.Read(ctx, created.InvoiceID)
	if err != nil {
		return openedInvoice{}, err
	}
	return openedInvoice{ID: state.ID, CustomerID: state.CustomerID, Status: state.Status, Total: state.Total,
		Currency: state.Currency}, nil
}

func printInvoice(out io.Writer, opened openedInvoice, asJSON bool) error {
	if !asJSON {
		_, err := fmt.Fprintln(out, opened.ID)
		return err
	}
	return json.NewEncoder(out).Encode(opened)
}

// flagProblems words what the invoice's rules refused in terms of the command's flags (the aggregate names
// its own fields, e.g. lines[0].unit_amount, and the rule, which mean little to an operator).
// The description fills two fields (the invoice's and its line's), so each sentence is said once.
func flagProblems(problems aggregates.FieldProblems) string {
	var parts []string
	for _, p := range problems {
		var part string
		switch p.Rule {
		case invoice.RuleAmount:
			part = fmt.Sprintf("--amount: want minor units (cents) from 0 to %d", p.Max)
		case invoice.RuleCurrency:
			part = "--currency: want a lowercase ISO 4217 code, e.g. usd"
		case invoice.RuleMaxLength:
			part = fmt.Sprintf("--description: at most %d characters", p.Max)
		case invoice.RulePrintable:
			part = "--description: printable text only (" + p.Detail + ")"
		default:
			part = p.Field + ": " + string(p.Rule)
		}
		if !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, "; ")
}
