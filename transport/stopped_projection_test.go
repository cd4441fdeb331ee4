package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
)

// poison appends, straight through the store as an older release could have, an event the read models
// refuse (a NUL in a text field), and waits until the runner's projections stopped on it.
func poison(t *testing.T, store eventstore.Store, runner *projections.Runner, stream, eventType, data string) {
	t.Helper()
	_, err := store.Append(t.Context(), stream, eventstore.Any(), eventstore.EventData{ID: uuid.New(), Type: eventType,
		Data: []byte(data), Metadata: []byte(`{"schema_version":1}`)})
	if err != nil {
		t.Fatalf("append the poison event: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !errors.Is(runner.Ready(t.Context()), projections.ErrProjectionStopped) {
		if time.Now().After(deadline) {
			t.Fatalf("no projection stopped on the poison event: %v", runner.Ready(t.Context()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// eventCount is how many events the stream holds.
func eventCount(t *testing.T, store eventstore.Store, stream string) int {
	t.Helper()
	events, err := store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 1000)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatalf("read %s: %v", stream, err)
	}
	return len(events)
}

// retryOf marks req as an attempt of the request named key: the same key on every attempt makes the retry
// write nothing twice. Both headers carry it, the request id and the idempotency key, whichever the commands
// derive their ids from.
func retryOf(req *http.Request, key string) {
	req.Header.Set("X-Request-Id", key)
	req.Header.Set("Idempotency-Key", key)
}

// expectSavedNotVisibleYet fails unless rec is the documented 503 of a committed write, in the language.
func expectSavedNotVisibleYet(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder, message string) {
	t.Helper()
	documentChecker(t).CheckResponse(t, req, rec)
	body := decodeBody[errorBody](t, rec)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "5" ||
		body.Error.Status != 503 || body.Error.Message != message {
		t.Fatalf("answer = %d Retry-After %q %+v, want 503 after 5 s saying %q", rec.Code,
			rec.Header().Get("Retry-After"), body, message)
	}
}

func TestANewsletterWriteWaitingOnAStoppedProjectionAnswers503AndStands(t *testing.T) {
	t.Parallel()
	deps, store, runner := newsletterStack(t)
	router := newTestRouter(t, deps)
	// given the newsletters projection stopped on another entry's event
	names := testStreamNames(t)
	poisonStream, err := names.NewsletterStream(englishSite, "poison@example.com")
	if err != nil {
		t.Fatal(err)
	}
	poison(t, store, runner, poisonStream, "newsletter.subscribed",
		`{"site_id":1232,"email":"poison@example.com","details":{"first_name":"a\u0000b"},"subscribed_at":"2025-03-01T09:00:00Z"}`)
	ann, err := names.NewsletterStream(englishSite, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}

	for _, attempt := range []struct {
		name, language, message string
	}{
		{"first attempt", "en", "Your change was saved and will show shortly."},
		{"retry of the same request", "fr", "Votre modification a été enregistrée et apparaîtra sous peu."},
	} {
		// when Ann subscribes (and retries with the same request id)
		req := request(http.MethodPost, APIBasePath+"/newsletter?site_id=1232", "application/json",
			`{"email":"ann@example.com","first_name":"Ann"}`)
		req.Header.Set("Accept-Language", attempt.language) // a header: the retry must be the same request
		retryOf(req, "subscribe-ann-1")
		rec := serve(router, req)

		// then the answer says the change was saved and when to retry, and it was written exactly once
		expectSavedNotVisibleYet(t, req, rec, attempt.message)
		if n := eventCount(t, store, ann); n != 1 {
			t.Fatalf("%s: Ann's stream holds %d events, want 1", attempt.name, n)
		}
	}

	// and /readyz keeps the instance in rotation, degraded, naming the projection and the event without the
	// error or the refused value
	req := request(http.MethodGet, "/readyz", "", "")
	rec := serve(router, req)
	documentChecker(t).CheckResponse(t, req, rec)
	ready := decodeBody[struct {
		Status   string            `json:"status"`
		Failures map[string]string `json:"failures"`
		Details  struct {
			Projections struct {
				Stopped []struct {
					Projection string `json:"projection"`
					Stream     string `json:"stream"`
					Revision   uint64 `json:"revision"`
					EventType  string `json:"event_type"`
					Position   string `json:"position"`
				} `json:"stopped"`
			} `json:"projections"`
		} `json:"details"`
	}](t, rec)
	stopped := ready.Details.Projections.Stopped
	if rec.Code != http.StatusOK || ready.Status != "degraded" || ready.Failures["projections"] == "" ||
		len(stopped) != 1 || stopped[0].Projection != "newsletters.v1" ||
		stopped[0].Stream != poisonStream || stopped[0].Revision != 0 ||
		stopped[0].EventType != "newsletter.subscribed" || stopped[0].Position == "" {
		t.Fatalf("readyz = %d %s", rec.Code, rec.Body)
	}
	if text := rec.Body.String(); strings.Contains(text, "UTF8") || strings.Contains(text, `a\u0000b`) {
		t.Fatalf("readyz quotes the failure: %s", text)
	}
}

func TestACustomerWriteWaitingOnAStoppedProjectionAnswers503WhileOtherEndpointsServe(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	annToken, annID := world.register(t, customerTestEmail, customerPassword)
	_, bobID := world.register(t, "bob@example.com", customerPassword)
	// given the customers projection stopped on Bob's event
	poison(t, world.store, world.runner, fmt.Sprintf("customer-%d", bobID), "customer.profile_changed",
		fmt.Sprintf(`{"customer_id":%d,"profile":{"first_name":"a\u0000b"},"changed_at":"2025-03-01T09:00:00Z"}`, bobID))
	annStream := fmt.Sprintf("customer-%d", annID)
	before := eventCount(t, world.store, annStream)

	// when Ann changes her name, then retries the same request
	for attempt := range 2 {
		req := world.request(http.MethodPut, fmt.Sprintf("/customer?site_id=%d", customerSite), annToken, `{"last_name":"Lee"}`)
		retryOf(req, "rename-ann-1")
		rec := serve(world.router, req)

		// then the change was saved once and the answer says so
		expectSavedNotVisibleYet(t, req, rec, "Your change was saved and will show shortly.")
		if n := eventCount(t, world.store, annStream); n != before+1 {
			t.Fatalf("attempt %d: Ann's stream grew from %d to %d events, want one more", attempt+1, before, n)
		}
	}

	// and endpoints that do not wait for the stopped projection keep answering
	for _, req := range []*http.Request{
		world.request(http.MethodGet, fmt.Sprintf("/site?site_id=%d", customerSite), "", ""),
		world.request(http.MethodPost, fmt.Sprintf("/customer?site_id=%d", customerSite), annToken, ""),
		world.request(http.MethodPost, fmt.Sprintf("/customer/refresh?site_id=%d", customerSite), annToken, ""),
	} {
		rec := serve(world.router, req)
		documentChecker(t).CheckResponse(t, req, rec)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s %s = %d %s while customers.v1 is stopped", req.Method, req.URL.Path, rec.Code, rec.Body)
		}
	}
	if err := world.runner.WaitFor(context.Background(), mustHead(t, world.store), catalogprojections.Names()...); err != nil {
		t.Fatalf("the catalog projections stopped too: %v", err)
	}
}
