package commands

import (
	"context"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// WalletAggregate stores one stream per customer's wallet, "wallet-<customer id>". Warning: the prefix is
// part of stored stream names; changing it empties every wallet.
var WalletAggregate = Aggregate[wallet.State, wallet.Event]{
	Registry: wallet.Events, Evolve: wallet.Evolve, StreamPrefix: "wallet-"}

// IDKindPaymentMethod numbers payment methods. Warning: it names the counter stream (see IDStreamPrefix).
const IDKindPaymentMethod = "payment_method"

// Wallets runs the payment method commands (spec 2.6). Every field is required but Now.
type Wallets struct {
	Store     eventstore.Store
	Gateways  Gateways
	MethodIDs *IDAllocator
	Intents   Intents
	// Now is the business clock stamped on events and checking expiries; nil means time.Now.
	Now func() time.Time
}

// walletLocks serialises one wallet's commands within the process (see keyedLocks): a burst of saves for
// one customer then reaches the gateway one by one, each seeing the gateway customer the previous created.
var walletLocks keyedLocks

// WalletResult is where a wallet command left the wallet: the card it acted on and, when the card needs
// 3-D Secure, the setup intent the front end completes.
type WalletResult struct {
	CustomerID      int64
	PaymentMethodID int64
	SetupIntent     *payments.Intent
	Result
}

// NewPaymentMethod is POST /payment_methods (#38) or POST /source (#43, always MakeDefault).
type NewPaymentMethod struct {
	Target
	Token       string
	Gateway     string
	MakeDefault bool
}

// Save saves the card a gateway token stands for. The gateway is called first, with an idempotency key
// derived from the command id, then the card is appended: a crash in between leaves nothing saved on our
// side, and the same command again (same Idempotency-Key) gets the same card from the gateway and saves it
// once. A card needing 3-D Secure is saved pending, its setup intent registered with Intents first. Refusals:
// *payments.Declined, wallet.ErrTooMany, ErrUnknownGateway.
//
// Warning: the gateway key's derivation is a stored contract with the gateway (see internal/payments):
// changing it makes a retry across the change save a second card.
func (w Wallets) Save(ctx context.Context, env Envelope, in NewPaymentMethod) (WalletResult, error) {
	gateway, err := w.Gateways.Get(in.Gateway)
	if err != nil {
		return WalletResult{}, err
	}
	if err := checkToken(in.Token); err != nil {
		return WalletResult{}, err
	}
	stream := walletStream(in.CustomerID)
	defer walletLocks.lock(stream)()
	h, err := load(ctx, w.Store, WalletAggregate, stream, env.CommandID)
	if err != nil {
		return WalletResult{}, err
	}
	if h.landed != nil {
		return w.landedSave(ctx, gateway, stream, in.CustomerID, *h.landed)
	}
	if err := w.room(h.state, in.AccountID); err != nil {
		return WalletResult{}, err
	}
	attached, err := gateway.AttachCard(ctx, payments.AttachCardRequest{
		Customer:       payments.Customer{ID: in.CustomerID, GatewayID: h.state.GatewayCustomerID(gateway.Name())},
		Token:          in.Token,
		IdempotencyKey: "wallet-save:" + env.CommandID,
	})
	if err != nil {
		return WalletResult{}, err
	}
	card := wallet.NewPaymentMethod{CustomerID: in.CustomerID, AccountID: in.AccountID, Gateway: gateway.Name(),
		GatewayCustomerID: attached.CustomerGatewayID, ObjectID: attached.Card.GatewayID, Card: walletCard(attached.Card),
		MakeDefault: in.MakeDefault}
	if attached.Intent != nil {
		card.SetupIntentID = attached.Intent.ID
		err := w.Intents.Register(ctx, env.derived("intent"), intent.Registered{IntentID: attached.Intent.ID,
			Kind: string(payments.SetupIntent), Gateway: gateway.Name(), Owner: stream, CustomerID: in.CustomerID,
			AccountID: in.AccountID})
		if err != nil {
			return WalletResult{}, err
		}
	}
	if card.PaymentMethodID, err = w.MethodIDs.Next(ctx); err != nil {
		return WalletResult{}, err
	}
	at := now(w.Now)
	savedID := card.PaymentMethodID
	result, err := handleLoaded(ctx, w.Store, WalletAggregate, strconv.FormatInt(in.CustomerID, 10), env, &h,
		func(s wallet.State) ([]wallet.Event, error) {
			events, err := wallet.Save(s, card, at)
			if err == nil && len(events) == 0 {
				// The wallet has this gateway card already (the gateway answered a key it had seen),
				// under the id it was first given.
				existing, _ := s.ByObjectID(card.Gateway, card.ObjectID)
				savedID = existing.ID
			}
			return events, err
		})
	if err != nil {
		return WalletResult{}, err
	}
	return WalletResult{CustomerID: in.CustomerID, PaymentMethodID: savedID, SetupIntent: attached.Intent,
		Result: result}, nil
}

// landedSave answers a save whose card the wallet holds already (a retry after the answer was lost): the
// card it appended, the last one saved as of its revision, and its setup intent as the gateway has it now.
// The gateway is not asked to save again: the wallet changed since, and so would the request.
func (w Wallets) landedSave(ctx context.Context, gateway payments.Gateway, stream string, customerID int64,
	landed Result) (WalletResult, error) {
	s, err := stateAt(ctx, w.Store, WalletAggregate, stream, landed.Revision)
	if err != nil || len(s.Methods) == 0 {
		return WalletResult{}, err
	}
	m := s.Methods[len(s.Methods)-1]
	saved := WalletResult{CustomerID: customerID, PaymentMethodID: m.ID, Result: landed}
	if m.SetupIntentID != "" {
		if saved.SetupIntent, err = setupIntentOf(ctx, gateway, m); err != nil {
			return WalletResult{}, err
		}
	}
	return saved, nil
}

// room refuses a save the wallet has no room for before the gateway is called (the decision checks again).
func (w Wallets) room(s wallet.State, accountID int64) error {
	if s.Exists() && s.AccountID != accountID {
		return wallet.ErrNotFound
	}
	if s.Live() >= wallet.MaxPaymentMethods {
		return wallet.ErrTooMany
	}
	return nil
}

// PaymentMethodChange is PUT /payment_methods/{id} (#41) or PUT /source/{id} (#44). Gateway, when given with
// a new expiry (#41's payment_gateway), must be one this installation serves.
type PaymentMethodChange struct {
	Target
	wallet.Change
	Gateway string
}

// Update makes a card the default and/or gives it a new expiry: wallet.ErrNotFound for a card the customer
// does not have, wallet.ErrExpiryPast or wallet.ErrExpiryMalformed for a bad expiry, ErrUnknownGateway. A
// card still waiting for 3-D Secure comes back with its setup intent (withPendingSetup).
func (w Wallets) Update(ctx context.Context, env Envelope, in PaymentMethodChange) (WalletResult, error) {
	if in.Gateway != "" {
		if _, err := w.Gateways.Get(in.Gateway); err != nil {
			return WalletResult{}, err
		}
	}
	update := func(s wallet.State, at time.Time) ([]wallet.Event, error) { return wallet.Update(s, in.Change, at) }
	result, after, err := w.handleState(ctx, env, in.Target, in.PaymentMethodID, update)
	if err != nil {
		return result, err
	}
	return w.withPendingSetup(ctx, result, after)
}

// Delete removes a card softly: wallet.ErrDefaultNotDeletable, wallet.ErrInUse or wallet.ErrNotFound otherwise.
func (w Wallets) Delete(ctx context.Context, env Envelope, t Target, id int64) (WalletResult, error) {
	return w.handle(ctx, env, t, id, func(s wallet.State, at time.Time) ([]wallet.Event, error) {
		return wallet.Delete(s, id, at)
	})
}

// ConfirmSetup is the IntentOwner of setup intents: the card waiting for the intent becomes chargeable.
func (w Wallets) ConfirmSetup(ctx context.Context, env Envelope, r intent.Registered) (Result, error) {
	result, err := w.handle(ctx, env, Target{CustomerID: r.CustomerID, AccountID: r.AccountID}, 0,
		func(s wallet.State, at time.Time) ([]wallet.Event, error) { return wallet.Confirm(s, r.IntentID, at) })
	return result.Result, err
}

// handle runs decide on the customer's wallet; a wallet of another account is wallet.ErrNotFound.
func (w Wallets) handle(ctx context.Context, env Envelope, t Target, methodID int64,
	decide func(wallet.State, time.Time) ([]wallet.Event, error)) (WalletResult, error) {
	result, _, err := w.handleState(ctx, env, t, methodID, decide)
	return result, err
}

// handleState is handle that also returns the wallet as the command left it.
func (w Wallets) handleState(ctx context.Context, env Envelope, t Target, methodID int64,
	decide func(wallet.State, time.Time) ([]wallet.Event, error)) (WalletResult, wallet.State, error) {
	at := now(w.Now)
	stream := walletStream(t.CustomerID)
	defer walletLocks.lock(stream)()
	done, err := handleState(ctx, w.Store, WalletAggregate, strconv.FormatInt(t.CustomerID, 10), env, nil,
		func(s wallet.State) ([]wallet.Event, error) {
			if s.Exists() && s.AccountID != t.AccountID {
				return nil, wallet.ErrNotFound
			}
			return decide(s, at)
		})
	return WalletResult{CustomerID: t.CustomerID, PaymentMethodID: methodID, Result: done.Result}, done.state, err
}

// walletStream is the name of a customer's wallet stream.
func walletStream(customerID int64) string {
	return WalletAggregate.StreamPrefix + strconv.FormatInt(customerID, 10)
}

// walletCard is the wallet's record of the card the gateway described.
func walletCard(c payments.Card) wallet.Card {
	return wallet.Card{Brand: c.Brand, Last4: c.Last4, ExpMonth: c.ExpMonth, ExpYear: c.ExpYear, Country: c.Country,
		Funding: c.Funding, Fingerprint: c.Fingerprint}
}
