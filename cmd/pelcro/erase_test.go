package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/media"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
)

// Ann registers after sealing existed; Lou registered before (her events are plaintext); Bob stays.
var (
	annsTraces = []string{"ann.zyxwvut@example.com", "Annabel", "Zyxwvut", "15550102030", "42 Wallaby Way", "Quuxcorp", "203.0.113.77",
		"giftee.qwerty@example.com", "Gifteeqwerty", "A gift from Annabel"}
	lousTraces = []string{"lou.legacy@example.com", "Louisa", "Legacyson", "15550109999", "9 Plaintext Lane"}
	bobsTraces = []string{"bob.control@example.com", "Roberto", "7 Control Road", "Bobcorp", "198.51.100.9"}
)

const (
	eraseSite = int64(1232) // the example catalog's site of account 1
	lousID    = int64(990001)
)

// eraseWorld is the example catalog's database with the customer and newsletter commands `pelcro serve` wires.
type eraseWorld struct {
	t           *testing.T
	cfg         config.Config
	deps        *dependencies
	customers   commands.Customers
	newsletters commands.Newsletters
}

func newEraseWorld(t *testing.T) *eraseWorld {
	t.Helper()
	return newEraseWorldOn(t, catalogStore(t))
}

// newEraseWorldOn is newEraseWorld on a database whose catalog the caller imported.
func newEraseWorldOn(t *testing.T, cfg config.Config) *eraseWorld {
	t.Helper()
	cfg.DataDir = t.TempDir()
	deps, err := openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = deps.Close() })
	hasher, err := auth.NewHasher(auth.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		t.Fatal(err)
	}
	reservations := commands.Reservations{Store: deps.EventStore, Names: deps.Names}
	return &eraseWorld{t: t, cfg: cfg, deps: deps,
		customers: commands.Customers{Store: deps.EventStore, Reservations: reservations, Passwords: hasher,
			CustomerIDs: commands.NewIDAllocator(deps.EventStore, commands.IDKindCustomer, commands.IDAllocatorConfig{}),
			AddressIDs:  commands.NewIDAllocator(deps.EventStore, commands.IDKindAddress, commands.IDAllocatorConfig{}),
			Tokens:      auth.OneTimeTokens{Key: deps.Keys.OneTime}},
		newsletters: commands.Newsletters{Store: deps.EventStore, Names: deps.Names}}
}

func env() commands.Envelope { return commands.Envelope{CommandID: uuid.NewString()} }

// gift has the customer give plan 4051 as a gift to the recipient, paid with the sandbox's tok_visa.
func (w *eraseWorld) gift(customerID int64, email, firstName, message string) {
	w.t.Helper()
	_, err := w.subscribe(commands.NewSubscription{Target: w.target(customerID), PlanID: 4051, Token: "tok_visa",
		Gift: subscription.Gift{RecipientEmail: email, RecipientFirstName: firstName, Message: message}})
	if err != nil {
		w.t.Fatalf("give a gift: %v", err)
	}
}

// target is the customer on the example catalog's site 1232 (account 1).
func (w *eraseWorld) target(customerID int64) commands.Target {
	return commands.Target{CustomerID: customerID, AccountID: 1, SiteID: eraseSite}
}

// subscribe runs POST /subscription's command as pelcro serve wires it, the sandbox gateway paying, with a
// New York address (the site charges taxes) given to the customer first.
func (w *eraseWorld) subscribe(in commands.NewSubscription) (commands.CreatedSubscription, error) {
	w.t.Helper()
	_, address, err := w.customers.AddAddress(w.t.Context(), env(), commands.NewAddress{Target: in.Target,
		Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Gift Street", City: "New York",
			Country: "US", State: "NY", PostalCode: "10001"}})
	if err != nil {
		w.t.Fatalf("add an address: %v", err)
	}
	in.AddressID = address
	return w.subscriptions().Create(w.t.Context(), env(), in)
}

// subscriptions are the subscription commands as pelcro serve wires them, the sandbox gateway paying.
func (w *eraseWorld) subscriptions() commands.Subscriptions {
	gateways := commands.Gateways{commands.DefaultGateway: sandbox.New(w.deps.ReadModels.DB)}
	wallets, _, invoices := paymentCommands(w.deps, gateways)
	return subscriptionCommands(w.deps, wallets, invoices, gateways, w.deps.commerceCatalog())
}

// person registers a customer with a profile, an address, a mailed link and a newsletter entry; with a
// photo when withPhoto is set (its file name is returned).
func (w *eraseWorld) person(email, first, last, phone, line1, employer, ip string, withPhoto bool) (int64, string) {
	w.t.Helper()
	ctx := w.t.Context()
	r, err := w.customers.Register(ctx, env(), commands.Registration{AccountID: 1, SiteID: eraseSite, Email: email,
		Password: "Secret-123", Profile: customer.Profile{FirstName: first, LastName: last, Phone: phone,
			Metadata: map[string]any{"employer": employer}}})
	if err != nil {
		w.t.Fatal(err)
	}
	target := commands.Target{CustomerID: r.CustomerID, AccountID: 1, SiteID: eraseSite}
	if _, _, err := w.customers.AddAddress(ctx, env(), commands.NewAddress{Target: target, Address: customer.Address{
		Type: customer.AddressBilling, FirstName: first, LastName: last, Line1: line1, City: "Sydney", State: "NSW",
		Country: "AU", Phone: phone}}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.customers.RequestToken(ctx, env(), commands.MailedToken{AccountID: 1, SiteID: eraseSite, Email: email,
		Purpose: customer.PurposePasswordless, Lifetime: time.Hour}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.newsletters.Subscribe(ctx, env(), newsletter.Subscribe{SiteID: eraseSite, Email: email,
		Details: newsletter.Details{FirstName: first, LastName: last, ConsentIP: ip}}); err != nil {
		w.t.Fatal(err)
	}
	if !withPhoto {
		return r.CustomerID, ""
	}
	var picture bytes.Buffer
	if err := png.Encode(&picture, image.NewRGBA(image.Rect(0, 0, 150, 150))); err != nil {
		w.t.Fatal(err)
	}
	file, err := media.Photos{Dir: w.cfg.DataDir}.Save(&picture)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, _, err := w.customers.SetPicture(ctx, env(), target, file); err != nil {
		w.t.Fatal(err)
	}
	return r.CustomerID, file
}

// legacyPerson writes Lou's customer, claim and newsletter entry as the code before sealing and keyed names
// did: in plaintext, under SHA-256 stream names, straight to the event store.
func (w *eraseWorld) legacyPerson() {
	w.t.Helper()
	raw, err := postgres.Open(w.t.Context(), w.cfg.DatabaseURL)
	if err != nil {
		w.t.Fatal(err)
	}
	defer raw.Close()
	write := func(stream string, events ...any) {
		if _, err := raw.Append(w.t.Context(), stream, eventstore.NoStream(),
			personaldatatest.Encode(w.t, eventRegistryWithReservations(), events...)...); err != nil {
			w.t.Fatal(err)
		}
	}
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	email := "lou.legacy@example.com"
	// The names of that time: the hex SHA-256 of "<account>:<email>"; of "<site>:<email>", cut to 16 bytes.
	sha := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }
	write("reservation-customer_email-"+sha("1:"+email),
		reservation.Claimed{OwnerID: lousID, ClaimedAt: at})
	write("customer-"+strconv.FormatInt(lousID, 10),
		customer.Registered{CustomerID: lousID, AccountID: 1, SiteID: eraseSite, Email: email, Method: customer.MethodPassword,
			Profile: customer.Profile{FirstName: "Louisa", LastName: "Legacyson", Phone: "15550109999", Language: "en"}, RegisteredAt: at},
		customer.AddressAdded{CustomerID: lousID, AddedAt: at, Address: customer.Address{ID: 990001, Type: customer.AddressShipping,
			Line1: "9 Plaintext Lane", City: "Perth", State: "WA", Country: "AU"}})
	write("newsletter-"+sha(newsletter.EntryKey(eraseSite, email))[:32],
		newsletter.Subscribed{SiteID: eraseSite, Email: email, Details: newsletter.Details{FirstName: "Louisa"}, SubscribedAt: at})
}

func eventRegistryWithReservations() *aggregates.Registry {
	r, err := aggregates.Merge(eventRegistry(), reservation.Events)
	if err != nil {
		panic(err)
	}
	return r
}

// readModels is every table of the database but the event log, as text.
func (w *eraseWorld) readModels() string {
	w.t.Helper()
	var tables []string
	if err := w.deps.ReadModels.Select(&tables, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'events'`); err != nil {
		w.t.Fatal(err)
	}
	var all strings.Builder
	for _, table := range tables {
		var text *string
		if err := w.deps.ReadModels.Get(&text, `SELECT string_agg(t::text, ' ') FROM "`+table+`" t`); err != nil {
			w.t.Fatal(err)
		}
		if text != nil {
			all.WriteString(*text)
		}
	}
	return all.String()
}

// decodedLog is every event of the log, opened by a fresh process and decoded, as JSON.
func (w *eraseWorld) decodedLog() string {
	w.t.Helper()
	deps, err := openDependencies(w.t.Context(), w.cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	defer deps.Close()
	registry := eventRegistryWithReservations()
	var out strings.Builder
	for from := eventstore.AllStart(); ; {
		page, err := deps.EventStore.ReadAll(w.t.Context(), from, 100)
		if err != nil {
			w.t.Fatal(err)
		}
		for _, e := range page {
			md, _ := aggregates.ParseMetadata(e.Metadata)
			value, err := registry.Decode(e.Type, md.SchemaVersion, e.Data)
			if err != nil && !errors.Is(err, aggregates.ErrUnknownEvent) {
				w.t.Fatalf("decode %s: %v", e.Type, err)
			}
			text, _ := json.Marshal(value)
			out.Write(text)
		}
		if len(page) < 100 {
			return out.String()
		}
		from = eventstore.AllAfter(page[len(page)-1].Position)
	}
}

// noRowsOf fails the test when the customers read model still has a row of one of the ids.
func (w *eraseWorld) noRowsOf(where string, ids ...int64) {
	w.t.Helper()
	var n int
	if err := w.deps.ReadModels.Get(&n, `SELECT (SELECT count(*) FROM customers WHERE id = ANY($1)) +
		(SELECT count(*) FROM customer_addresses WHERE customer_id = ANY($1))`, pq.Array(ids)); err != nil || n != 0 {
		w.t.Errorf("%s: %d rows of customers %v left (%v), want none", where, n, ids, err)
	}
}

// traces fails the test for every trace of gone found in text, and for every trace of kept missing.
func traces(t *testing.T, where, text string, gone, kept []string) {
	t.Helper()
	for _, trace := range gone {
		if strings.Contains(text, trace) {
			t.Errorf("%s still holds %q", where, trace)
		}
	}
	for _, trace := range kept {
		if !strings.Contains(text, trace) {
			t.Errorf("%s lost %q, which must stay", where, trace)
		}
	}
}

func TestAnErasedPersonLeavesNoTraceInReadModelsRebuildsReplaysOrTheDecodedLog(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// Given Ann (sealed, with a photo), Lou (written in plaintext before sealing) and Bob, projected
	w := newEraseWorld(t)
	ann, photo := w.person(annsTraces[0], "Annabel", "Zyxwvut", "15550102030", "42 Wallaby Way", "Quuxcorp", "203.0.113.77", true)
	w.person(bobsTraces[0], "Roberto", "Control", "15550100000", "7 Control Road", "Bobcorp", "198.51.100.9", false)
	w.legacyPerson()
	runProjectionsUntilCaughtUp(t, w.cfg)
	w.gift(ann, "giftee.qwerty@example.com", "Gifteeqwerty", "A gift from Annabel") // the plans are projected now
	runProjectionsUntilCaughtUp(t, w.cfg)
	traces(t, "the read models before the erasure", w.readModels(), nil, append(append(annsTraces, lousTraces...), bobsTraces...))

	// When Ann and Lou are erased, customer and newsletter entry, through the CLI
	if err := eraseCustomer(ctx, w.cfg, ann); err != nil { // with the photo directory, which runPelcro cannot set
		t.Fatalf("erase Ann: %v", err)
	}
	cli := func(args ...string) (string, error) {
		out, errOut, err := runPelcro(t, append([]string{"--database-url", w.cfg.DatabaseURL, "--eventstore-url", ""}, args...)...)
		if err != nil {
			t.Logf("stderr: %s", errOut)
		}
		return out, err
	}
	for _, args := range [][]string{{"customers", "erase", strconv.FormatInt(lousID, 10)},
		{"newsletter", "erase", "--site", "1232", "Ann.Zyxwvut@example.com"},
		{"newsletter", "erase", "--site", "1232", "lou.legacy@example.com"}} {
		if out, err := cli(args...); err != nil || !strings.Contains(out, "erased") {
			t.Fatalf("pelcro %v = %q, %v", args, out, err)
		}
	}

	// Then the read models, the outbox and the photo directory hold nothing of them, and Bob is intact
	traces(t, "the read models after the erasure", w.readModels(), append(annsTraces, lousTraces...), bobsTraces)
	if _, err := os.Stat(filepath.Join(w.cfg.DataDir, "profile_photos", photo)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Ann's photo is still stored: %v", err)
	}
	// And a rebuild of every projection succeeds and brings none of it back
	if out, err := cli("projections", "rebuild", "--all"); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	traces(t, "the read models after a rebuild", w.readModels(), append(annsTraces, lousTraces...), bobsTraces)
	w.noRowsOf("after a rebuild", ann, lousID)
	// And neither does a replay of every projection (the mail outbox included) from the start of the log
	if _, err := w.deps.ReadModels.Exec(`DELETE FROM projection_checkpoints; TRUNCATE customers, customer_addresses,
		newsletters, newsletter_ids, mail_outbox`); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	traces(t, "the read models after a replay", w.readModels(), append(annsTraces, lousTraces...), bobsTraces)
	w.noRowsOf("after a replay", ann, lousID)
	// And the log, as any process decodes it, holds none of it either
	traces(t, "the decoded log", w.decodedLog(), append(annsTraces, lousTraces...), bobsTraces)

	// And both emails can register and subscribe again
	for _, email := range []string{annsTraces[0], lousTraces[0]} {
		if _, err := w.customers.Register(ctx, env(), commands.Registration{AccountID: 1, SiteID: eraseSite, Email: email,
			Password: "Secret-123"}); err != nil {
			t.Errorf("register %s again: %v", email, err)
		}
		if _, err := w.newsletters.Subscribe(ctx, env(), newsletter.Subscribe{SiteID: eraseSite, Email: email}); err != nil {
			t.Errorf("subscribe %s again: %v", email, err)
		}
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	var again int
	if err := w.deps.ReadModels.Get(&again, `SELECT count(*) FROM newsletters WHERE email IN ($1, $2)`, annsTraces[0], lousTraces[0]); err != nil || again != 2 {
		t.Fatalf("%d entries subscribed again (%v), want 2", again, err)
	}
}

func TestEraseCommandsRefuseWithAOneLineReason(t *testing.T) {
	t.Parallel()
	cfg := catalogStore(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"customers", "erase", "424242"}, "customer 424242 does not exist"},
		{[]string{"customers", "erase", "ann@example.com"}, `customer id "ann@example.com": want a positive integer`},
		{[]string{"customers", "erase"}, "accepts 1 arg(s)"},
		{[]string{"newsletter", "erase", "ann@example.com"}, "--site: want the site id"},
		{[]string{"newsletter", "erase", "--site", "1232", "not an email"}, "EMAIL: not an email address"},
		{[]string{"newsletter", "erase", "--site", "1232", "nobody@example.com"}, "site 1232 has no newsletter entry for this email"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, _, err := runPelcro(t, append([]string{"--database-url", cfg.DatabaseURL, "--eventstore-url", ""}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line with %q", err, c.want)
			}
		})
	}
}
