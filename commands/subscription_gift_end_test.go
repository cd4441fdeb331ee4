package commands_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestADonorSeesTheGiftRunUntilTheLastTermTheyPaidEnds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		terms int // the terms Ann buys with gift renew once Zoe redeemed the gift
	}{
		{"redeemed, no term bought after", 0},
		{"redeemed, then one term bought", 1},
		{"redeemed, then two terms bought", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift, redeemed by Zoe, and the terms Ann bought her afterwards
			w := newGiftWorld(t)
			into := w.redeem(t)
			for range tc.terms {
				w.renewGift(t)
			}
			last := w.read(t, into).LastPeriodEnd()
			// when the billing clock runs past the gift's first period, Zoe still on a term Ann paid
			if got := w.billAll(t, w.donor.ID, last.Add(-1)); len(got) != 0 {
				t.Errorf("billing items %v before Zoe's last term ends, want none", got)
			}
			// then Ann sees her gift running; and it expires when Zoe's last term ends, not before
			if s := w.read(t, w.donor.ID); s.Status != subscription.StatusActive {
				t.Errorf("Ann's gift is %s while Zoe's term runs until %s, want active", s.Status, last)
			}
			if got := w.billAll(t, w.donor.ID, last.AddDate(0, 1, 0)); !slices.Equal(got, []string{"end:expired"}) {
				t.Errorf("billing items %v, want the gift's end", got)
			}
			if s := w.read(t, w.donor.ID); s.Status != subscription.StatusExpired || !s.EndedAt.Equal(last) {
				t.Errorf("Ann's gift is %s since %s, want expired at %s", s.Status, s.EndedAt, last)
			}
		})
	}
}
