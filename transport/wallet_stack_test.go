package transport

import (
	"context"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/projections"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// walletStack is customerStack with the payment endpoints: the sandbox gateway in the stack's database,
// the wallet commands and the confirmation entry point, and the payment methods projection running.
func walletStack(t *testing.T) (Dependencies, *customerWorld, *sandbox.Gateway) {
	t.Helper()
	deps, world := customerStack(t)
	registry, err := aggregates.Merge(customer.Events, wallet.Events)
	if err != nil {
		t.Fatal(err)
	}
	runner := runProjections(t, projections.Config{Store: world.store, DB: world.db, Registry: registry},
		walletprojection.Projection())
	gateway := sandbox.New(world.db.DB)
	gateways := commands.Gateways{commands.DefaultGateway: gateway}
	intents := commands.Intents{Store: world.store, Gateways: gateways}
	wallets := commands.Wallets{Store: world.store, Gateways: gateways, Intents: intents,
		MethodIDs: commands.NewIDAllocator(world.store, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{})}
	intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.SetupIntent: wallets.ConfirmSetup}
	wallets.Intents = intents
	wait := func(ctx context.Context, w commands.Written) error {
		return runner.WaitFor(ctx, w.LogPosition(), walletprojection.Name)
	}
	deps.WalletCommands, deps.Intents = wallets, intents
	deps.PaymentMethods = queries.PaymentMethods{DB: world.db}
	deps.WaitForWallet, deps.WaitForConfirmation = wait, wait
	world.router = newTestRouter(t, deps)
	return deps, world, gateway
}
