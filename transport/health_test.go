package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	ok := ReadinessCheck{Name: "database", Check: func(context.Context) error { return nil }}
	down := ReadinessCheck{Name: "eventstore", Check: func(context.Context) error { return errors.New("connection refused") }}
	detailed := ReadinessCheck{Name: "projections", Check: func(context.Context) error {
		return fmt.Errorf("wrapped: %w", detailedFailure{text: "p.v1 stopped"})
	}}
	// degraded fails the way a stopped projection does: this instance serves, every instance shares the state
	degraded := ReadinessCheck{Name: "projections", Check: func(context.Context) error {
		return fmt.Errorf("wrapped: %w", detailedFailure{text: "p.v1 stopped", degraded: true})
	}}
	// hung ignores its deadline, as the event store client did when its node could not be reached
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hung := ReadinessCheck{Name: "eventstore", Check: func(context.Context) error { <-release; return nil }}

	cases := []struct {
		name       string
		checks     []ReadinessCheck
		path       string
		wantStatus int
		wantBody   map[string]any
	}{
		{"alive whatever the dependencies", []ReadinessCheck{down}, "/healthz", 200, map[string]any{"status": "ok"}},
		{"ready when every check passes", []ReadinessCheck{ok}, "/readyz", 200, map[string]any{"status": "ready"}},
		{"not ready names the failing dependency", []ReadinessCheck{ok, down}, "/readyz", 503, map[string]any{
			"status": "unavailable", "failures": map[string]any{"eventstore": "connection refused"},
		}},
		{"a failure with details shows them next to its text", []ReadinessCheck{ok, detailed}, "/readyz", 503, map[string]any{
			"status": "unavailable", "failures": map[string]any{"projections": "wrapped: p.v1 stopped"},
			"details": map[string]any{"projections": map[string]any{"stopped": []any{"p.v1"}}},
		}},
		{"a degraded failure keeps the instance in rotation and names it", []ReadinessCheck{ok, degraded}, "/readyz", 200, map[string]any{
			"status": "degraded", "failures": map[string]any{"projections": "wrapped: p.v1 stopped"},
			"details": map[string]any{"projections": map[string]any{"stopped": []any{"p.v1"}}},
		}},
		{"a degraded failure next to a missing dependency is not ready", []ReadinessCheck{degraded, down}, "/readyz", 503, map[string]any{
			"status": "unavailable", "failures": map[string]any{"eventstore": "connection refused", "projections": "wrapped: p.v1 stopped"},
			"details": map[string]any{"projections": map[string]any{"stopped": []any{"p.v1"}}},
		}},
		{"a degraded failure that does not answer is not ready", []ReadinessCheck{hung, degraded}, "/readyz", 503, map[string]any{
			"status": "unavailable", "failures": map[string]any{"eventstore": "no answer within 2s", "projections": "wrapped: p.v1 stopped"},
			"details": map[string]any{"projections": map[string]any{"stopped": []any{"p.v1"}}},
		}},
		{"a check that does not answer fails at the budget", []ReadinessCheck{ok, hung}, "/readyz", 503, map[string]any{
			"status": "unavailable", "failures": map[string]any{"eventstore": "no answer within 2s"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a router with the dependencies' checks
			router := newTestRouter(t, Dependencies{Readiness: tc.checks})
			// when the probe asks
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			// then it answers with the status and body a load balancer reads
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", rec.Body.String(), err)
			}
			if !equalJSON(got, tc.wantBody) {
				t.Fatalf("body = %v, want %v", got, tc.wantBody)
			}
		})
	}
}

// detailedFailure is a check error with details, degraded or not, as projections.NotReadyError is.
type detailedFailure struct {
	text     string
	degraded bool
}

func (f detailedFailure) Error() string           { return f.text }
func (f detailedFailure) ReadinessDetails() any   { return map[string][]string{"stopped": {"p.v1"}} }
func (f detailedFailure) ReadinessDegraded() bool { return f.degraded }

func equalJSON(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
