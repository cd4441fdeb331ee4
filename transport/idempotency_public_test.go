package transport

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

// publicCall is a public request from a client address, with an Idempotency-Key.
func publicCall(router http.Handler, method, target, from, key, body string) *httptest.ResponseRecorder {
	req := withKey(request(method, APIBasePath+target, "application/json", body), key)
	req.RemoteAddr = from + ":40000"
	return serve(router, req)
}

// TestIdempotencyKeysOfPublicCallers runs in order on one stack (with the proof that X-Request-Id is no
// such key): its last step moves the store's clock. Like TestIdempotencyKeysOfCustomers it runs before the
// package's parallel tests, which use up the shared PostgreSQL's connections.
func TestIdempotencyKeysOfPublicCallers(t *testing.T) {
	deps, _, _ := newsletterStack(t)
	deps.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	var ahead atomic.Int64
	store := deps.Idempotency.(*idempotency.Store)
	store.Now = func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	router := newTestRouter(t, deps)
	subscribe := `{"email":"ann@example.com","first_name":"Ann"}`

	// given a subscription sent with a key from one address
	first := publicCall(router, http.MethodPost, "/newsletter?site_id=1232", "192.0.2.1", "sub-1", subscribe)
	assertRan(t, first, http.StatusOK)
	t.Run("the same caller replays", func(t *testing.T) {
		// when the same address sends it again, even naming another address in a header it does not
		// control, or through a trusted proxy that vouches for it, then the first answer comes back
		assertReplay(t, first, publicCall(router, http.MethodPost, "/newsletter?site_id=1232", "192.0.2.1", "sub-1", subscribe))
		forged := withKey(request(http.MethodPost, APIBasePath+"/newsletter?site_id=1232", "application/json", subscribe), "sub-1")
		forged.RemoteAddr, forged.Header["X-Forwarded-For"] = "192.0.2.1:40000", []string{"198.51.100.7"}
		assertReplay(t, first, serve(router, forged))
		proxied := withKey(request(http.MethodPost, APIBasePath+"/newsletter?site_id=1232", "application/json", subscribe), "sub-1")
		proxied.RemoteAddr, proxied.Header["X-Forwarded-For"] = "10.0.0.1:40000", []string{"192.0.2.1"}
		assertReplay(t, first, serve(router, proxied))
	})
	t.Run("another address is another caller", func(t *testing.T) {
		// when another address sends the very same request under the key, then it runs for that caller
		// (and is refused: the email is subscribed)
		assertRan(t, publicCall(router, http.MethodPost, "/newsletter?site_id=1232", "192.0.2.2", "sub-1", subscribe), http.StatusBadRequest)
	})
	t.Run("another site is another caller", func(t *testing.T) {
		// when the address uses the key on another site, then it runs there rather than being a mismatch
		assertRan(t, publicCall(router, http.MethodPost, "/newsletter?site_id=77", "192.0.2.1", "sub-1", subscribe), http.StatusOK)
	})
	t.Run("a path variable is part of the request", func(t *testing.T) {
		// when the key of an update of one email is used to update another, then it is a mismatch
		publicCall(router, http.MethodPost, "/newsletter?site_id=1232", "192.0.2.1", "sub-2", `{"email":"bea@example.com"}`)
		assertRan(t, publicCall(router, http.MethodPut, "/newsletter/ann@example.com?site_id=1232", "192.0.2.1", "put-1", `{"lists":"daily"}`), http.StatusOK)
		assertRan(t, publicCall(router, http.MethodPut, "/newsletter/bea@example.com?site_id=1232", "192.0.2.1", "put-1", `{"lists":"daily"}`), http.StatusUnprocessableEntity)
	})
	t.Run("a repeated request id is not a retry", func(t *testing.T) {
		testARepeatedRequestIDIsNotANewsletterRetry(t, router)
	})
	t.Run("a key is forgotten after 24 hours", func(t *testing.T) {
		update := func(body string) *httptest.ResponseRecorder {
			return publicCall(router, http.MethodPut, "/newsletter/ann@example.com?site_id=1232", "192.0.2.1", "put-2", body)
		}
		first := update(`{"last_name":"Lee"}`)
		assertRan(t, first, http.StatusOK)
		// when a day less a minute went by, then the key still replays and refuses another request
		ahead.Store(int64(idempotency.Window - time.Minute))
		assertReplay(t, first, update(`{"last_name":"Lee"}`))
		assertRan(t, update(`{"last_name":"Kim"}`), http.StatusUnprocessableEntity)
		// when the day is over, then the key is new: another request under it runs and takes effect
		ahead.Store(int64(idempotency.Window))
		again := update(`{"last_name":"Kim"}`)
		assertRan(t, again, http.StatusOK)
		if got := decodeBody[map[string]any](t, again)["data"].(map[string]any)["last_name"]; got != "Kim" {
			t.Fatalf("last_name = %v after the key expired", got)
		}
	})
}
