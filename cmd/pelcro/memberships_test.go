package main

import (
	"io"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestInviteesClaimTheirSeatsAndLoseThemWithTheOwnersSubscription(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorldOn(t, exampleCatalogStore(t, false)) // a site that does not verify emails: today's rule
	tokens := &recordingTokens{OneTimeTokens: auth.OneTimeTokens{Key: w.deps.Keys.OneTime}, last: map[int64]string{}}
	w.customers.Tokens = tokens
	w.customers.Throttle = auth.NewLoginThrottle(w.deps.ReadModels, w.deps.Keys.Throttle)
	register := func(email string) int64 {
		t.Helper()
		r, err := w.customers.Register(ctx, env(), commands.Registration{AccountID: 1, SiteID: eraseSite, Email: email,
			Password: "Secret-123"})
		if err != nil {
			t.Fatal(err)
		}
		return r.CustomerID
	}
	// given an owner of the example's campus membership, and cy and dee registered already
	owner, cy, dee := register("owner@example.com"), register("cy@example.com"), register("dee@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(owner), PlanID: 4052})
	if err != nil {
		t.Fatal(err)
	}
	// when the owner invites bob, cy and dee
	seats := commands.Subscriptions{Store: w.deps.EventStore}
	if _, err := seats.InviteMembers(ctx, env(), w.target(owner), created.SubscriptionID,
		[]string{"bob@example.com", "CY@example.com", "dee@example.com"}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	// and bob registers, cy logs in and dee verifies her email
	bob := register("bob@example.com")
	if _, err := w.customers.Login(ctx, env(), commands.Credentials{AccountID: 1, SiteID: eraseSite,
		Email: "cy@example.com", Password: "Secret-123"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.customers.RequestVerification(ctx, env(), commands.VerificationRequest{Target: w.target(dee), Lifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.customers.VerifyEmail(ctx, env(), commands.TokenUse{AccountID: 1, SiteID: eraseSite,
		Token: tokens.lastOf(dee)}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg) // the seat claims
	runProjectionsUntilCaughtUp(t, w.cfg) // the seats read model shows them
	// then each of them holds the membership, and the owner holds none
	held := func(id int64) (running, expired int) {
		t.Helper()
		c, err := queries.Customers{DB: w.deps.ReadModels}.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(c.Memberships), len(c.ExpiredMemberships)
	}
	for name, id := range map[string]int64{"bob (registered)": bob, "cy (logged in)": cy, "dee (verified)": dee} {
		if running, expired := held(id); running != 1 || expired != 0 {
			t.Errorf("%s: %d memberships, %d expired; want 1 and 0", name, running, expired)
		}
	}
	if running, _ := held(owner); running != 0 {
		t.Errorf("the owner is a member of %d memberships, want none", running)
	}
	// when the owner's subscription expires (the billing clock, a year and more later)
	if err := runBilling(ctx, w.cfg, time.Now().AddDate(1, 1, 0), 1, io.Discard); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	// then every member lost it
	for name, id := range map[string]int64{"bob": bob, "cy": cy, "dee": dee} {
		if running, expired := held(id); running != 0 || expired != 1 {
			t.Errorf("%s after the end: %d memberships, %d expired; want 0 and 1", name, running, expired)
		}
	}
}
