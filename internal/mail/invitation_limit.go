package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// InvitationsPerHour is how many invitation mails (KindMembership) one address of a site may be sent within
// an hour, whoever invites it: the limit of the other mails a stranger can have sent to an address
// (customer.TokensPerHour, 5 an hour). Without it, the owner of a free membership could invite, remove and
// invite the same address again and again, one mail each time, or spread it over several subscriptions.
const InvitationsPerHour = 5

// InvitationWindow is the hour InvitationsPerHour counts in: a mail created less than this long before the
// invitation counts.
const InvitationWindow = time.Hour

// InvitationMailAllowed reports whether the invitation id (an event id), made at, may still be mailed to
// recipient (normalised) on the site: fewer than InvitationsPerHour other invitation mails of the site to
// that address were created within the InvitationWindow before at. The message itself never counts, so an
// event delivered again is answered as the first time.
//
// Warning: the outbox is the count, so it is exact only when one writer queues invitations in log order (the
// mail_outbox.v1 projection, one message in flight) and nothing deletes recent invitation mails but erasure.
func InvitationMailAllowed(ctx context.Context, tx sqlx.QueryerContext, id uuid.UUID, siteID int64, recipient string,
	at time.Time) (bool, error) {
	var n int
	err := sqlx.GetContext(ctx, tx, &n, `SELECT count(*) FROM mail_outbox WHERE kind = $1 AND site_id = $2
		AND recipient = $3 AND created_at > $4 AND id <> $5`,
		KindMembership, siteID, recipient, at.Add(-InvitationWindow), id)
	if err != nil {
		return false, fmt.Errorf("mail: count the invitations mailed to an address of site %d: %w", siteID, err)
	}
	return n < InvitationsPerHour, nil
}
