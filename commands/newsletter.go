package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// NewsletterAggregate stores one stream per (site, email) entry, named by newsletter.StreamID. Warning: the
// prefix is part of stored stream names; changing it orphans every existing entry.
var NewsletterAggregate = Aggregate[newsletter.State, newsletter.Event]{
	Registry: newsletter.Events, Evolve: newsletter.Evolve, StreamPrefix: "newsletter-"}

// Newsletters runs the newsletter commands of spec 2.9 through Handle. Domain errors come back unchanged
// (newsletter.ErrAlreadySubscribed, newsletter.ErrNotSubscribed, newsletter.Problems).
type Newsletters struct {
	Store eventstore.Store
	// Now is the business clock stamped on events; nil means time.Now.
	Now func() time.Time
}

// Subscribe adds the email to the site's newsletter.
func (n Newsletters) Subscribe(ctx context.Context, env Envelope, c newsletter.Subscribe) (Result, error) {
	// Checked here as well as in the decision so an unusable email never reaches the store.
	if err := newsletter.EmailProblems(newsletter.NormaliseEmail(c.Email)); len(err) > 0 {
		return Result{}, err
	}
	return n.handle(ctx, env, c.SiteID, c.Email, func(s newsletter.State, now time.Time) ([]newsletter.Event, error) {
		return newsletter.SubscribeEntry(s, c, now)
	})
}

// Update changes the given fields of a subscribed email's entry.
func (n Newsletters) Update(ctx context.Context, env Envelope, c newsletter.Update) (Result, error) {
	return n.handle(ctx, env, c.SiteID, c.Email, func(s newsletter.State, now time.Time) ([]newsletter.Event, error) {
		return newsletter.UpdateEntry(s, c, now)
	})
}

// Unsubscribe deletes a subscribed email's entry.
func (n Newsletters) Unsubscribe(ctx context.Context, env Envelope, c newsletter.Unsubscribe) (Result, error) {
	return n.handle(ctx, env, c.SiteID, c.Email, func(s newsletter.State, now time.Time) ([]newsletter.Event, error) {
		return newsletter.UnsubscribeEntry(s, c, now)
	})
}

// handle runs decide on the (site, email) entry with one business time for every attempt.
func (n Newsletters) handle(ctx context.Context, env Envelope, siteID int64, email string,
	decide func(newsletter.State, time.Time) ([]newsletter.Event, error)) (Result, error) {
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	at := now().UTC()
	return Handle(ctx, n.Store, NewsletterAggregate, newsletter.StreamID(siteID, email), env,
		func(s newsletter.State) ([]newsletter.Event, error) { return decide(s, at) })
}
