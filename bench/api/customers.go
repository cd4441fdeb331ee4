package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// signedIn is a registered customer, the token that signs them in, and their first address (in New York:
// the site sells its plans in the US and Canada only, so a subscription needs it).
type signedIn struct {
	id        int64
	token     string
	addressID int64
}

// registerCustomers registers n customers on the site through the API, 16 at a time, and returns them.
func registerCustomers(ctx context.Context, base string, siteID int64, n int) ([]signedIn, error) {
	out := make([]signedIn, n)
	errs := make(chan error, n)
	slots := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			c, err := register(ctx, base, siteID, fmt.Sprintf("reader-%d-%d@bench.example.com", time.Now().UnixNano(), i))
			out[i] = c
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func register(ctx context.Context, base string, siteID int64, email string) (signedIn, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": "correct horse battery staple"})
	var answer struct {
		Data struct {
			ID        int64  `json:"id"`
			AuthToken string `json:"auth_token"`
		} `json:"data"`
	}
	err := httpload.Do(ctx, http.DefaultClient, httpload.Request{Method: http.MethodPost,
		URL: fmt.Sprintf("%s/api/v1/sdk/auth/register?site_id=%d", base, siteID), Body: body,
		Header: http.Header{"Content-Type": {"application/json"}}, Status: http.StatusOK},
		func(b []byte) error { return json.Unmarshal(b, &answer) })
	if err != nil {
		return signedIn{}, err
	}
	c := signedIn{id: answer.Data.ID, token: answer.Data.AuthToken}
	var saved struct {
		Meta struct {
			AddressID int64 `json:"address_id"`
		} `json:"meta"`
	}
	err = httpload.Do(ctx, http.DefaultClient, authorized(c, httpload.Request{Method: http.MethodPost, Status: http.StatusOK,
		URL: fmt.Sprintf("%s/api/v1/sdk/address?site_id=%d", base, siteID),
		Body: []byte(`{"type":"billing","first_name":"Reader","last_name":"Bench","line1":"1 Main St",` +
			`"city":"New York","state":"NY","postal_code":"10001","country":"US"}`)}),
		func(b []byte) error { return json.Unmarshal(b, &saved) })
	c.addressID = saved.Meta.AddressID
	return c, err
}

// profileUpdate is PUT /customer for c, with a first name that changes on every request (an update that
// changes nothing appends nothing and would measure less).
func profileUpdate(base string, siteID int64, c signedIn, i int) httpload.Request {
	return authorized(c, httpload.Request{Method: http.MethodPut, Status: http.StatusOK,
		URL:  fmt.Sprintf("%s/api/v1/sdk/customer?site_id=%d", base, siteID),
		Body: fmt.Appendf(nil, `{"first_name":"Reader %d","last_name":"Bench"}`, i)})
}

// newAddress is POST /address for c.
func newAddress(base string, siteID int64, c signedIn, i int) httpload.Request {
	return authorized(c, httpload.Request{Method: http.MethodPost, Status: http.StatusOK,
		URL: fmt.Sprintf("%s/api/v1/sdk/address?site_id=%d", base, siteID),
		Body: fmt.Appendf(nil, `{"type":"shipping","first_name":"Reader","last_name":"Bench","line1":"%d rue du Banc",`+
			`"city":"Paris","postal_code":"75001","country":"FR"}`, i)})
}

// savedCard is POST /payment_methods for c with the sandbox's tok_visa: a gateway call, a card saved.
func savedCard(base string, siteID int64, c signedIn) httpload.Request {
	return authorized(c, httpload.Request{Method: http.MethodPost, Status: http.StatusCreated,
		URL: fmt.Sprintf("%s/api/v1/sdk/payment_methods?site_id=%d", base, siteID), Body: []byte(`{"token":"tok_visa"}`)})
}

// freeSubscription is POST /subscription for c on the site's first plan, a free one (benchenv's catalog):
// a subscription aggregate created, no gateway call, answered once the read model shows it.
func freeSubscription(base string, siteID int64, c signedIn) httpload.Request {
	return authorized(c, httpload.Request{Method: http.MethodPost, Status: http.StatusOK,
		URL:  fmt.Sprintf("%s/api/v1/sdk/subscription?site_id=%d", base, siteID),
		Body: fmt.Appendf(nil, `{"plan_id":%d,"address_id":%d}`, benchenv.PlanID(0, 0, plansPerSite), c.addressID)})
}

func authorized(c signedIn, r httpload.Request) httpload.Request {
	r.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + c.token}}
	return r
}

// spread gives each connection its own customers, cycling through them: connection k of `connections`
// uses customers k, k+connections, …, so no two connections write the same stream at once.
func spread(customers []signedIn, connections int, request func(signedIn, int) httpload.Request) httpload.Rotation {
	return func(conn, i int) httpload.Request {
		mine := (len(customers) - conn + connections - 1) / connections
		return request(customers[conn+(i%mine)*connections], i)
	}
}

// growHistory appends n profile changes straight to a customer's stream, as years of activity would have,
// so the benchmark can compare a command on a long history with one on a short one.
func growHistory(ctx context.Context, store eventstore.Store, c signedIn, n int) error {
	stream := commands.CustomerAggregate.StreamPrefix + strconv.FormatInt(c.id, 10)
	const batch = 500
	for done := 0; done < n; done += batch {
		var data []eventstore.EventData
		for i := done; i < min(n, done+batch); i++ {
			event := customer.ProfileChanged{CustomerID: c.id, ChangedAt: time.Now().UTC(),
				Profile: customer.Profile{FirstName: fmt.Sprintf("Old %d", i), Language: "en"}}
			encoded, err := customer.Events.Encode(event)
			if err != nil {
				return err
			}
			data = append(data, eventstore.EventData{ID: commands.EventID(stream, "history", i), Type: encoded.Name,
				Data: encoded.Data, Metadata: fmt.Appendf(nil, `{"schema_version":%d}`, encoded.SchemaVersion)})
		}
		if _, err := store.Append(ctx, stream, eventstore.StreamExists(), data...); err != nil {
			return fmt.Errorf("grow history: %w", err)
		}
	}
	return nil
}
