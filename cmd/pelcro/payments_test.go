package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestPaymentsConfirm(t *testing.T) {
	t.Parallel()
	// given an installation with a card saved that waits for 3-D Secure
	cfg := config.Config{DatabaseURL: pgtest.NewDatabase(t)}
	deps, err := setUpDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	wallets, _, _ := paymentCommands(deps, paymentGateways(cfg, deps, slog.New(slog.DiscardHandler)))
	owner := commands.Target{CustomerID: 41, AccountID: 1, SiteID: 1232}
	saved, err := wallets.Save(t.Context(), commands.Envelope{CommandID: "save-3ds"},
		commands.NewPaymentMethod{Target: owner, Token: "tok_threeDSecure2Required"})
	if err != nil || saved.SetupIntent == nil {
		t.Fatalf("save = %+v, %v", saved, err)
	}
	run := func(args ...string) (string, error) {
		root := newRootCommand()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs(append([]string{"--database-url", cfg.DatabaseURL}, args...))
		err := root.ExecuteContext(t.Context())
		return out.String(), err
	}
	// when the operator confirms its intent (twice), then it says so and the card is chargeable
	for range 2 {
		out, err := run("payments", "confirm", saved.SetupIntent.ID)
		if err != nil || out != "setup_intent "+saved.SetupIntent.ID+" confirmed for customer 41\n" {
			t.Fatalf("confirm = %q, %v", out, err)
		}
	}
	var state wallet.State
	if _, err := commands.Handle(t.Context(), deps.EventStore, commands.WalletAggregate, "41", commands.Envelope{CommandID: "look"},
		func(s wallet.State) ([]wallet.Event, error) { state = s; return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if m, _ := state.Method(saved.PaymentMethodID); m.Status != wallet.StatusChargeable {
		t.Fatalf("card after confirm = %+v", m)
	}
	// and an intent nobody is waiting for fails with a one-line reason
	if _, err := run("payments", "confirm", "seti_nobody"); err == nil || !strings.Contains(err.Error(), "no intent") {
		t.Fatalf("unknown intent = %v", err)
	}
}
