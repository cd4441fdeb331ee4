package commands

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// Reservation scopes of the subscription commands. Warning: scopes are part of stored stream names;
// renaming one forgets every record of its kind (a retried creation would then make a second subscription
// and charge a second time, a customer could change currency, a gift code would stop redeeming).
const (
	// createdSubscriptionScope: the subscription id a creation's command id was given.
	createdSubscriptionScope = "subscription_of_command"
	// firstInvoiceScope: the first invoice id a creation's command id was given.
	firstInvoiceScope = "subscription_first_invoice"
	// currencyScope: a customer's currency (see fixCurrency), the owner being currencyCode.
	currencyScope = "subscription_currency"
	// giftCodeScope: the donor subscription of a gift code.
	giftCodeScope = "subscription_gift_code"
)

// recordScope is the account of the records above: command ids and gift codes are unique across accounts,
// and a gift code is looked up before its account is known.
const recordScope = 0

// reservations are the subscription commands' records, kept as reservations (keyed stream names).
func (c Subscriptions) reservations() Reservations {
	return Reservations{Store: c.Store, Names: c.Names, Now: c.Now}
}

// alwaysHolds says a record's owner still holds it: these records are never released by their owners.
func alwaysHolds(context.Context, int64) (bool, error) { return true, nil }

// recordedID is the id recorded for key in scope, or a new one from ids recorded now: the same command
// asking again (a retry) gets the same id, so it finds the same subscription or invoice again.
func (c Subscriptions) recordedID(ctx context.Context, env Envelope, scope, key string, ids *IDAllocator) (int64, error) {
	return recordedID(ctx, c.reservations(), env, scope, key, ids)
}

// recordedID is the id records hold for key in scope, or a new one from ids recorded now (see
// Subscriptions.recordedID).
func recordedID(ctx context.Context, records Reservations, env Envelope, scope, key string, ids *IDAllocator) (int64, error) {
	id, _, err := recordedNewID(ctx, records, env, scope, key, ids)
	return id, err
}

// recordedNewID is recordedID that also tells whether the id is new: allocated by this call (and recorded by
// it when anybody may ask again), so nothing anywhere was ever written under it yet (a retry, or a
// concurrent run of the same command that recorded first, answers an id that may have been).
//
// A key that is the command id drawn at random for this one call (Envelope.Drawn) gets its id from the
// request's DrawnIDs and no record: nobody outside the request can ever ask for that key again, so the
// record would be written and never read (measured: one append of the two a free-plan POST /subscription
// made, two of an order's). Warning: the memory is what keeps one id per scope and key within the request;
// never skip the record for a drawn id without it.
func recordedNewID(ctx context.Context, records Reservations, env Envelope, scope, key string, ids *IDAllocator) (int64, bool, error) {
	if env.drawn != nil && env.NewCommandID && key == env.CommandID {
		return env.drawn.id(ctx, scope, key, ids.Next)
	}
	found, err := records.lookup(ctx, scope, recordScope, key)
	if err != nil || found.owner() != 0 {
		return found.owner(), false, err
	}
	id, err := ids.Next(ctx)
	if err != nil {
		return 0, false, err
	}
	// The allocated id is part of the claim's command id: two runs of the same command racing here (a
	// billing lease that ran out) allocate two ids, and under one command id their claims would share event
	// ids, so the store would take the second for a retry of the first and each run would go on with its own
	// id. With the id in it, the second claim loses the append race and reads the first one's owner.
	err = records.claimUnclaimed(ctx, env.derived(scope+"-"+strconv.FormatInt(id, 10)), scope, recordScope, key, found, id, alwaysHolds)
	if errors.Is(err, reservation.ErrTaken) { // a concurrent attempt of the same command recorded first
		id, _, err = records.Owner(ctx, scope, recordScope, key)
		return id, false, err
	}
	return id, err == nil, err
}

// unwritten is the history the first attempt on the stream of an id recordedNewID reported new (newID)
// decides on: the empty stream, not read, when the command id was drawn for this request; nil (read the
// stream) otherwise. An append that finds the stream written after all loses, and the next attempt reads it.
//
// Warning: only for a drawn command id. A command run twice under one Idempotency-Key (a retry taking over
// an expired lease) shares the id, and the twin that lost the record may have written already, with its own
// clock; the store takes the same events at the same expected revision as a retry, so deciding on the
// empty stream would cache this run's state over the log's, and nothing would ever find the cache stale.
func unwritten[S any](env Envelope, newID bool) *history[S] {
	if newID && env.NewCommandID {
		return &history[S]{}
	}
	return nil
}

// fixCurrency makes currency the customer's, or refuses it with subscription.ErrCurrencyMismatch when the
// customer already pays in another one (rule 16). The customer's currency is the currency of their first
// subscription, recorded per customer on the write side so two concurrent first subscriptions in two
// currencies cannot both succeed. undo gives back a currency this call recorded, for a first sale that
// then failed (a declined card), so the customer may still buy in another currency; it is best effort: a
// failed undo keeps the currency, which only matters to a customer switching currency after such a failure.
//
// lookup is the context of the Owner read alone: Create passes its read-ahead (checksRead) there, others
// pass ctx. Warning: never give lookup to Claim or undo; they append and read after the lookup, and a read
// under the read-ahead could fold a tail from before this request's own append (see withTailsRead).
func (c Subscriptions) fixCurrency(ctx, lookup context.Context, env Envelope, who Target, currency string) (undo func(), err error) {
	code, key := currencyCode(currency), strconv.FormatInt(who.CustomerID, 10)
	records := c.reservations()
	owner, ok, err := records.Owner(lookup, currencyScope, who.AccountID, key)
	switch {
	case err != nil:
		return nil, err
	case ok && owner == code:
		return func() {}, nil
	case ok:
		return nil, subscription.ErrCurrencyMismatch
	}
	err = records.Claim(ctx, env.derived("currency"), currencyScope, who.AccountID, key, code, alwaysHolds)
	if errors.Is(err, reservation.ErrTaken) {
		return nil, subscription.ErrCurrencyMismatch
	}
	undo = func() {
		_ = records.Release(context.WithoutCancel(ctx), env.derived("currency-release"), currencyScope, who.AccountID, key, code)
	}
	return undo, err
}

// checksRead is ctx carrying, read in one round trip (withTailsRead), the tails of the streams a creation
// checks before it writes anything: the customer's currency record (fixCurrency) and, when the request
// names an address, the customer's stream, which the Pricer reads for it. Only those checks may run under
// it (see withTailsRead): the Pricer, the segment rules and fixCurrency's Owner read, never a write.
func (c Subscriptions) checksRead(ctx context.Context, in NewSubscription) context.Context {
	currency, _, err := c.reservations().streams(currencyScope, in.AccountID, strconv.FormatInt(in.CustomerID, 10))
	if err != nil {
		return ctx // fixCurrency reads as usual, and reports the error
	}
	streams := []string{ReservationAggregate.StreamPrefix + currency}
	// Comparing the two stores compares interfaces: both must stay comparable (pointers), or this panics.
	if in.AddressID != 0 && c.Pricer.Store == c.Store {
		streams = append(streams, customerStream(in.CustomerID))
	}
	return withTailsRead(ctx, c.Store, streams...)
}

// currencyCode is a lowercase ISO 4217 code as a positive number (letters as base-27 digits), the owner of
// a currency record.
func currencyCode(currency string) int64 {
	var n int64
	for _, r := range currency {
		n = n*27 + int64(r-'a'+1)
	}
	return n
}

// drawGiftCode draws a random GIFT-XXXX-XXXX code (crypto/rand over subscription.GiftCodeAlphabet) and
// records it as the donor subscription's, drawing again on the rare code already taken. A creation retried
// after a crash draws another code; GiftByCode only honours the code the subscription itself carries.
func (c Subscriptions) drawGiftCode(ctx context.Context, env Envelope, subscriptionID int64) (string, error) {
	for attempt := range 5 {
		code := randomGiftCode()
		err := c.reservations().Claim(ctx, env.derived("gift-code-"+strconv.Itoa(attempt)), giftCodeScope,
			recordScope, code, subscriptionID, alwaysHolds)
		if !errors.Is(err, reservation.ErrTaken) {
			return code, err
		}
	}
	return "", fmt.Errorf("commands: no free gift code after 5 draws")
}

// randomGiftCode is GIFT- and two groups of four letters of subscription.GiftCodeAlphabet.
func randomGiftCode() string {
	alphabet := subscription.GiftCodeAlphabet
	random := make([]byte, 8)
	_, _ = rand.Read(random) // crypto/rand.Read never fails (Go 1.24+)
	code := []byte("GIFT-XXXX-XXXX")
	for i, pos := range []int{5, 6, 7, 8, 10, 11, 12, 13} {
		code[pos] = alphabet[int(random[i])%len(alphabet)] // 32 letters: 256 % 32 == 0, no bias
	}
	return string(code)
}

// GiftByCode is the donor subscription of a gift code (for POST /gift/redeem): subscription.ErrNotGift when
// no gift has that code. The code is never in clear in a stream name (a keyed hash, see StreamNames).
func (c Subscriptions) GiftByCode(ctx context.Context, code string) (subscription.State, error) {
	if !subscription.IsGiftCode(code) {
		return subscription.State{}, subscription.ErrNotGift
	}
	id, ok, err := c.reservations().Owner(ctx, giftCodeScope, recordScope, code)
	if err != nil {
		return subscription.State{}, err
	}
	if !ok {
		return subscription.State{}, subscription.ErrNotGift
	}
	s, err := c.Read(ctx, id)
	if err != nil {
		return subscription.State{}, err
	}
	if s.Type != subscription.TypeGiftDonor || s.GiftCode != code {
		return subscription.State{}, subscription.ErrNotGift
	}
	return s, nil
}

// chargeableCard is the customer's chargeable card of that id, or ErrSourceNotFound.
func (c Subscriptions) chargeableCard(ctx context.Context, who Target, sourceID int64) (subscription.Payment, error) {
	means, err := c.Invoices.means(ctx, InvoicePayment{Target: who, SourceID: sourceID})
	return subscription.Payment{SourceID: means.SourceID, Gateway: means.Gateway}, err
}

// planLine describes a plan on an invoice line.
func planLine(plan SalePlan) string {
	return "Subscription to plan " + strconv.FormatInt(plan.Terms.PlanID, 10)
}

// CustomerCurrency is the customer's currency as fixCurrency recorded it, "" when none yet (the rule other
// families apply: renewals and changes may not switch currency either).
func (c Subscriptions) CustomerCurrency(ctx context.Context, who Target) (string, error) {
	code, ok, err := c.reservations().Owner(ctx, currencyScope, who.AccountID, strconv.FormatInt(who.CustomerID, 10))
	if err != nil || !ok {
		return "", err
	}
	var letters []byte
	for ; code > 0; code /= 27 {
		letters = append([]byte{byte('a' + code%27 - 1)}, letters...)
	}
	return string(letters), nil
}

// GiftSubscription is the donor subscription of a gift code in the account, or subscription.ErrNotGift.
func (c Subscriptions) GiftSubscription(ctx context.Context, accountID int64, code string) (int64, error) {
	s, err := c.GiftByCode(ctx, code)
	if err != nil {
		return 0, err
	}
	if s.AccountID != accountID {
		return 0, subscription.ErrNotGift
	}
	return s.ID, nil
}
