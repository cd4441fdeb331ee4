package personaldata_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
)

// invitees reads the invited addresses of a subscription stream through store, by member id.
func invitees(t *testing.T, store eventstore.Store, stream string) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for _, r := range readStream(t, store, stream) {
		value, err := subscription.Events.Decode(r.Type, 1, r.Data)
		if err != nil {
			t.Fatalf("decode %s: %v", r.Type, err)
		}
		if invited, ok := value.(subscription.MemberInvited); ok {
			out[invited.MemberID] = invited.Email
		}
	}
	return out
}

func TestAPartIsErasedAloneOrWithItsSubject(t *testing.T) {
	t.Parallel()
	// Given a subscription stream inviting two addresses, each sealed under a part of its own
	env := personaldatatest.New(t, personaldatatest.Postgres, personaldata.Config{Subjects: []string{"subscription-"},
		Events: subscription.Events})
	stream := "subscription-9"
	events := personaldatatest.Encode(t, subscription.Events,
		subscription.MemberInvited{SubscriptionID: 9, MemberID: 1, Email: "first.invitee@example.com", InvitedAt: at},
		subscription.MemberInvited{SubscriptionID: 9, MemberID: 2, Email: "second.invitee@example.com", InvitedAt: at})
	if _, err := env.Store.Append(t.Context(), stream, eventstore.Any(), events...); err != nil {
		t.Fatal(err)
	}
	stored := readStream(t, env.Inner, stream)
	var subjects []string
	if err := env.DB.Select(&subjects, `SELECT subject FROM personal_data_keys ORDER BY subject`); err != nil {
		t.Fatal(err)
	}
	if want := "subscription-9/member_id-1 subscription-9/member_id-2"; strings.Join(subjects, " ") != want {
		t.Fatalf("keys = %v, want %s (named by ids, never by addresses)", subjects, want)
	}
	for _, e := range stored {
		if strings.Contains(string(e.Data), "invitee") {
			t.Fatalf("stored in clear: %s", e.Data)
		}
	}
	if got := invitees(t, env.Store, stream); got[1] != "first.invitee@example.com" || got[2] != "second.invitee@example.com" {
		t.Fatalf("before any erasure: %v", got)
	}

	// When the first invitee's part is erased
	had, err := env.Store.ErasePart(t.Context(), personaldata.PartSubject(stream, "member_id", 1))
	if err != nil || !had {
		t.Fatalf("ErasePart = %v, %v; want true", had, err)
	}
	// Then their address reads as empty in this process and in another, and the second stays
	for name, store := range map[string]eventstore.Store{"this process": env.Store, "another": env.Another()} {
		if got := invitees(t, store, stream); got[1] != "" || got[2] != "second.invitee@example.com" {
			t.Errorf("%s after the part's erasure: %v", name, got)
		}
	}
	// And erasing it again reports it erased (it was); a part never sealed under reports false, every time;
	// a name that is no part is refused
	if had, err := env.Store.ErasePart(t.Context(), personaldata.PartSubject(stream, "member_id", 1)); err != nil || !had {
		t.Errorf("ErasePart again = %v, %v; want true", had, err)
	}
	for range 2 {
		if had, err := env.Store.ErasePart(t.Context(), personaldata.PartSubject(stream, "member_id", 7)); err != nil || had {
			t.Errorf("ErasePart of a part never sealed under = %v, %v; want false", had, err)
		}
	}
	for _, name := range []string{stream, "customer-1/member_id-1", "subscription-9"} {
		if _, err := env.Store.ErasePart(t.Context(), name); !errors.Is(err, personaldata.ErrNotAPart) {
			t.Errorf("ErasePart(%q) = %v, want ErrNotAPart", name, err)
		}
	}

	// When the subscription itself is erased, its remaining part goes with it
	erased := personaldatatest.Encode(t, subscription.Events, subscription.Erased{SubscriptionID: 9, ErasedAt: at})
	if _, err := env.Store.Append(t.Context(), stream, eventstore.Any(), erased...); err != nil {
		t.Fatal(err)
	}
	if got := invitees(t, env.Another(), stream); got[1] != "" || got[2] != "" {
		t.Errorf("after the subscription's erasure: %v", got)
	}
	var left int
	if err := env.DB.Get(&left, `SELECT count(*) FROM personal_data_keys`); err != nil || left != 0 {
		t.Errorf("%d keys left (%v), want none", left, err)
	}
}
