package main

import (
	"strconv"
	"strings"
	"testing"
)

func TestAuditCustomerByIDRefusesASiteThatIsNotTheCustomersAsAnUnknownCustomer(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)
	id := strconv.FormatInt(w.ann, 10)
	_, unknown := w.pelcro("audit", "customer", "999999")
	if unknown == nil {
		t.Fatal("an unknown customer was audited")
	}
	refusal := strings.ReplaceAll(unknown.Error(), "999999", id)

	for _, site := range []string{"9999", "1"} {
		t.Run("site "+site, func(t *testing.T) {
			// When the customer is audited by id with a site they are not a customer of
			out, err := w.pelcro("audit", "customer", id, "--site", site)

			// Then it is refused as an unknown customer is, and nothing of the timeline shows
			if err == nil || err.Error() != refusal {
				t.Errorf("err = %v, want %q", err, refusal)
			}
			if strings.Contains(out, "registered") {
				t.Errorf("printed the timeline:\n%s", out)
			}
		})
	}
	t.Run("their site", func(t *testing.T) {
		// When it is audited with the customer's own site, then it prints their timeline
		out := w.mustPelcro("audit", "customer", id, "--site", strconv.FormatInt(eraseSite, 10))
		if !strings.Contains(out, "Customer "+id+" registered on site 1232") {
			t.Errorf("timeline:\n%s", out)
		}
	})
}
