package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// NewsletterAggregate stores one stream per (site, email) entry, "newsletter-<id>" with the id a keyed hash
// of newsletter.EntryKey (StreamNames). Warning: the prefix is part of stored stream names; changing it
// orphans every existing entry.
var NewsletterAggregate = Aggregate[newsletter.State, newsletter.Event]{
	Registry: newsletter.Events, Evolve: newsletter.Evolve, StreamPrefix: "newsletter-"}

// Newsletters runs the newsletter commands of spec 2.9 through Handle. Domain errors come back unchanged
// (newsletter.ErrAlreadySubscribed, newsletter.ErrNotSubscribed, newsletter.Problems).
//
// Entries written before keyed names live on in their old stream (named by a bare SHA-256, see
// legacyNewsletterID) until they are deleted: then a new subscription starts on the keyed stream.
type Newsletters struct {
	Store eventstore.Store
	// Names keys the stream names. Required.
	Names StreamNames
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

// Erase erases the email's entry of the site (the right to erasure): the event store shreds the entry's key
// and records newsletter.erased, so neither the log nor a rebuilt read model gives the email or the details
// back. An entry still named the old way is erased there too. newsletter.ErrNotSubscribed when the site
// never had the email; erasing again is a no-op.
func (n Newsletters) Erase(ctx context.Context, env Envelope, siteID int64, email string) (Result, error) {
	keyed, legacy, err := n.streams(siteID, email)
	if err != nil {
		return Result{}, err
	}
	var result Result
	erased := false
	for _, id := range []string{legacy, keyed} {
		r, err := n.run(ctx, env, id, func(s newsletter.State, now time.Time) ([]newsletter.Event, error) {
			return newsletter.Erase(s, now)
		})
		if errors.Is(err, newsletter.ErrNotSubscribed) {
			continue
		}
		if err != nil {
			return Result{}, err
		}
		result, erased = r, true
	}
	if !erased {
		return Result{}, newsletter.ErrNotSubscribed
	}
	return result, nil
}

// handle runs decide on the (site, email) entry with one business time for every attempt: on its keyed
// stream, or on its old stream while that one holds a live entry.
func (n Newsletters) handle(ctx context.Context, env Envelope, siteID int64, email string,
	decide func(newsletter.State, time.Time) ([]newsletter.Event, error)) (Result, error) {
	keyed, legacy, err := n.streams(siteID, email)
	if err != nil {
		return Result{}, err
	}
	id, err := n.current(ctx, keyed, legacy)
	if err != nil {
		return Result{}, err
	}
	return n.run(ctx, env, id, decide)
}

// run runs decide on the entry stream with that id.
func (n Newsletters) run(ctx context.Context, env Envelope, id string,
	decide func(newsletter.State, time.Time) ([]newsletter.Event, error)) (Result, error) {
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	at := now().UTC()
	return Handle(ctx, n.Store, NewsletterAggregate, id, env,
		func(s newsletter.State) ([]newsletter.Event, error) { return decide(s, at) })
}

// streams returns the ids of the entry's keyed stream and of the stream that named it before keyed names.
func (n Newsletters) streams(siteID int64, email string) (keyed, legacy string, err error) {
	key := newsletter.EntryKey(siteID, email)
	if keyed, err = n.Names.newsletter(key); err != nil {
		return "", "", err
	}
	return keyed, legacyNewsletterID(key), nil
}

// current picks the stream an entry's commands go to: the keyed one once it has events; otherwise the old
// one while its last event leaves a live (or updated) entry there; otherwise the keyed one, where a new
// subscription starts. An old stream ends with a deletion or an erasure and is never written again.
func (n Newsletters) current(ctx context.Context, keyed, legacy string) (string, error) {
	prefix := NewsletterAggregate.StreamPrefix
	_, err := n.Store.ReadStream(ctx, prefix+keyed, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if !errors.Is(err, eventstore.ErrStreamNotFound) {
		return keyed, err
	}
	last, err := n.Store.ReadStream(ctx, prefix+legacy, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if errors.Is(err, eventstore.ErrStreamNotFound) || (err == nil && len(last) == 0) {
		return keyed, nil
	}
	if err != nil {
		return "", fmt.Errorf("commands: read %s%s: %w", prefix, legacy, err)
	}
	event, err := decode[newsletter.Event](NewsletterAggregate.Registry, last[0])
	if err != nil {
		return "", err
	}
	switch event.(type) {
	case newsletter.Unsubscribed, newsletter.Erased:
		return keyed, nil
	}
	return legacy, nil
}
