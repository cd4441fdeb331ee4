package transport

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestAPaymentFailureIsAnOutageOnlyWhenTheGatewayDidNotAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter bool
		logged     bool
	}{
		{"the gateway did not answer", fmt.Errorf("%w: stripe: timeout", payments.ErrUnavailable), 503, true, false},
		{"a failure of ours", errors.New("sandbox: pq: invalid byte sequence for encoding \"UTF8\": 0x00 (22021)"), 500, false, true},
		{"an invalid token", &payments.Declined{Reason: payments.InvalidToken}, 404, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log bytes.Buffer
			h := walletHandlers{customerHandlers{deps: Dependencies{Logger: slog.New(slog.NewTextHandler(&log, nil))}}}
			r, _ := withState(httptest.NewRequest(http.MethodPost, "/payment_methods", nil), "request-id")
			rec := httptest.NewRecorder()
			// when a payment command fails so
			h.refuseCard(rec, r, tt.err)
			// then only an unanswered gateway asks for a retry, and only a failure of ours is logged, as an error
			if rec.Code != tt.status || (rec.Header().Get("Retry-After") != "") != tt.retryAfter {
				t.Errorf("answer %d (Retry-After %q), want %d", rec.Code, rec.Header().Get("Retry-After"), tt.status)
			}
			if logged := strings.Contains(log.String(), "level=ERROR"); logged != tt.logged {
				t.Errorf("logged %q, want an error logged: %v", log.String(), tt.logged)
			}
		})
	}
}
