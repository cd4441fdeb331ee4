package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestARedemptionCutByACrashAgreesWithTheDonorOnceRetried crashes a redemption onto Zoe's own subscription
// as it records where Ann's gift ends (before its commit, or after it with the answer lost), then retries
// it: with the same command (a lost answer resent) or as a new request. Zoe holds the gift's term once and
// Ann's gift ends where that term ends, whichever half the crash hit.
func TestARedemptionCutByACrashAgreesWithTheDonorOnceRetried(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	zoe := w.register(t, "zoe@example.com", "zoe")
	card := w.saveCard(t, ann, "tok_visa")
	cases := []struct {
		name        string
		lost        bool // the crash comes after the commit, its answer lost; else before it
		sameCommand bool // the retry resends the same command; else it is a new request
	}{
		{"crash before the commit, the same command resent", false, true},
		{"crash before the commit, a new request", false, false},
		{"answer lost after the commit, the same command resent", true, true},
		{"answer lost after the commit, a new request", true, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { // not in parallel: the cases share the store's fault switch
			// given Ann's gift and Zoe's own subscription, and a store that fails as the gift's end is recorded
			code, donor := w.give(t, ann, card, 40+i, true)
			own := w.subscribe(t, zoe, 0, nil)
			fault := "subscription.gift_term_given"
			redemption := commands.GiftRedemption{Target: target(zoe), Code: code, SubscriptionID: own}
			env := newEnv()
			if c.lost {
				w.store.loseAnswer.Store(&fault)
			} else {
				w.store.refuse.Store(&fault)
			}
			// when Zoe redeems the gift onto it, the store failing, and then again
			if _, err := w.subs.RedeemGift(t.Context(), env, redemption); !errors.Is(err, errStoreDown) {
				t.Fatalf("redemption through the failing store: %v, want the store's failure", err)
			}
			if !c.sameCommand {
				env = newEnv()
			}
			if _, err := w.subs.RedeemGift(t.Context(), env, redemption); err != nil {
				t.Fatalf("redemption retried: %v", err)
			}
			// then Zoe holds the gift's term once, and Ann's gift ends where it ends
			s := w.subscription(t, own)
			given := 0
			for _, p := range s.Phases {
				if p.GiftOf == donor {
					given++
				}
			}
			if given != 1 {
				t.Errorf("Zoe's phases %+v hold the gift's term %d times, want once", s.Phases, given)
			}
			if got, want := w.subscription(t, donor).GiftTermsEnd, s.LastPeriodEnd(); !got.Equal(want) {
				t.Errorf("Ann's gift ends %s, Zoe's term ends %s", got, want)
			}
			if d := w.subscription(t, donor); !d.GiftRedeemed || d.RedeemedInto != own || d.Status != subscription.StatusActive {
				t.Errorf("Ann's gift %+v, want redeemed into %d and running", d, own)
			}
		})
	}
}

// TestARedemptionWhoseDonorSideLostARaceStillRecordsTheGiftsEnd runs a redemption onto Zoe's own
// subscription on a store that appends stream by stream (as EventStoreDB does), the donor's append losing
// to another writer once: the retry finds Zoe's term already landed, and must still record on Ann's gift
// where that term ends, from what Zoe's subscription holds.
func TestARedemptionWhoseDonorSideLostARaceStillRecordsTheGiftsEnd(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	w.store.oneByOne.Store(true)
	ann := w.register(t, "ann@example.com", "ann")
	zoe := w.register(t, "zoe@example.com", "zoe")
	card := w.saveCard(t, ann, "tok_visa")
	code, donor := w.give(t, ann, card, 60, true)
	own := w.subscribe(t, zoe, 0, nil)
	fault := "subscription.gift_term_given"
	w.store.conflict.Store(&fault)

	redemption := commands.GiftRedemption{Target: target(zoe), Code: code, SubscriptionID: own}
	if _, err := w.subs.RedeemGift(t.Context(), newEnv(), redemption); err != nil {
		t.Fatalf("redemption: %v", err)
	}
	if w.store.conflict.Load() != nil {
		t.Fatal("the donor's append never met the conflict")
	}
	if got, want := w.subscription(t, donor).GiftTermsEnd, w.subscription(t, own).LastPeriodEnd(); !got.Equal(want) {
		t.Errorf("Ann's gift ends %s, Zoe's term ends %s", got, want)
	}
}
