package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

func TestInvoicesCreateOpensAnInvoiceForACustomer(t *testing.T) {
	t.Parallel()
	// given an installation with one customer
	cfg, deps, annID := withCustomer(t)
	customer := strconv.FormatInt(annID, 10)
	pelcro := func(args ...string) (string, error) {
		out, _, err := runPelcro(t, append([]string{"--database-url", cfg.DatabaseURL, "--eventstore-url", "", "invoices", "create"}, args...)...)
		return out, err
	}
	invoices := invoiceCommands(deps, nil, commands.Intents{})

	// when an operator opens an invoice, then it prints the id of an open invoice of that amount
	out, err := pelcro("--customer", customer, "--amount", "1250", "--currency", "usd", "--description", "May issue")
	id, parseErr := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil || parseErr != nil {
		t.Fatalf("invoices create = %q, %v", out, err)
	}
	if s, err := invoices.Read(t.Context(), id); err != nil || s.Status != invoice.StatusOpen || s.Total != 1250 ||
		s.Currency != "usd" || s.CustomerID != annID || s.AccountID != 1 {
		t.Fatalf("invoice %d = %+v, %v; want open, 1250 usd, for customer %d", id, s, err, annID)
	}
	// when an invoice of zero is opened with --json, then it prints the invoice, paid already
	out, err = pelcro("--customer", customer, "--amount", "0", "--currency", "eur", "--json")
	var opened openedInvoice
	if err != nil || json.Unmarshal([]byte(out), &opened) != nil || opened.Status != invoice.StatusPaid || opened.Currency != "eur" {
		t.Fatalf("invoices create --json = %q, %v; want a paid invoice", out, err)
	}
	// when the input is wrong, then it says why in one line and exits non-zero
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--customer", "999999", "--amount", "1", "--currency", "usd"}, "customer 999999 does not exist"},
		{[]string{"--customer", customer, "--amount", "1", "--currency", "USD"},
			"invoice refused: --currency: want a lowercase ISO 4217 code, e.g. usd"},
		{[]string{"--customer", customer, "--amount", "-5", "--currency", "usd"},
			"invoice refused: --amount: want minor units (cents) from 0 to 99999999"},
		{[]string{"--customer", customer, "--amount", "1", "--currency", "usd", "--description", "a\x00b"},
			"invoice refused: --description: printable text only (U+0000 at character 2)"},
		{[]string{"--customer", customer, "--amount", "1"}, "currency"},
		{[]string{"--customer", "0", "--amount", "1", "--currency", "usd"}, "--customer"},
	} {
		if _, err := pelcro(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) ||
			strings.Count(err.Error(), "--description") > 1 {
			t.Errorf("invoices create %v = %v, want an error about %q, said once", tc.args, err, tc.want)
		}
	}
}

// withCustomer is an installation (its config and dependencies) with one customer, ann@example.com in
// account 1 on site 1232, whose id it returns.
func withCustomer(t *testing.T) (config.Config, *dependencies, int64) {
	t.Helper()
	cfg := config.Config{DatabaseURL: migratedDatabase(t)}
	deps, err := openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = deps.Close() })
	hasher, err := auth.NewHasher(auth.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 1)
	if err != nil {
		t.Fatal(err)
	}
	customers := commands.Customers{Store: deps.EventStore, Passwords: hasher,
		CustomerIDs:  commands.NewIDAllocator(deps.EventStore, commands.IDKindCustomer, commands.IDAllocatorConfig{}),
		Reservations: commands.Reservations{Store: deps.EventStore, Names: deps.Names}}
	ann, err := customers.Register(t.Context(), commands.Envelope{CommandID: uuid.NewString()}, commands.Registration{
		AccountID: 1, SiteID: 1232, Email: "ann@example.com", Password: "Secret-123!"})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, deps, ann.CustomerID
}
