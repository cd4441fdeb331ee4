package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// walletRefusals are the answers a wallet command may give instead of writing.
var walletRefusals = []error{wallet.ErrNotFound, wallet.ErrTooMany, wallet.ErrDefaultNotDeletable, wallet.ErrInUse,
	wallet.ErrUnknownSetupIntent, wallet.ErrGatewayAnswer, wallet.ErrExpiryMalformed, wallet.ErrExpiryPast,
	commands.ErrUnknownGateway, commands.ErrIntentNotSucceeded, intent.ErrTaken}

// drawnGateway is a gateway whose every answer is drawn: cards with texts chosen to hurt and expiries on
// both sides of every limit, 3-D Secure intents now and then, confirmations succeeded or not. What the
// wallet accepts from a gateway must project whatever the gateway said.
type drawnGateway struct {
	t *rapid.T
	payments.Gateway
}

func (g drawnGateway) Name() string { return commands.DefaultGateway }

func (g drawnGateway) AttachCard(_ context.Context, req payments.AttachCardRequest) (payments.AttachedCard, error) {
	t := g.t
	number := func(label string) int { return int(rapid.SampledFrom(boundaryInts).Draw(t, label)) }
	card := payments.AttachedCard{CustomerGatewayID: rapid.SampledFrom([]string{req.Customer.GatewayID, "cus_1"}).Draw(t, "gateway customer"),
		Card: payments.Card{GatewayID: rapid.OneOf(rapid.Just("pm_"+req.IdempotencyKey), text()).Draw(t, "card id"),
			Brand: text().Draw(t, "brand"), Last4: text().Draw(t, "last4"), Country: text().Draw(t, "country"),
			Funding: text().Draw(t, "funding"), Fingerprint: text().Draw(t, "fingerprint"),
			ExpMonth: rapid.OneOf(rapid.IntRange(1, 12), rapid.Just(number("month"))).Draw(t, "exp month"),
			ExpYear:  rapid.OneOf(rapid.IntRange(2026, 2040), rapid.Just(number("year"))).Draw(t, "exp year")}}
	switch rapid.IntRange(0, 5).Draw(t, "outcome") {
	case 0:
		return payments.AttachedCard{}, &payments.Declined{Reason: payments.CardDeclined}
	case 1:
		card.Intent = &payments.Intent{ID: "seti_" + fmt.Sprint(rapid.Uint32().Draw(t, "intent")), Kind: payments.SetupIntent,
			Status: payments.IntentRequiresAction, ClientSecret: "secret"}
	}
	return card, nil
}

func (g drawnGateway) Intent(_ context.Context, id string) (payments.Intent, error) {
	status := rapid.SampledFrom([]payments.IntentStatus{payments.IntentSucceeded, payments.IntentRequiresAction}).Draw(g.t, "intent status")
	return payments.Intent{ID: id, Kind: payments.SetupIntent, Status: status}, nil
}

// runWallets has customers save cards from a drawn gateway, change, delete and confirm them.
func (w *propertyWorld) runWallets() {
	t, store := w.t, w.deps.EventStore
	gateways := commands.Gateways{commands.DefaultGateway: drawnGateway{t: t}}
	clock := func() time.Time { return w.now }
	intents := commands.Intents{Store: store, Gateways: gateways, Now: clock}
	wallets := commands.Wallets{Store: store, Gateways: gateways, Intents: intents, Now: clock,
		MethodIDs: commands.NewIDAllocator(store, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{BlockSize: 10,
			First: rapid.SampledFrom([]int64{1, 1 << 31, 1 << 62}).Draw(t, "first card id")})}
	intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.SetupIntent: wallets.ConfirmSetup}
	wallets.Intents = intents
	customer := rapid.SampledFrom([]int64{1, 1 << 31, 1<<63 - 1}).Draw(t, "customer")
	owner := commands.Target{CustomerID: customer, AccountID: rapid.Int64Range(1, 3).Draw(t, "account")}
	var saved []commands.WalletResult
	for i := range rapid.IntRange(1, 15).Draw(t, "wallet steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("wallet-", i)}
		card := func() int64 {
			if len(saved) == 0 {
				return rapid.Int64().Draw(t, "card")
			}
			return rapid.SampledFrom(saved).Draw(t, "card").PaymentMethodID
		}
		var err error
		switch rapid.IntRange(0, 3).Draw(t, "wallet action") {
		case 0:
			var result commands.WalletResult
			result, err = wallets.Save(t.Context(), env, commands.NewPaymentMethod{Target: owner,
				Token: text().Draw(t, "token"), MakeDefault: rapid.Bool().Draw(t, "default")})
			if err == nil {
				saved = append(saved, result)
			}
			if _, declined := errors.AsType[*payments.Declined](err); declined {
				err = nil
			}
		case 1:
			month, year := int(rapid.SampledFrom(boundaryInts).Draw(t, "month")), int(rapid.SampledFrom(boundaryInts).Draw(t, "year"))
			if rapid.Bool().Draw(t, "plausible expiry") {
				month, year = rapid.IntRange(1, 12).Draw(t, "month"), rapid.IntRange(2020, 2040).Draw(t, "year")
			}
			_, err = wallets.Update(t.Context(), env, commands.PaymentMethodChange{Target: owner, Change: wallet.Change{
				PaymentMethodID: card(), MakeDefault: rapid.Bool().Draw(t, "make default"), Expiry: &wallet.Expiry{Month: month, Year: year}}})
		case 2:
			_, err = wallets.Delete(t.Context(), env, owner, card())
		case 3:
			if len(saved) > 0 {
				if s := rapid.SampledFrom(saved).Draw(t, "confirmed card"); s.SetupIntent != nil {
					_, err = intents.Confirm(t.Context(), env, s.SetupIntent.ID)
				}
			}
		}
		w.refused("wallet command", err, walletRefusals...)
		w.now = w.now.Add(time.Duration(rapid.IntRange(0, 90).Draw(t, "minutes later")) * time.Minute)
	}
}
