package customer

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// The sign-in steps of TestCustomerRows: sign-ins have a stream of their own, guarded by its own revision,
// and older logs hold them in the customer's stream.

// signedIn is a record of customer 7's sign-in stream at its revision.
func signedIn(revision uint64, method string, when time.Time) step {
	return loggedIn(customer.SignInStreamPrefix+"7", revision, method, when)
}

// loggedInOfOld is a sign-in an older version wrote into customer 7's own stream, at its revision there.
func loggedInOfOld(revision uint64, method string, when time.Time) step {
	return loggedIn("customer-7", revision, method, when)
}

func loggedIn(stream string, revision uint64, method string, when time.Time) step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return projections.ApplyStatement(applyLoggedIn)(ctx, tx, projections.Event[customer.LoggedIn]{
			Envelope: projections.Envelope{Stream: stream, Revision: revision},
			Data:     customer.LoggedIn{CustomerID: 7, SiteID: 1232, Method: method, LoggedInAt: when}})
	}
}

// profileAt5 is a profile change at revision 5 of customer 7's stream, and profiled what it does to the row.
var profileAt5 = at(5, projections.ApplyStatement(applyProfileChanged), customer.ProfileChanged{CustomerID: 7, ChangedAt: t1,
	Profile: customer.Profile{FirstName: "Anne", Language: "en"}})

func profiled(r *row) { r.FirstName, r.Metadata, r.UpdatedAt, r.Revision = "Anne", `{}`, t1, 5 }
