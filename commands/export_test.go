package commands

import (
	"context"
	"time"
)

// The names streams had before keyed names, for the tests that write such streams and check they still count.
var (
	LegacyReservationKey = legacyReservationKey
	LegacyNewsletterID   = legacyNewsletterID
)

// RecordedID is recordedID, for the tests of records made by commands that create something.
var RecordedID = recordedID

// Alike marks env as a command every process decides alike (Envelope.alike), as the billing clock's are.
func Alike(env Envelope) Envelope {
	env.alike = true
	return env
}

// BillingReadsFreshFor is billingReadsFreshFor, for the tests of the billing run's read-ahead bound.
const BillingReadsFreshFor = billingReadsFreshFor

// WithRecentReadsClock is ctx carrying the billing run's recent reads (as ReadDue creates them) timed by now
// instead of time.Now, for the tests of the read-ahead bound.
func WithRecentReadsClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, recentReadsKey{}, &recentReads{bound: billingReadsFreshFor, now: now,
		reads: map[cacheKey]recentRead{}})
}
