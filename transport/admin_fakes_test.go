package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// fakeAdminKeys knows keys by their whole text and sessions by token.
type fakeAdminKeys struct {
	keys     map[string]apikeys.Key
	sessions map[string]apikeys.Key
}

func (f *fakeAdminKeys) Authenticate(_ context.Context, key string) (apikeys.Key, error) {
	if k, ok := f.keys[key]; ok && k.RevokedAt == nil {
		return k, nil
	}
	return apikeys.Key{}, apikeys.ErrInvalidKey
}

func (f *fakeAdminKeys) StartSession(ctx context.Context, key string) (string, time.Time, error) {
	k, err := f.Authenticate(ctx, key)
	if err != nil {
		return "", time.Time{}, err
	}
	token := fmt.Sprintf("session-%d", len(f.sessions)+1)
	f.sessions[token] = k
	return token, time.Now().Add(time.Hour), nil
}

func (f *fakeAdminKeys) Session(_ context.Context, token string) (apikeys.Key, error) {
	if k, ok := f.sessions[token]; ok {
		return k, nil
	}
	return apikeys.Key{}, apikeys.ErrInvalidKey
}

func (f *fakeAdminKeys) EndSession(_ context.Context, token string) error {
	delete(f.sessions, token)
	return nil
}

// fakeAdminReads answers from its customers; the timeline and events name the customer they are of, so a
// test sees whose history came back.
type fakeAdminReads struct {
	customers map[int64]queries.Customer
	asked     []int64 // the customers a history was read of
}

func (f *fakeAdminReads) Projections(context.Context) ([]AdminProjection, error) {
	return []AdminProjection{{Name: "customers.v1", State: "caught-up", Checkpoint: "0/12"}}, nil
}

func (f *fakeAdminReads) SearchCustomers(_ context.Context, accountID int64, query string, limit int) ([]queries.CustomerMatch, error) {
	matches := []queries.CustomerMatch{}
	for _, c := range f.customers {
		if c.AccountID == accountID && (c.Email == query || fmt.Sprint(c.ID) == query) {
			matches = append(matches, queries.CustomerMatch{ID: c.ID, SiteID: c.SiteID, Email: c.Email})
		}
	}
	slices.SortFunc(matches, func(a, b queries.CustomerMatch) int { return int(a.ID - b.ID) })
	return matches[:min(limit, len(matches))], nil
}

func (f *fakeAdminReads) Customer(_ context.Context, id int64) (queries.Customer, error) {
	if c, ok := f.customers[id]; ok {
		return c, nil
	}
	return queries.Customer{}, queries.ErrNotFound
}

func (f *fakeAdminReads) Timeline(_ context.Context, customerID int64, q AdminPage) (AdminTimeline, error) {
	f.asked = append(f.asked, customerID)
	next := ""
	switch q.Cursor {
	case "":
		next = "page 2"
	case "page 2":
	default:
		return AdminTimeline{}, ErrAdminCursor
	}
	return AdminTimeline{Next: next, Entries: []AdminTimelineEntry{{Time: q.Since.Unix(), Type: "customer.registered",
		Summary: fmt.Sprintf("Customer %d registered <b>by password</b>", customerID), Stream: fmt.Sprintf("customer-%d", customerID),
		Actor: fmt.Sprintf("customer %d", customerID)}}}, nil
}

func (f *fakeAdminReads) CustomerAsOf(_ context.Context, customerID int64, at AdminInstant) (queries.Customer, error) {
	f.asked = append(f.asked, customerID)
	c := f.customers[customerID]
	if at.Position == "" && at.Time.Unix() < c.CreatedAt {
		return queries.Customer{}, queries.ErrNotFound
	}
	c.Email = "then-" + c.Email
	return c, nil
}

func (f *fakeAdminReads) Events(_ context.Context, customerID int64, q AdminPage) (AdminEvents, error) {
	f.asked = append(f.asked, customerID)
	data, _ := json.Marshal(map[string]any{"customer_id": customerID, "revealed": q.Reveal})
	return AdminEvents{Events: []AdminEvent{{Stream: fmt.Sprintf("customer-%d", customerID), Type: "customer.registered",
		Metadata: json.RawMessage(`{}`), Data: data}}}, nil
}
