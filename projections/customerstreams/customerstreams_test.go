package customerstreams

import (
	"context"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// in is an event of stream, as the runner hands it over.
func in[E any](stream string, apply projections.ApplyFunc[E], data E) projectiontest.Step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return apply(ctx, tx, projections.Event[E]{Envelope: projections.Envelope{Stream: stream}, Data: data})
	}
}

var (
	registered = in("customer-7", applyRegistered, customer.Registered{CustomerID: 7, SiteID: 3, Email: "Ann@Example.com"})
	signedIn   = in("customer_signins-7", applyLoggedIn, customer.LoggedIn{CustomerID: 7, SiteID: 3})
	cardSaved  = in("wallet-7", streamOf(func(d wallet.PaymentMethodSaved) int64 { return d.CustomerID }),
		wallet.PaymentMethodSaved{CustomerID: 7})
	invoiced = in("invoice-20", streamOf(func(d invoice.Created) int64 { return d.CustomerID }),
		invoice.Created{InvoiceID: 20, CustomerID: 7})
	subscribed = in("newsletter-n1", applyNewsletter(func(d newsletter.Subscribed) (int64, string) { return d.SiteID, d.Email }),
		newsletter.Subscribed{SiteID: 3, Email: "ann@example.com"})
	otherSite = in("newsletter-n2", applyNewsletter(func(d newsletter.Subscribed) (int64, string) { return d.SiteID, d.Email }),
		newsletter.Subscribed{SiteID: 4, Email: "ann@example.com"})
	emailChanged  = in("customer-7", applyEmailChanged, customer.EmailChanged{CustomerID: 7, Email: "new@example.com"})
	newSubscribed = in("newsletter-n3", applyNewsletter(func(d newsletter.Subscribed) (int64, string) { return d.SiteID, d.Email }),
		newsletter.Subscribed{SiteID: 3, Email: "NEW@example.com"})
	erased = in("customer-7", applyErased, customer.Erased{CustomerID: 7})
)

func streamsOf(t *testing.T, db *sqlx.DB, customerID int64) []string {
	t.Helper()
	var streams []string
	if err := db.Select(&streams, `SELECT stream FROM customer_streams WHERE customer_id = $1 ORDER BY stream`, customerID); err != nil {
		t.Fatal(err)
	}
	return streams
}

func TestEveryStreamOfACustomerIsIndexedOnceWhateverTheOrder(t *testing.T) {
	t.Parallel()
	want := []string{"customer-7", "customer_signins-7", "invoice-20", "newsletter-n1", "newsletter-n3", "wallet-7"}
	tests := []struct {
		name  string
		given []projectiontest.Step
		when  projectiontest.Step
	}{
		{"newsletter entries after the customer", []projectiontest.Step{registered, signedIn, cardSaved, invoiced,
			subscribed, otherSite, emailChanged}, newSubscribed},
		{"newsletter entries before the customer", []projectiontest.Step{subscribed, otherSite, newSubscribed,
			registered, signedIn, cardSaved, invoiced}, emailChanged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			if got := streamsOf(t, db, 7); !slices.Equal(got, want) {
				t.Errorf("streams = %v, want %v (site 4's entry is someone else's)", got, want)
			}
		})
	}
}

// TestAnErasureForgetsTheEmailsAndTheLinksTheyMade: an erasure deletes the erased side's emails and the
// customer–newsletter links they made (a rebuild, reading the erased emails as empty, could not make them
// again), and nothing else: the customer keeps the streams named by their id, the other side its email.
func TestAnErasureForgetsTheEmailsAndTheLinksTheyMade(t *testing.T) {
	t.Parallel()
	newsletterErased := in("newsletter-n1", applyNewsletterErased, newsletter.Erased{SiteID: 3})
	count := func(t *testing.T, db *sqlx.DB, table string) int {
		t.Helper()
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name                             string
		when                             projectiontest.Step
		streams                          []string
		customerEmails, newsletterEmails int
	}{
		{"the customer erased", erased, []string{"customer-7", "invoice-20"}, 0, 1},
		{"the newsletter entry erased", newsletterErased, []string{"customer-7", "invoice-20"}, 1, 0},
		{"the newsletter entry erased by `pelcro newsletter erase`", func(ctx context.Context, tx *sqlx.Tx) error {
			return ForgetNewsletter(ctx, tx, 3, " ANN@example.com ")
		}, []string{"customer-7", "invoice-20"}, 1, 0},
		{"the customer erased by `pelcro customers erase`", func(ctx context.Context, tx *sqlx.Tx) error {
			return Forget(ctx, tx, 7)
		}, []string{"customer-7", "invoice-20"}, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := projectiontest.Redelivered(t, []projectiontest.Step{registered, invoiced, subscribed}, tc.when)
			if got := streamsOf(t, db, 7); !slices.Equal(got, tc.streams) {
				t.Errorf("streams = %v, want %v", got, tc.streams)
			}
			if got := count(t, db, "customer_stream_emails"); got != tc.customerEmails {
				t.Errorf("customer emails = %d, want %d", got, tc.customerEmails)
			}
			if got := count(t, db, "newsletter_stream_emails"); got != tc.newsletterEmails {
				t.Errorf("newsletter emails = %d, want %d", got, tc.newsletterEmails)
			}
		})
	}
}

// TestEveryEventOfTheIndexedAggregatesMovesItsStreamsPositions holds handlers to the registries: an event type
// added to one of these aggregates without a handler here would leave its stream's last position behind.
func TestEveryEventOfTheIndexedAggregatesMovesItsStreamsPositions(t *testing.T) {
	t.Parallel()
	registry, err := aggregates.Merge(customer.Events, wallet.Events, invoice.Events, newsletter.Events,
		subscription.Events)
	if err != nil {
		t.Fatal(err)
	}
	fold, err := projections.NewFold(registry, Projection())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range registry.Names() {
		if handled, err := fold.Handles(eventstore.RecordedEvent{Type: name, Data: []byte(`{}`)}); err != nil || !handled {
			t.Errorf("%s: handled %v, %v", name, handled, err)
		}
	}
}

func TestAStreamsLastPositionOnlyMovesForwards(t *testing.T) {
	t.Parallel()
	at := func(commit uint64) projectiontest.Step {
		return func(ctx context.Context, tx *sqlx.Tx) error {
			return touch(ctx, tx, projections.Envelope{Stream: "invoice-1", Position: eventstore.Position{Commit: commit, Prepare: 1}})
		}
	}
	db := projectiontest.Redelivered(t, []projectiontest.Step{at(10), at(1 << 63), at(12)}, at(11))
	var first, last string
	if err := db.QueryRow(`SELECT first_commit::text, last_commit::text FROM customer_stream_positions`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if first != "10" || last != "9223372036854775808" {
		t.Errorf("first %s, last %s", first, last)
	}
}
