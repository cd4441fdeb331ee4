package transport

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/internal/idp"
	"github.com/pelcro-oss/pelcro-api/internal/media"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// Sites of the customer stack: catalogtest's two sites of account 1 (the news site has passwordless login
// and every identity provider; the other has Risk Assessment on) and one site of another account.
const (
	customerSite      = catalogtest.SiteID
	riskAssessedSite  = catalogtest.OtherSiteID
	otherAccountSite  = int64(3000)
	closedShopSite    = int64(3001) // a site of customerSite's account that does not sell (ecommerce_enabled off)
	testIssuer        = "http://api.test/api/v1/sdk/customer"
	testGoogleKeyID   = "test-google-key"
	customerTestEmail = "ann@example.com"
	customerPassword  = "Secret-123!"
)

// customerWorld is what a customer test can reach besides the router: the event store (to read what was
// written), the one-time token minting (to follow a mailed link), the JWTs (to forge or expire one), a
// local identity provider, the Idempotency-Key store and the database it keeps keys in.
type customerWorld struct {
	router      http.Handler
	store       eventstore.Store
	runner      *projections.Runner
	oneTime     auth.OneTimeTokens
	tokens      *auth.Tokens
	google      *rsa.PrivateKey
	idempotency *idempotency.Store
	db          *sqlx.DB
}

// customerStack is the real customer vertical on a fresh database: catalog imported and projected, the
// customer commands with a cheap (test-only) password hash cost, the customers projection, internal/auth
// tokens, revocations and login throttle, a local Google key set, photos in a temporary directory and the
// Idempotency-Key store.
func customerStack(t *testing.T) (Dependencies, *customerWorld) {
	t.Helper()
	env := catalogtest.New(t)
	env.Import(customerCatalog())
	registry, err := aggregates.Merge(catalog.Events, customer.Events)
	if err != nil {
		t.Fatal(err)
	}
	runner := runProjections(t, projections.Config{Store: env.Store, DB: env.DB, Registry: registry},
		append(catalogprojections.All(), customerprojection.Projection())...)
	wait := func(ctx context.Context, w commands.Written) error {
		return runner.WaitFor(ctx, w.LogPosition(), customerprojection.Name)
	}
	catalogReady, cancelWait := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancelWait()
	if err := runner.WaitFor(catalogReady, mustHead(t, env.Store), catalogprojections.Names()...); err != nil {
		t.Fatal(err)
	}
	hasher, err := auth.NewHasher(auth.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		t.Fatal(err)
	}
	jwts, err := auth.NewTokens([]byte("jwt-key-of-the-tests-0123456789abcdef"), testIssuer)
	if err != nil {
		t.Fatal(err)
	}
	world := &customerWorld{store: env.Store, runner: runner, oneTime: auth.OneTimeTokens{Key: []byte("one-time-key-of-the-tests-0123456")},
		tokens: jwts, google: mustRSAKey(t), idempotency: newIdempotencyStore(t, env.DB), db: env.DB}
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &world.google.PublicKey,
			KeyID: testGoogleKeyID, Algorithm: string(jose.RS256), Use: "sig"}}})
	}))
	t.Cleanup(jwks.Close)
	photos := media.Photos{Dir: t.TempDir()}
	catalogReads := queries.NewCatalog(env.DB)
	deps := Dependencies{
		Sites:   CatalogSites(catalogReads),
		Catalog: catalogReads,
		CustomerCommands: commands.Customers{Store: env.Store,
			CustomerIDs:  commands.NewIDAllocator(env.Store, commands.IDKindCustomer, commands.IDAllocatorConfig{}),
			AddressIDs:   commands.NewIDAllocator(env.Store, commands.IDKindAddress, commands.IDAllocatorConfig{}),
			Reservations: commands.Reservations{Store: env.Store, Names: testStreamNames(t)}, Passwords: hasher, Tokens: world.oneTime,
			Throttle: auth.NewLoginThrottle(env.DB, []byte("throttle-key-of-the-tests-0123456"))},
		CustomerQueries:  queries.Customers{DB: env.DB},
		CustomerTokens:   AuthTokens{Tokens: jwts, Revocations: auth.NewRevocations(env.DB)},
		WaitForCustomers: wait,
		Identities: idp.New(idp.Config{Providers: map[string]idp.Provider{
			idp.Google: {Issuer: "https://accounts.google.com", JWKSURL: jwks.URL}}}),
		Photos:      photos,
		Media:       photos.Handler(),
		PublicURL:   "http://api.test",
		Idempotency: world.idempotency,
	}
	world.router = newTestRouter(t, deps)
	return deps, world
}

// customerCatalog is the catalog of customerStack: catalogtest's, a site of another account, and a site of
// the same account that does not sell.
func customerCatalog() catalog.Catalog {
	c := catalogtest.Catalog()
	c.Sites = append(c.Sites, catalog.Site{ID: closedShopSite, AccountID: 1, SiteAttributes: catalog.SiteAttributes{
		Name: "No shop", DefaultCurrency: "usd", DefaultLocale: "en_US"}})
	c.Accounts = append(c.Accounts, catalog.Account{ID: 2, AccountAttributes: catalog.AccountAttributes{Name: "Other"}})
	c.Sites = append(c.Sites, catalog.Site{ID: otherAccountSite, AccountID: 2, SiteAttributes: catalog.SiteAttributes{
		Name: "Elsewhere", DefaultCurrency: "usd", DefaultLocale: "en_US", PasswordlessEnabled: true,
		StrongPasswordEnforcement: true}})
	return c
}

// runProjections runs the projections over cfg's store and database (quick retries, logs discarded) until
// the test ends.
func runProjections(t *testing.T, cfg projections.Config, ps ...projections.Projection) *projections.Runner {
	t.Helper()
	cfg.Logger, cfg.Retry = discardLogger(), quickRetries
	runner, err := projections.NewRunner(cfg, ps...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("runner: %v", err)
		}
	})
	return runner
}

// mustHead is the position of the log's last event.
func mustHead(t *testing.T, store eventstore.Store) eventstore.Position {
	t.Helper()
	events, err := store.ReadAll(context.Background(), eventstore.AllStart(), 100_000)
	if err != nil || len(events) == 0 {
		t.Fatalf("read the log: %d events, %v", len(events), err)
	}
	return events[len(events)-1].Position
}

func mustRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// request builds a JSON request (body "" for none) with an optional bearer token.
func (w *customerWorld) request(method, target, token, body string) *http.Request {
	contentType := ""
	if body != "" {
		contentType = "application/json"
	}
	req := request(method, APIBasePath+target, contentType, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// call sends a JSON request (body "" for none) with an optional bearer token and returns the answer.
func (w *customerWorld) call(method, target, token, body string) *httptest.ResponseRecorder {
	return serve(w.router, w.request(method, target, token, body))
}

// register registers email with password on the news site and returns the token and the customer id.
func (w *customerWorld) register(t *testing.T, email, password string) (string, int64) {
	t.Helper()
	rec := w.call(http.MethodPost, fmt.Sprintf("/auth/register?site_id=%d", customerSite), "",
		fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
	if rec.Code != http.StatusOK {
		t.Fatalf("register %s = %d %s", email, rec.Code, rec.Body)
	}
	body := decodeBody[struct {
		Data struct {
			ID        int64  `json:"id"`
			AuthToken string `json:"auth_token"`
		} `json:"data"`
	}](t, rec)
	return body.Data.AuthToken, body.Data.ID
}

// googleToken signs an ID token for the news site's Google client with the local provider key.
func (w *customerWorld) googleToken(t *testing.T, subject, email string, verified bool) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: w.google},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", testGoogleKeyID))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	raw, err := jwt.Signed(signer).Claims(map[string]any{"iss": "https://accounts.google.com",
		"aud": catalogtest.GoogleAppID, "sub": subject, "email": email, "email_verified": verified,
		"given_name": "Gee", "family_name": "Oogle", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// mailedToken is the newest one-time token of the purpose issued to the customer, derived from its event as
// the mail outbox derives it for the link.
// lastEvents returns the last n events of the customer's stream, newest first.
func (w *customerWorld) lastEvents(t *testing.T, customerID int64, n int) []eventstore.RecordedEvent {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), fmt.Sprintf("customer-%d", customerID), eventstore.Backwards,
		eventstore.StreamEnd(), n)
	if err != nil || len(events) != n {
		t.Fatalf("the last %d events of customer %d: %d, %v", n, customerID, len(events), err)
	}
	return events
}

func (w *customerWorld) mailedToken(t *testing.T, customerID int64, purpose customer.Purpose) string {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), fmt.Sprintf("customer-%d", customerID), eventstore.Backwards,
		eventstore.StreamEnd(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		decoded, err := customer.Events.Decode(e.Type, 1, e.Data)
		if err != nil {
			t.Fatal(err)
		}
		if issued, ok := decoded.(customer.OneTimeTokenIssued); ok && issued.Purpose == purpose {
			return w.oneTime.Token(customerID, string(purpose), issued.Nonce)
		}
	}
	t.Fatalf("customer %d was sent no %s token", customerID, purpose)
	return ""
}
