package postgres

import (
	"log/slog"
	"time"
)

// Option tunes a Store. The defaults suit production; tests shorten or lengthen them to make one mechanism
// observable on its own.
type Option func(*options)

type options struct {
	listenURL    string
	pollInterval time.Duration
	pageSize     int
	logger       *slog.Logger
}

func defaultOptions() options {
	return options{
		pollInterval: time.Second,
		pageSize:     2000,
		logger:       slog.Default(),
	}
}

// WithListenURL names the database (a lib/pq connection string or URL) a subscription LISTENs on, so appends
// made by other processes wake it at once. Without it, subscriptions are woken at once by appends made
// through this Store and otherwise only by the fallback poll. Open sets it.
func WithListenURL(url string) Option {
	return func(o *options) { o.listenURL = url }
}

// WithPollInterval sets how long a live subscription waits without any wake-up before it looks again. The
// poll is the safety net for lost notifications and for events held back behind an append still in flight;
// shortening it costs idle queries, lengthening it delays delivery only when a notification is lost.
func WithPollInterval(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.pollInterval = d
		}
	}
}

// WithPageSize sets how many rows a subscription reads from the log per query while catching up. Larger
// pages raise catch-up throughput and the memory one subscription holds.
func WithPageSize(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.pageSize = n
		}
	}
}

// WithLogger receives the problems the Store handles on its own (a failed notification, a subscription
// query retried after a dropped connection). Default: slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}
