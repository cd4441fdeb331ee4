package customer

import "time"

// SignInStreamPrefix starts the name of a customer's sign-in stream, "customer_signins-<id>": the records of
// their sign-ins (LoggedIn). Signing in is the commonest thing a customer does; kept in the customer's
// stream, it would grow the history every command on the customer folds. A sign-in is decided on the
// customer's stream (a password, a token, an identity checked against the state) and then recorded in this
// one, which nothing decides on and nothing folds: only the customers read model reads it, for the last
// sign-in. LoggedIn events written before this stream existed stay in customer streams, where Evolve folds
// past them and the read model still applies them.
//
// Warning: a stored format (stream names): changing it orphans every sign-in record, and the customers
// projection tells records by it. It must not start with "customer-", which names customers' own streams
// (the data subjects of internal/personaldata).
const SignInStreamPrefix = "customer_signins-"

// Login is a successful sign-in the caller verified (password, token, or an identity provider's token).
type Login struct {
	SiteID int64
	// Method is how the customer proved who they are: "password", "idp:google", …
	Method string
}

// RecordLogin is the record of a sign-in of the customer with that id, for their sign-in stream. It decides
// nothing: the caller verified the sign-in on the customer's state first (and recorded there whatever the
// sign-in changed, a stronger password hash or an unlinked identity), so it holds no rule.
func RecordLogin(customerID int64, c Login, now time.Time) LoggedIn {
	return LoggedIn{CustomerID: customerID, SiteID: c.SiteID, Method: c.Method, LoggedInAt: now}
}
