package sandbox_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"testing"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

func TestOnlyAFailureARetryCanCureIsAnOutage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"a broken connection", driver.ErrBadConn, true},
		{"a connection lost mid-answer", io.ErrUnexpectedEOF, true},
		{"a context that ended", context.DeadlineExceeded, true},
		{"a serialization failure", &pq.Error{Code: "40001"}, true},
		{"a deadlock", &pq.Error{Code: "40P01"}, true},
		{"a statement timeout", &pq.Error{Code: "57014"}, true},
		{"too many connections", &pq.Error{Code: "53300"}, true},
		{"a NUL in a text value", &pq.Error{Code: "22021"}, false},
		{"a broken constraint", &pq.Error{Code: "23503"}, false},
		{"an unknown column", &pq.Error{Code: "42703"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// when the sandbox's database fails so
			err := sandbox.Unavailable(tt.err)
			// then only a failure a retry can cure asks the caller to retry; the cause stays in the chain
			if errors.Is(err, payments.ErrUnavailable) != tt.unavailable || !errors.Is(err, tt.err) {
				t.Errorf("%v: unavailable = %v, want %v", err, errors.Is(err, payments.ErrUnavailable), tt.unavailable)
			}
		})
	}
}
