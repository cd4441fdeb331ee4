package customer_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestASignInIsARecordOutsideTheCustomersState(t *testing.T) {
	t.Parallel()
	t.Run("a verified sign-in is recorded with its site, method and time", func(t *testing.T) {
		t.Parallel()
		got := customer.RecordLogin(annID, customer.Login{SiteID: 1233, Method: customer.MethodPassword}, now)
		if want := (customer.LoggedIn{CustomerID: annID, SiteID: 1233, Method: "password", LoggedInAt: now}); got != want {
			t.Fatalf("record = %+v, want %+v", got, want)
		}
	})
	t.Run("a record older versions wrote into the customer's stream changes nothing of the customer", func(t *testing.T) {
		t.Parallel()
		// given a customer, when a sign-in record of their stream is folded, then the state is as before
		before := stateOf(registered())
		if after := customer.Evolve(before, customer.LoggedIn{CustomerID: annID, SiteID: 1232, Method: "idp:google",
			LoggedInAt: now}); !reflect.DeepEqual(after, before) {
			t.Fatalf("a sign-in record changed the customer:\n%+v\nwas\n%+v", after, before)
		}
	})
	t.Run("sign-in streams are not customer streams", func(t *testing.T) {
		t.Parallel()
		// customer-<id> streams are the data subjects of the personal-data store and the customers projection's
		// revision guard: a sign-in stream named inside that prefix would be taken for one
		if strings.HasPrefix(customer.SignInStreamPrefix, "customer-") {
			t.Fatalf("sign-in streams start with %q", customer.SignInStreamPrefix)
		}
	})
}
