package transport

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// newsletterStack is the real newsletter vertical on a fresh PostgreSQL database: event store, commands,
// the newsletters projection running (giving up on a failing event after two quick retries), queries. It
// returns the dependencies cmd/pelcro wires the same way, the store and the runner.
func newsletterStack(t *testing.T) (Dependencies, eventstore.Store, *projections.Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dsn := migratedtest.NewDatabase(t)
	db, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open read models: %v", err)
	}
	store, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open event store: %v", err)
	}
	runner, err := projections.NewRunner(projections.Config{Store: store, DB: db, Registry: newsletter.Events,
		Logger: discardLogger(), Retry: quickRetries}, newsletterprojection.Projection())
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, projections.ErrProjectionStopped) {
			t.Errorf("runner: %v", err)
		}
		_ = store.Close()
		_ = db.Close()
	})
	return Dependencies{
		Readiness:          []ReadinessCheck{{Name: "projections", Check: runner.Ready}},
		Sites:              testSites,
		NewsletterCommands: commands.Newsletters{Store: store, Names: testStreamNames(t)},
		NewsletterQueries:  queries.NewNewsletters(db),
		WaitForNewsletters: func(ctx context.Context, w commands.Written) error {
			return runner.WaitFor(ctx, w.LogPosition(), newsletterprojection.Name)
		},
		Idempotency: newIdempotencyStore(t, db),
	}, store, runner
}

// quickRetries make a projection of the tests give up on a failing event within a fraction of a second.
var quickRetries = projections.Retry{MaxRetries: 2, Backoff: projections.Backoff{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond}}

// testStreamNames keys the stream names of the test stacks.
func testStreamNames(t *testing.T) commands.StreamNames {
	t.Helper()
	names, err := commands.NewStreamNames([]byte("stream-naming-secret-of-the-transport-tests"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestNewsletterEndToEnd(t *testing.T) {
	t.Parallel()
	deps, _, _ := newsletterStack(t)
	router := newTestRouter(t, deps)
	checker := documentChecker(t)
	call := func(method, target, body string, status int) map[string]any {
		t.Helper()
		req := request(method, APIBasePath+target, "application/json", body)
		rec := serve(router, req)
		checker.CheckResponse(t, req, rec)
		if rec.Code != status {
			t.Fatalf("%s %s = %d %s, want %d", method, target, rec.Code, rec.Body, status)
		}
		if status == http.StatusNoContent {
			return nil
		}
		return decodeBody[map[string]any](t, rec)
	}

	// when an email subscribes, then the answer is the read model's entry (read-your-writes)
	created := call(http.MethodPost, "/newsletter?site_id=1232", `{"email":" Ann@Example.com","first_name":"Ann","source":"Footer"}`, 200)
	entry := created["data"].(map[string]any)
	if entry["email"] != "ann@example.com" || entry["source"] != "footer" || entry["consent_url"] != "" || entry["id"] != 1.0 {
		t.Fatalf("created entry = %v", entry)
	}
	// and a second subscription of it is refused (rule 26) in the caller's language
	taken := call(http.MethodPost, "/newsletter?site_id=1232&language=fr", `{"email":"ann@example.com"}`, 400)
	if got := taken["errors"].(map[string]any)["email"].([]any)[0]; got != "La valeur du champ e-mail est déjà utilisée." {
		t.Fatalf("duplicate message = %v", got)
	}
	// when it is updated, then the given fields change and the others stay
	updated := call(http.MethodPut, "/newsletter/ANN@example.com?site_id=1232", `{"last_name":"Lee","lists":"daily"}`, 200)["data"].(map[string]any)
	if updated["first_name"] != "Ann" || updated["last_name"] != "Lee" || updated["lists"] != "daily" {
		t.Fatalf("updated entry = %v", updated)
	}
	if got := call(http.MethodGet, "/newsletter/ann@example.com?site_id=1232", "", 200)["data"]; got.(map[string]any)["last_name"] != "Lee" {
		t.Fatalf("read entry = %v", got)
	}
	// and the same email on another site is not subscribed there
	call(http.MethodGet, "/newsletter/ann@example.com?site_id=77", "", 404)
	// when it is deleted, then it is gone at once, and a second delete or an update is refused
	call(http.MethodDelete, "/newsletter/ann@example.com?site_id=1232", "", 204)
	missing := call(http.MethodGet, "/newsletter/ann@example.com?site_id=1232", "", 404)
	if got := missing["error"].(map[string]any)["message"]; got != "Newsletter subscription not found." {
		t.Fatalf("not found message = %v", got)
	}
	call(http.MethodDelete, "/newsletter/ann@example.com?site_id=1232", "", 400)
	call(http.MethodPut, "/newsletter/ann@example.com?site_id=1232", `{"first_name":"Ann"}`, 400)
	// when it subscribes again, then it is a new entry
	again := call(http.MethodPost, "/newsletter?site_id=1232", `{"email":"ann@example.com"}`, 200)["data"].(map[string]any)
	if again["id"] != 2.0 || again["first_name"] != "" {
		t.Fatalf("new entry = %v", again)
	}
	newsletterRefusesControlCharactersAndLookalikes(t, call)
}
