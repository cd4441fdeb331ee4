package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// otherSiteOfTheAccount is the example catalog's second site of account 1, beside eraseSite.
const otherSiteOfTheAccount = int64(1233)

// seatWorld is the example catalog with site 1232 (where membership plan 4052 is sold) verifying emails or
// not, and an owner of a 4052 membership there.
type seatWorld struct {
	*eraseWorld
	tokens       *recordingTokens
	owner        int64
	subscription int64
}

func newSeatWorld(t *testing.T, siteVerifiesEmails bool) *seatWorld {
	t.Helper()
	w := &seatWorld{eraseWorld: newEraseWorldOn(t, exampleCatalogStore(t, siteVerifiesEmails))}
	w.tokens = &recordingTokens{OneTimeTokens: auth.OneTimeTokens{Key: w.deps.Keys.OneTime}, last: map[int64]string{}}
	w.customers.Tokens = w.tokens
	w.customers.Throttle = auth.NewLoginThrottle(w.deps.ReadModels, w.deps.Keys.Throttle)
	w.owner = w.register(eraseSite, "owner@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(w.owner), PlanID: 4052})
	if err != nil {
		t.Fatal(err)
	}
	w.subscription = created.SubscriptionID
	return w
}

// exampleCatalogStore is catalogStore with site 1232 verifying emails (email_verify_enabled) or not.
func exampleCatalogStore(t *testing.T, siteVerifiesEmails bool) config.Config {
	t.Helper()
	raw, err := os.ReadFile("../../examples/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// site 1232's setting, the only one after its passwordless settings
	const verifying = "passwordless_token_duration: 30        # days: 1, 30, 60 or 90\n    email_verify_enabled: true\n"
	catalog := string(raw)
	if !strings.Contains(catalog, verifying) {
		t.Fatal("the example catalog no longer reads as this test expects: site 1232's email_verify_enabled not found")
	}
	if !siteVerifiesEmails {
		catalog = strings.Replace(catalog, verifying, strings.Replace(verifying, "true", "false", 1), 1)
	}
	path := filepath.Join(t.TempDir(), "catalog.yaml")
	if err := os.WriteFile(path, []byte(catalog), 0o600); err != nil {
		t.Fatal(err)
	}
	return catalogStoreFrom(t, path)
}

func (w *seatWorld) register(site int64, email string) int64 {
	w.t.Helper()
	r, err := w.customers.Register(w.t.Context(), env(), commands.Registration{AccountID: 1, SiteID: site, Email: email,
		Password: "Secret-123"})
	if err != nil {
		w.t.Fatal(err)
	}
	return r.CustomerID
}

func (w *seatWorld) invite(addresses ...string) {
	w.t.Helper()
	if _, err := (commands.Subscriptions{Store: w.deps.EventStore}).InviteMembers(w.t.Context(), env(),
		w.target(w.owner), w.subscription, addresses); err != nil {
		w.t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(w.t, w.cfg)
}

func (w *seatWorld) logIn(site int64, email string) {
	w.t.Helper()
	if _, err := w.customers.Login(w.t.Context(), env(), commands.Credentials{AccountID: 1, SiteID: site,
		Email: email, Password: "Secret-123"}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *seatWorld) verify(customerID int64) {
	w.t.Helper()
	ctx := w.t.Context()
	if _, err := w.customers.RequestVerification(ctx, env(), commands.VerificationRequest{Target: w.target(customerID),
		Lifetime: time.Hour}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.customers.VerifyEmail(ctx, env(), commands.TokenUse{AccountID: 1, SiteID: eraseSite,
		Token: w.tokens.lastOf(customerID)}); err != nil {
		w.t.Fatal(err)
	}
}

// seatOf says the status of the seat invited at email and who holds it (0 while pending), once the claims
// ran and the seats read model shows them.
func (w *seatWorld) seatOf(email string) (status string, member int64) {
	w.t.Helper()
	runProjectionsUntilCaughtUp(w.t, w.cfg) // the seat claims
	runProjectionsUntilCaughtUp(w.t, w.cfg) // the seats read model shows them
	seats, err := queries.Customers{DB: w.deps.ReadModels}.Seats(w.t.Context(), w.owner, w.subscription)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, seat := range seats {
		if seat.Email != nil && *seat.Email == email {
			if seat.CustomerID != nil {
				member = *seat.CustomerID
			}
			return seat.Status, member
		}
	}
	w.t.Fatalf("no seat at %s", email)
	return "", 0
}

func TestASeatIsClaimedBySigningInOnItsSiteWhicheverSiteOfTheAccountTheCustomerRegisteredOn(t *testing.T) {
	t.Parallel()
	// given cy, registered on the account's other site, invited to the membership of site 1232
	w := newSeatWorld(t, false)
	cy := w.register(otherSiteOfTheAccount, "cy@example.com")
	w.invite("cy@example.com")
	// when cy signs in on the other site, then the seat stays pending: it is claimed on its own site
	w.logIn(otherSiteOfTheAccount, "cy@example.com")
	if status, member := w.seatOf("cy@example.com"); status != "pending" || member != 0 {
		t.Fatalf("after a sign-in on site %d: seat %s held by %d, want pending", otherSiteOfTheAccount, status, member)
	}
	// when cy signs in on the subscription's site, then the seat is cy's
	w.logIn(eraseSite, "cy@example.com")
	if status, member := w.seatOf("cy@example.com"); status != "active" || member != cy {
		t.Fatalf("after a sign-in on site %d: seat %s held by %d, want active held by cy (%d)", eraseSite, status, member, cy)
	}
}

func TestOnASiteThatVerifiesEmailsOnlyAConfirmedAddressClaimsASeat(t *testing.T) {
	t.Parallel()
	// given a site that verifies emails, and seats pending for vic and val
	w := newSeatWorld(t, true)
	mallory := w.register(eraseSite, "mallory@example.com")
	w.invite("vic@example.com", "val@example.com")
	// when mallory gives herself vic's address (unconfirmed) and signs in with it
	vic := "vic@example.com"
	if _, err := w.customers.UpdateProfile(t.Context(), env(), commands.ProfileUpdate{Target: w.target(mallory),
		Email: &vic, VerifyNewEmail: true, VerificationLifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	w.logIn(eraseSite, vic)
	// and someone registers with val's address (unconfirmed) and signs in
	val := w.register(eraseSite, "val@example.com")
	w.logIn(eraseSite, "val@example.com")
	// then neither seat is taken
	for _, email := range []string{"vic@example.com", "val@example.com"} {
		if status, member := w.seatOf(email); status != "pending" || member != 0 {
			t.Errorf("seat of %s: %s held by %d, want pending", email, status, member)
		}
	}
	// when val's address is confirmed, then val's seat is val's
	w.verify(val)
	if status, member := w.seatOf("val@example.com"); status != "active" || member != val {
		t.Errorf("seat of val after the verification: %s held by %d, want active held by %d", status, member, val)
	}
}
