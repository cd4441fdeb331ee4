package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// appendPoison writes, straight through the store as an older release could have, a newsletter entry with a
// NUL in its first name, which PostgreSQL refuses in the read model; it returns the entry's stream.
func appendPoison(t *testing.T, cfg config.Config) string {
	t.Helper()
	deps, err := openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	stream, err := deps.Names.NewsletterStream(1232, "poison@example.com")
	if err != nil {
		t.Fatal(err)
	}
	_, err = deps.EventStore.Append(t.Context(), stream, eventstore.NoStream(), eventstore.EventData{ID: uuid.New(),
		Type: "newsletter.subscribed", Metadata: []byte(`{"schema_version":1}`),
		Data: []byte(`{"site_id":1232,"email":"poison@example.com","details":{"first_name":"a\u0000b"},"subscribed_at":"2025-03-01T09:00:00Z"}`)})
	if err != nil {
		t.Fatalf("append the poison event: %v", err)
	}
	return stream
}

func TestServeStartsWithAProjectionStoppedAndEveryToolNamesTheEvent(t *testing.T) {
	t.Parallel()
	// given a log whose newsletter entry the read model refuses
	cfg := catalogStore(t)
	stream := appendPoison(t, cfg)

	// when the server starts
	addr, stop := serveInBackground(t, cfg)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	base := "http://" + addr
	client := &http.Client{Timeout: 30 * time.Second}

	get := func(method, path string) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(`{"email":"ann@example.com"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("%s %s: body: %v", method, path, err)
		}
		return resp, body
	}
	eventually := func(what string, holds func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !holds(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
	}
	// then /readyz keeps the instance in rotation, degraded, naming the projection and the event it stopped
	// on once its retries ran out
	eventually("readyz names the stopped projection", func() bool {
		resp, body := get(http.MethodGet, "/readyz")
		details, _ := json.Marshal(body["details"])
		return resp.StatusCode == http.StatusOK && body["status"] == "degraded" && strings.Contains(string(details), `"projection":"newsletters.v1"`) &&
			strings.Contains(string(details), `"stream":"`+stream+`"`) && strings.Contains(string(details), `"event_type":"newsletter.subscribed"`)
	})
	// and what does not depend on the stopped projection is served
	eventually("the catalog is served", func() bool {
		resp, _ := get(http.MethodGet, "/api/v1/sdk/site?site_id=1232")
		return resp.StatusCode == http.StatusOK
	})
	// and a write that waits for the stopped projection is saved and answered 503
	if resp, body := get(http.MethodPost, "/api/v1/sdk/newsletter?site_id=1232"); resp.StatusCode != http.StatusServiceUnavailable ||
		resp.Header.Get("Retry-After") == "" {
		t.Fatalf("POST /newsletter = %d %v", resp.StatusCode, body)
	}
	// and the metrics carry the stopping event's position
	metrics, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer metrics.Body.Close()
	exposition, err := io.ReadAll(metrics.Body)
	if err != nil || !strings.Contains(string(exposition),
		`pelcro_projection_stopped_event_position{event_type="newsletter.subscribed",projection="newsletters.v1"}`) {
		t.Fatalf("metrics lack the stopped event position (%v):\n%s", err, exposition)
	}

	// and `pelcro projections status`, in another process than the server, shows it with the reason and fails
	out, err := projectionsCLI(t, cfg, "status")
	if err == nil || !strings.Contains(err.Error(), "1 projection(s) stopped: newsletters.v1 (on newsletter.subscribed at") {
		t.Fatalf("status error = %v, want the stopped projection named", err)
	}
	for _, want := range []string{"2 stopped", "newsletters.v1 stopped on newsletter.subscribed at position",
		"stream " + stream + ", revision 0", "PostgreSQL error 22021 (character_not_in_repertoire)"} {
		if !strings.Contains(fields(out), fields(want)) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
}

func TestStartingWaitsForProjectionsNotRunningYetButNotForStoppedOnes(t *testing.T) {
	t.Parallel()
	stopped := projections.Stop{Projection: "newsletters.v1"}
	cases := []struct {
		name      string
		readiness error
		want      bool
	}{
		{"every projection running", nil, false},
		{"one not running yet", &projections.NotReadyError{NotRunning: []string{"customers.v1"}}, true},
		{"one stopped, the others running", &projections.NotReadyError{Stopped: []projections.Stop{stopped}}, false},
		{"one stopped, one not running yet", &projections.NotReadyError{Stopped: []projections.Stop{stopped},
			NotRunning: []string{"customers.v1"}}, true},
		{"readiness unknown", errors.New("checkpoint table unreachable"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := notStarted(c.readiness); got != c.want {
				t.Fatalf("notStarted(%v) = %v, want %v", c.readiness, got, c.want)
			}
		})
	}
}
