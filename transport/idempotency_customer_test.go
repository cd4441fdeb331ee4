package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

// TestIdempotencyKeysOfCustomers runs the Idempotency-Key tests of protected endpoints, and the proof that
// X-Request-Id is no such key, on one stack; each registers its own customers. Its subtests run in
// parallel, the test itself before the package's parallel tests: the shared PostgreSQL runs out of
// connections when one more stack joins them.
func TestIdempotencyKeysOfCustomers(t *testing.T) {
	deps, world := customerStack(t)
	for _, test := range []struct {
		name string
		run  func(*testing.T, Dependencies, *customerWorld)
	}{
		{"the same request replays its first answer and writes nothing", testTheSameRequestReplaysItsFirstAnswer},
		{"another request under a used key is refused", testAnotherRequestUnderAUsedKeyIsRefused},
		{"concurrent requests with one key have one effect", testConcurrentRequestsWithOneKeyHaveOneEffect},
		{"a key belongs to its customer", testAKeyBelongsToItsCustomer},
		{"a retry after a crash between append and answer writes once", testARetryAfterACrashWritesOnce},
		{"a failed answer is not kept and its retry writes once", testAFailedAnswerIsNotKept},
		{"a request waits for the holder of its key, then gets 409", testARequestWaitsForTheHolderThen409},
		{"a repeated request id is not a retry", testARepeatedRequestIDIsNotARetry},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, deps, world) })
	}
}

// idempotencySite is the query of every call of these tests.
var idempotencySite = fmt.Sprintf("?site_id=%d", customerSite)

// firstAddress is the body of the address these tests add.
const firstAddress = `{"line1":"1 Main St","country":"US","state":"NY"}`

// addAddress is POST /address of firstAddress by the customer of token, under key.
func addAddress(world *customerWorld, token, key string) *http.Request {
	return withKey(world.request(http.MethodPost, "/address"+idempotencySite, token, firstAddress), key)
}

func testTheSameRequestReplaysItsFirstAnswer(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@thesamerequestreplays.example.com", customerPassword)
	update := func() *http.Request {
		return withKey(world.request(http.MethodPut, "/customer"+idempotencySite, token, `{"first_name":"Ann"}`), "update-1")
	}
	// given an update sent with a key
	first := client.send(t, update(), http.StatusOK)
	written := customerEventCount(t, world, id)
	// when it is sent again, then the first answer comes back byte for byte, its fresh token included
	replayed := client.send(t, update(), http.StatusOK)
	assertReplay(t, first, replayed)
	profileFreshToken(t, decodeBody[map[string]any](t, replayed), token)
	// and nothing more was written
	if got := customerEventCount(t, world, id); got != written {
		t.Fatalf("events %d after the replay, %d before", got, written)
	}
}

func testAnotherRequestUnderAUsedKeyIsRefused(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@anotherrequestunderausedkey.example.com", customerPassword)
	client.send(t, addAddress(world, token, "address-1"), http.StatusOK)
	written := customerEventCount(t, world, id)
	others := []struct{ name, method, path, body string }{
		{"another body", http.MethodPost, "/address" + idempotencySite, `{"line1":"2 Side St","country":"US","state":"NY"}`},
		{"another query", http.MethodPost, "/address" + idempotencySite + "&source=retry", firstAddress},
		{"another method and route", http.MethodPut, "/customer" + idempotencySite, firstAddress},
	}
	for _, other := range others {
		for _, lang := range i18n.Supported() {
			// when another request is sent under the key, then it is a 422 in the caller's language
			req := world.request(other.method, other.path, token, other.body)
			req.Header.Set("Accept-Language", string(lang))
			rec := client.send(t, withKey(req, "address-1"), http.StatusUnprocessableEntity)
			if got := profileErrorMessage(t, decodeBody[map[string]any](t, rec)); got != i18n.Localize(lang, i18n.IdempotencyKeyMismatch) {
				t.Fatalf("%s in %s: %q", other.name, lang, got)
			}
		}
	}
	if got := i18n.Localize(i18n.Fallback, i18n.IdempotencyKeyMismatch); got != "Keys for idempotent requests can only be used with the same parameters they were first used with." {
		t.Fatalf("English mismatch message = %q", got)
	}
	// and nothing was written
	if got := customerEventCount(t, world, id); got != written {
		t.Fatalf("events %d after the refusals, %d before", got, written)
	}
}

func testConcurrentRequestsWithOneKeyHaveOneEffect(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	token, id := world.register(t, "ann@concurrentrequestswithonekey.example.com", customerPassword)
	before := customerEventCount(t, world, id)
	// when ten identical additions of an address arrive at once under one key
	answers := make([]*httptest.ResponseRecorder, 10)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			answers[i] = serve(world.router, addAddress(world, token, "address-once"))
		})
	}
	wg.Wait()
	// then one ran, the others waited for it and replayed its answer
	ran := 0
	for _, rec := range answers {
		if rec.Header().Get(idempotentReplayedHeader) == "" {
			ran++
		}
		if rec.Code != http.StatusOK || rec.Body.String() != answers[0].Body.String() {
			t.Fatalf("answer %d %s, another %d %s", rec.Code, rec.Body, answers[0].Code, answers[0].Body)
		}
	}
	// and the customer has one address, written once
	data := profileData(t, decodeBody[map[string]any](t, answers[0]))
	if ran != 1 || len(addressesOf(t, data)) != 1 || customerEventCount(t, world, id) != before+1 {
		t.Fatalf("%d ran; addresses %v; %d events", ran, data["addresses"], customerEventCount(t, world, id))
	}
}

func testAKeyBelongsToItsCustomer(t *testing.T, _ Dependencies, world *customerWorld) {
	t.Parallel()
	ann, _ := world.register(t, "ann@akeybelongstoitscustomer.example.com", customerPassword)
	bea, _ := world.register(t, "bea@akeybelongstoitscustomer.example.com", customerPassword)
	update := `{"last_name":"Lee"}`
	first := serve(world.router, withKey(world.request(http.MethodPut, "/customer"+idempotencySite, ann, update), "shared-key"))
	assertRan(t, first, http.StatusOK)
	// when another customer sends the very same request under the same key, then it runs for them
	theirs := serve(world.router, withKey(world.request(http.MethodPut, "/customer"+idempotencySite, bea, update), "shared-key"))
	assertRan(t, theirs, http.StatusOK)
	if got := profileData(t, decodeBody[map[string]any](t, theirs))["email"]; got != "bea@akeybelongstoitscustomer.example.com" {
		t.Fatalf("the other customer was answered with %v", got)
	}
}

func testARetryAfterACrashWritesOnce(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	token, id := world.register(t, "ann@aretryafteracrash.example.com", customerPassword)
	add := func() *http.Request { return addAddress(world, token, "crash-1") }
	// given an instance that appended the address and died before its answer was stored
	crashing := deps
	crashing.Idempotency = crashedStore{newIdempotencyStore(t, world.db)}
	first := serve(newTestRouter(t, crashing), add())
	assertRan(t, first, http.StatusOK)
	written := customerEventCount(t, world, id)
	// when the client retries on another instance once the dead one's lease ran out
	later := newIdempotencyStore(t, world.db)
	later.Now = func() time.Time { return time.Now().Add(idempotency.DefaultLease + time.Second) }
	surviving := deps
	surviving.Idempotency = later
	retry := serve(newTestRouter(t, surviving), add())
	// then the request runs again, finds its own events and writes nothing: one address, the same one
	assertRan(t, retry, http.StatusOK)
	if got := customerEventCount(t, world, id); got != written {
		t.Fatalf("events %d after the retry, %d before", got, written)
	}
	firstAnswer, retryAnswer := decodeBody[map[string]any](t, first), decodeBody[map[string]any](t, retry)
	if addedAddressID(t, retryAnswer) != addedAddressID(t, firstAnswer) || len(addressesOf(t, profileData(t, retryAnswer))) != 1 {
		t.Fatalf("retry answered %v, first %v", retryAnswer, firstAnswer)
	}
}

func testAFailedAnswerIsNotKept(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	token, id := world.register(t, "ann@afailedanswerisnotkept.example.com", customerPassword)
	add := func() *http.Request { return addAddress(world, token, "lagging-1") }
	// given a write that committed while its read model could not be waited for (a 5xx)
	lagging := deps
	lagging.WaitForCustomers = func(context.Context, commands.Written) error { return context.DeadlineExceeded }
	if rec := serve(newTestRouter(t, lagging), add()); rec.Code < http.StatusInternalServerError {
		t.Fatalf("lagging answer = %d %s", rec.Code, rec.Body)
	}
	written := customerEventCount(t, world, id)
	// when the client retries, then the request runs again and answers, without writing twice
	retry := serve(world.router, add())
	assertRan(t, retry, http.StatusOK)
	if got := customerEventCount(t, world, id); got != written || len(addressesOf(t, profileData(t, decodeBody[map[string]any](t, retry)))) != 1 {
		t.Fatalf("events %d after the retry, %d before; answer %s", got, written, retry.Body)
	}
	// and that answer is the one kept from now on
	assertReplay(t, retry, serve(world.router, add()))
}

func testARequestWaitsForTheHolderThen409(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	token, _ := world.register(t, "ann@arequestwaitsfortheholder.example.com", customerPassword)
	update := func() *http.Request {
		return withKey(world.request(http.MethodPut, "/customer"+idempotencySite, token, `{"title":"Dr"}`), "slow-1")
	}
	// given a request holding its key while its read model is slow
	entered, release := make(chan struct{}), make(chan struct{})
	slow := deps
	slow.IdempotencyWait = 100 * time.Millisecond
	slow.WaitForCustomers = func(ctx context.Context, pos commands.Written) error {
		close(entered)
		<-release
		return deps.WaitForCustomers(ctx, pos)
	}
	client := newProfileClient(t, slow)
	held := make(chan *httptest.ResponseRecorder)
	go func() { held <- serve(client.router, update()) }()
	<-entered
	// when the same request comes in, then it waits, and past the wait answers 409 with Retry-After
	rec := client.send(t, update(), http.StatusConflict)
	if rec.Header().Get("Retry-After") == "" || profileErrorMessage(t, decodeBody[map[string]any](t, rec)) != i18n.Localize(i18n.Fallback, i18n.IdempotencyKeyInFlight) {
		t.Fatalf("busy answer: %v %s", rec.Header(), rec.Body)
	}
	// and once the holder answered, its answer is replayed
	close(release)
	first := <-held
	assertRan(t, first, http.StatusOK)
	assertReplay(t, first, client.send(t, update(), http.StatusOK))
}
