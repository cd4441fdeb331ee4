package operator_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

// Given a customer whose history is spread over many streams whose events interleave in the log (invoices
// opened one after the other, paid in another order, profile changes in between), when the timeline is read
// in pages of any size, then the pages together give the whole history newest first, each event once.
func TestTimelinePagesOverManyInterleavedStreamsGiveTheWholeHistory(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var want []string // stream@position, oldest first
	record := func(stream string, events ...any) {
		p := w.append(stream, "customer:7", "req", events...)
		for i := range events { // the events of one append are consecutive in the log
			want = append(want, fmt.Sprintf("%s@%d/%d", stream, p.Commit, p.Prepare-uint64(len(events)-1-i)))
		}
	}
	record("customer-7", customer.Registered{CustomerID: annID, AccountID: 1, SiteID: annSite, Email: annEmail, RegisteredAt: at})
	const invoices = 9
	for k := range invoices {
		record(fmt.Sprintf("invoice-%d", k), invoice.Created{InvoiceID: int64(k), CustomerID: annID, AccountID: 1,
			SiteID: annSite, Status: invoice.StatusOpen, Currency: "usd", BillingReason: invoice.ReasonManual,
			Lines:   []invoice.Line{{Description: "Issue", UnitAmount: 500, Quantity: 1}},
			Amounts: invoice.Amounts{Subtotal: 500, Total: 500}, CreatedAt: at})
		if k%3 == 0 {
			record("customer-7", customer.ProfileChanged{CustomerID: annID, ChangedAt: at})
		}
	}
	paid := []int{4, 0, 8, 2, 6}
	for _, k := range paid {
		record(fmt.Sprintf("invoice-%d", k), invoice.PaymentAttempted{InvoiceID: int64(k), Attempt: 1,
			Amount: 500, Currency: "usd", AttemptedAt: at})
	}
	slices.Reverse(paid)
	for _, k := range paid {
		record(fmt.Sprintf("invoice-%d", k), invoice.Paid{InvoiceID: int64(k), CustomerID: annID, Attempt: 1,
			ChargeID: "ch", Amount: 500, Currency: "usd", PaidAt: at})
	}
	w.project()
	slices.Reverse(want)

	for _, limit := range []int{1, 2, 3, 5, 8, 13, 50} {
		t.Run(fmt.Sprint("pages of ", limit), func(t *testing.T) {
			var got []string
			for cursor, pages := "", 0; pages == 0 || cursor != ""; pages++ {
				if pages > len(want) {
					t.Fatalf("more than %d pages", len(want))
				}
				page, err := w.op.Timeline(t.Context(), annID, time.Time{}, limit, cursor)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Entries {
					got = append(got, e.Stream+"@"+e.At)
				}
				cursor = page.Next
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of %d gave\n%v\nwant\n%v", limit, got, want)
			}
		})
	}
}
