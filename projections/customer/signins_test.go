package customer

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// signedIn is a record of customer 7's sign-in stream at its revision.
func signedIn(revision uint64, method string, when time.Time) step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return applyLoggedIn(ctx, tx, projections.Event[customer.LoggedIn]{
			Envelope: projections.Envelope{Stream: customer.SignInStreamPrefix + "7", Revision: revision},
			Data:     customer.LoggedIn{CustomerID: 7, SiteID: 1232, Method: method, LoggedInAt: when}})
	}
}

// loggedInOfOld is a sign-in an older version wrote into customer 7's own stream, at its revision there.
func loggedInOfOld(revision uint64, method string, when time.Time) step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return applyLoggedIn(ctx, tx, projections.Event[customer.LoggedIn]{
			Envelope: projections.Envelope{Stream: "customer-7", Revision: revision},
			Data:     customer.LoggedIn{CustomerID: 7, SiteID: 1232, Method: method, LoggedInAt: when}})
	}
}

// lastSignIn is what the customers row says of the last sign-in, and the revisions guarding it.
type lastSignIn struct {
	Method         string    `db:"last_login_method"`
	At             time.Time `db:"last_login_at"`
	UpdatedAt      time.Time `db:"updated_at"`
	Revision       int64     `db:"revision"`
	SignInRevision *int64    `db:"sign_in_revision"`
}

func TestSignInRecordsHaveAGuardOfTheirOwn(t *testing.T) {
	t.Parallel()
	profileAt5 := at(5, applyProfileChanged, customer.ProfileChanged{CustomerID: 7, ChangedAt: t1,
		Profile: customer.Profile{FirstName: "Anne", Language: "en"}})
	zero, one := int64(0), int64(1)
	cases := []struct {
		name  string
		given []step
		when  step
		then  lastSignIn
	}{
		{"a record applies whatever the customer stream's revision",
			[]step{registered, profileAt5}, signedIn(0, "password", t2),
			lastSignIn{Method: "password", At: t2, UpdatedAt: t2, Revision: 5, SignInRevision: &zero}},
		{"an earlier record delivered again changes nothing",
			[]step{registered, signedIn(0, "password", t1), signedIn(1, "passwordless", t2)}, signedIn(0, "password", t1),
			lastSignIn{Method: "passwordless", At: t2, UpdatedAt: t2, Revision: 0, SignInRevision: &one}},
		{"an event of the customer's stream delivered again leaves the last sign-in",
			[]step{registered, profileAt5, signedIn(0, "idp:google", t2)}, profileAt5,
			lastSignIn{Method: "idp:google", At: t2, UpdatedAt: t2, Revision: 5, SignInRevision: &zero}},
		{"a sign-in of an older version's customer stream still applies, by that stream's revision",
			[]step{registered}, loggedInOfOld(1, "password", t1),
			lastSignIn{Method: "password", At: t1, UpdatedAt: t1, Revision: 1}},
		{"the first record after an older version's sign-ins takes over",
			[]step{registered, loggedInOfOld(1, "password", t1)}, signedIn(0, "passwordless", t2),
			lastSignIn{Method: "passwordless", At: t2, UpdatedAt: t2, Revision: 1, SignInRevision: &zero}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := projectiontest.ReadModels(t)
			// given the customer's history
			for _, s := range tc.given {
				projectiontest.InTx(t, db, s)
			}
			// when the event is applied, and once more (a redelivery)
			projectiontest.InTx(t, db, tc.when)
			projectiontest.InTx(t, db, tc.when)
			// then the row shows the last sign-in the log holds
			var got lastSignIn
			if err := db.GetContext(t.Context(), &got, `SELECT last_login_method, last_login_at, updated_at, revision,
				sign_in_revision FROM customers WHERE id = 7`); err != nil {
				t.Fatal(err)
			}
			same := got.Method == tc.then.Method && got.At.Equal(tc.then.At) && got.UpdatedAt.Equal(tc.then.UpdatedAt) &&
				got.Revision == tc.then.Revision && (got.SignInRevision == nil) == (tc.then.SignInRevision == nil) &&
				(got.SignInRevision == nil || *got.SignInRevision == *tc.then.SignInRevision)
			if !same {
				t.Fatalf("last sign-in %+v (sign-in revision %v), want %+v (%v)", got, deref(got.SignInRevision), tc.then,
					deref(tc.then.SignInRevision))
			}
		})
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
