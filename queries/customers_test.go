package queries_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	"github.com/pelcro-oss/pelcro-api/queries"
)

var (
	registeredAt = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC) // 1740819600
	changedAt    = time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC) // 1740906000
)

// projectCustomers appends each stream's events to a PostgreSQL event store and waits until customers.v1
// reflects them, returning the read-model database.
func projectCustomers(t *testing.T, streams map[string][]customer.Event) *sqlx.DB {
	t.Helper()
	return projectCustomersWith(t, catalogtest.New(t), customer.Events, nil, streams)
}

// projectCustomersWith is projectCustomers into env (a read-model database and the PostgreSQL event store
// in it, which may hold events already), with more projections (over the registry) running beside
// customers.v1; it waits until all of them reflect the customers' events.
func projectCustomersWith(t *testing.T, env *catalogtest.Env, registry *aggregates.Registry, more []projections.Projection,
	streams map[string][]customer.Event) *sqlx.DB {
	t.Helper()
	ctx := t.Context()
	db, store := env.DB, env.Store
	var last eventstore.Position
	for stream, events := range streams {
		data := make([]eventstore.EventData, len(events))
		for i, e := range events {
			encoded, err := customer.Events.Encode(e)
			if err != nil {
				t.Fatalf("encode %T: %v", e, err)
			}
			metadata, _ := json.Marshal(map[string]int{"schema_version": encoded.SchemaVersion})
			data[i] = eventstore.EventData{ID: uuid.New(), Type: encoded.Name, Data: encoded.Data, Metadata: metadata}
		}
		result, err := store.Append(ctx, stream, eventstore.NoStream(), data...)
		if err != nil {
			t.Fatalf("append %s: %v", stream, err)
		}
		if result.Position.Compare(last) > 0 {
			last = result.Position
		}
	}
	running := append([]projections.Projection{customerprojection.Projection()}, more...)
	runner, err := projections.NewRunner(projections.Config{Store: store, DB: db, Registry: registry}, running...)
	if err != nil {
		t.Fatalf("new runner: %v", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("runner: %v", err)
		}
	})
	waitCtx, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	names := make([]string, len(running))
	for i, p := range running {
		names[i] = p.Name
	}
	if err := runner.WaitFor(waitCtx, last, names...); err != nil {
		t.Fatalf("wait for %s: %v", last, err)
	}
	return db
}

func TestCustomerQuery(t *testing.T) {
	t.Parallel()
	// given a customer with a profile, a photo, a login and two addresses, each 0.6 s past a second (an
	// answer drops the fraction, as time.Time.Unix does, never rounds it up), and a bare customer
	registeredAt, changedAt := registeredAt.Add(600*time.Millisecond), changedAt.Add(600*time.Millisecond)
	db := projectCustomers(t, map[string][]customer.Event{
		"customer-7": {
			customer.Registered{CustomerID: 7, AccountID: 1, SiteID: 1232, Email: "ann@example.com", Username: "ann_l",
				PasswordHash: "$argon2id$x", Method: "password", RegisteredAt: registeredAt,
				Profile: customer.Profile{FirstName: "Ann", LastName: "Lee", Language: "fr", Metadata: map[string]any{"team": "blue"}}},
			customer.EmailVerified{CustomerID: 7, Email: "ann@example.com", VerifiedAt: registeredAt},
			customer.PictureSet{CustomerID: 7, File: "7-abc.png", SetAt: registeredAt},
			customer.AddressAdded{CustomerID: 7, AddedAt: registeredAt, Address: customer.Address{ID: 31,
				Type: customer.AddressShipping, FirstName: "Ann", Line1: "1 Main St", City: "Montréal", State: "QC",
				PostalCode: "H2X 1Y4", Country: "CA", IsDefault: true}},
			customer.AddressAdded{CustomerID: 7, AddedAt: changedAt, Address: customer.Address{ID: 32,
				Type: customer.AddressShipping, Line1: "2 Side St", Country: "US", IsDefault: true}},
			customer.AddressAdded{CustomerID: 7, AddedAt: changedAt, Address: customer.Address{ID: 33,
				Type: customer.AddressBilling, Line1: "Hauptstr. 1", State: "Oberbayern", Country: "DE"}},
			customer.LoggedIn{CustomerID: 7, SiteID: 1232, Method: "password", LoggedInAt: changedAt},
		},
		"customer-8": {customer.Registered{CustomerID: 8, AccountID: 1, SiteID: 1232, Email: "idp@example.com",
			Method: "idp:google", RegisteredAt: registeredAt}},
	})
	customers := queries.Customers{DB: db}

	// when the full customer is read, then it marshals to the Customer resource
	got, err := customers.Customer(t.Context(), 7)
	if err != nil {
		t.Fatalf("Customer(7): %v", err)
	}
	if got.AccountID != 1 || got.ProfilePhoto != "7-abc.png" {
		t.Fatalf("AccountID, ProfilePhoto = %d, %q; want 1, 7-abc.png", got.AccountID, got.ProfilePhoto)
	}
	assertJSON(t, got, `{"id":7,"object":"customer","site_id":1232,"email":"ann@example.com","email_confirm":true,
		"email_hardbounce":false,"username":"ann_l","first_name":"Ann","last_name":"Lee","name":"Ann Lee",
		"full_name":"Ann Lee","display_name":null,"phone":null,"salutation":null,"title":null,"organization":null,
		"old_provider_id":null,"metadata":{"team":"blue"},"language":"fr","has_password":true,
		"password_last_updated_at":1740819600,"last_login_method":"password","last_login_at":1740906000,
		"profile_photo":null,"created_at":1740819600,"updated_at":1740906000,
		"addresses":[
		 {"id":31,"object":"address","user_id":7,"type":"shipping","first_name":"Ann","last_name":null,"title":null,
		  "salutation":null,"company":null,"department":null,"line1":"1 Main St","line2":null,"city":"Montréal",
		  "state":"QC","state_name":"Quebec","country":"CA","country_name":"Canada","postal_code":"H2X 1Y4",
		  "phone":null,"is_default":false,"old_provider_id":null,"created_at":1740819600,"updated_at":1740906000},
		 {"id":32,"object":"address","user_id":7,"type":"shipping","first_name":null,"last_name":null,"title":null,
		  "salutation":null,"company":null,"department":null,"line1":"2 Side St","line2":null,"city":null,
		  "state":null,"state_name":null,"country":"US","country_name":"United States","postal_code":null,
		  "phone":null,"is_default":true,"old_provider_id":null,"created_at":1740906000,"updated_at":1740906000},
		 {"id":33,"object":"address","user_id":7,"type":"billing","first_name":null,"last_name":null,"title":null,
		  "salutation":null,"company":null,"department":null,"line1":"Hauptstr. 1","line2":null,"city":null,
		  "state":"Oberbayern","state_name":"Oberbayern","country":"DE","country_name":"Germany","postal_code":null,
		  "phone":null,"is_default":false,"old_provider_id":null,"created_at":1740906000,"updated_at":1740906000}],
		"subscriptions":[],"expired_subscriptions":[],"memberships":[],"expired_memberships":[],"gift_recipients":[],
		"invoices":[],"charges":[],"orders":[],"sources":[],"source":null,"currency":null,"balance":0,
		"delinquent":false,"default_source_id":null,"mail_marketing":false,"tele_marketing":false,
		"phone_confirm":false,"tin":null,"is_imported":false,"object_id":null}`)

	// when a customer without password, profile or addresses is read, then the empty parts are null, {} or []
	bare, err := customers.Customer(t.Context(), 8)
	if err != nil {
		t.Fatalf("Customer(8): %v", err)
	}
	var fields map[string]json.RawMessage
	raw, _ := json.Marshal(bare)
	_ = json.Unmarshal(raw, &fields)
	for field, want := range map[string]string{"has_password": "false", "password_last_updated_at": "null",
		"username": "null", "name": "null", "metadata": "{}", "addresses": "[]", "last_login_at": "null",
		"email_confirm": "false"} {
		if string(fields[field]) != want {
			t.Errorf("customer 8 %s = %s, want %s", field, fields[field], want)
		}
	}

	// when an unknown customer is read, then it is not found
	if _, err := customers.Customer(t.Context(), 9); !errors.Is(err, queries.ErrNotFound) {
		t.Fatalf("Customer(9) error = %v, want ErrNotFound", err)
	}
}

// assertJSON fails unless v marshals to the same JSON value as want.
func assertJSON(t *testing.T, v any, want string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var got, expected any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if err := json.Unmarshal([]byte(want), &expected); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(expected)
	if string(gotJSON) != string(wantJSON) {
		t.Fatalf("JSON =\n%s\nwant\n%s", gotJSON, wantJSON)
	}
}

func TestEveryAnswerTurnsTimesIntoUnixSecondsOneWay(t *testing.T) {
	t.Parallel()
	// given the module's code outside tests
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		code, err := os.ReadFile(path)
		// then no SQL turns a time into Unix seconds but queries' unixSeconds, which truncates as Go does
		if err == nil && path != filepath.Join("..", "queries", "queries.go") &&
			strings.Contains(strings.ToLower(string(code)), "extract(epoch") {
			t.Errorf("%s turns a time into Unix seconds by itself: use unixSeconds (queries)", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
