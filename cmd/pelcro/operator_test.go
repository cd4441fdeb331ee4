package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// operatorWorld is an installation where Ann registered with one address, then added a second after
// betweenAddresses, with every read model caught up.
type operatorWorld struct {
	*eraseWorld
	ann              int64
	annEmail         string
	betweenAddresses time.Time
}

func newOperatorWorld(t *testing.T) *operatorWorld {
	t.Helper()
	w := &operatorWorld{eraseWorld: newEraseWorld(t), annEmail: "ann.operator@example.com"}
	w.ann, _ = w.person(w.annEmail, "Ann", "Operator", "15550102030", "1 First Street", "Acme", "203.0.113.1", false)
	time.Sleep(20 * time.Millisecond)
	w.betweenAddresses = time.Now()
	time.Sleep(20 * time.Millisecond)
	target := commands.Target{CustomerID: w.ann, AccountID: 1, SiteID: eraseSite}
	if _, _, err := w.customers.AddAddress(t.Context(), env(), commands.NewAddress{Target: target, Address: customer.Address{
		Type: customer.AddressShipping, Line1: "2 Second Street", City: "Perth", State: "WA", Country: "AU"}}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	return w
}

// pelcro runs a command against the world's installation.
func (w *operatorWorld) pelcro(args ...string) (string, error) {
	w.t.Helper()
	out, _, err := runPelcro(w.t, append([]string{"--database-url", w.cfg.DatabaseURL, "--eventstore-url", ""}, args...)...)
	return out, err
}

func (w *operatorWorld) mustPelcro(args ...string) string {
	w.t.Helper()
	out, err := w.pelcro(args...)
	if err != nil {
		w.t.Fatalf("pelcro %v: %v", args, err)
	}
	return out
}

func TestEventsStreamShowsPersonalDataOnlyWhenRevealed(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)
	stream := "customer-" + strconv.FormatInt(w.ann, 10)

	hidden := w.mustPelcro("events", "stream", stream)
	if !strings.Contains(hidden, "customer.registered") || !strings.Contains(hidden, operator.Hidden) ||
		strings.Contains(hidden, w.annEmail) || !strings.HasPrefix(hidden, "POSITION") {
		t.Errorf("events stream:\n%s", hidden)
	}
	revealed := w.mustPelcro("events", "stream", stream, "--reveal", "--json", "--from", "1", "--limit", "1")
	var entries []operator.Entry
	if err := json.Unmarshal([]byte(revealed), &entries); err != nil {
		t.Fatalf("--json: %v\n%s", err, revealed)
	}
	if len(entries) != 1 || entries[0].Revision != 1 || entries[0].Type != "customer.address_added" ||
		!strings.Contains(string(entries[0].Data), "1 First Street") {
		t.Errorf("revealed from revision 1: %+v", entries)
	}
	if _, err := w.pelcro("events", "stream", "customer-999999"); err == nil || !strings.Contains(err.Error(), "no such stream") {
		t.Errorf("unknown stream: %v", err)
	}
}

func TestEventsTailKeepsTheLastEventsOfATypePrefix(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)

	out := w.mustPelcro("events", "tail", "--type", "customer.address", "--limit", "1", "--json")
	var entries []operator.Entry
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(entries) != 1 || entries[0].Type != "customer.address_added" || entries[0].Revision != 3 {
		t.Errorf("tail: %+v, want the second address (revision 3)", entries)
	}
}

func TestAuditCustomerByIDOrByEmailOfASite(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)

	byEmail := w.mustPelcro("audit", "customer", strings.ToUpper(w.annEmail), "--site", strconv.FormatInt(eraseSite, 10), "--json")
	var page operator.TimelinePage
	if err := json.Unmarshal([]byte(byEmail), &page); err != nil {
		t.Fatalf("--json: %v\n%s", err, byEmail)
	}
	var what []string
	for _, e := range page.Entries {
		what = append(what, e.What)
	}
	id := strconv.FormatInt(w.ann, 10)
	for _, want := range []string{"Customer " + id + " registered on site 1232 (account 1) by password",
		"An email subscribed to the newsletter of site 1232", "A one-time passwordless link was emailed to customer " + id} {
		if !strings.Contains(strings.Join(what, "\n"), want) {
			t.Errorf("timeline lacks %q:\n%s", want, strings.Join(what, "\n"))
		}
	}
	if page.CustomerID != w.ann || strings.Contains(byEmail, w.annEmail) {
		t.Errorf("customer %d (want %d), or personal data shown:\n%s", page.CustomerID, w.ann, byEmail)
	}

	table := w.mustPelcro("audit", "customer", id, "--limit", "2")
	if !strings.Contains(table, "WHAT") || !strings.Contains(table, "Customer "+id+" added address") ||
		!strings.Contains(table, "more: --cursor ") {
		t.Errorf("audit table:\n%s", table)
	}
	for _, args := range [][]string{{"audit", "customer", w.annEmail}, {"audit", "customer", "nobody@example.com", "--site", "1232"}} {
		if _, err := w.pelcro(args...); err == nil {
			t.Errorf("pelcro %v succeeded", args)
		}
	}
}

func TestCustomersShowAsOfAnInstantAndTheDiffOfTwo(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)
	id := strconv.FormatInt(w.ann, 10)
	between := w.betweenAddresses.UTC().Format(time.RFC3339Nano)

	var then, now queries.Customer
	if err := json.Unmarshal([]byte(w.mustPelcro("customers", "show", id, "--as-of", between, "--json")), &then); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(w.mustPelcro("customers", "show", id, "--json")), &now); err != nil {
		t.Fatal(err)
	}
	if len(then.Addresses) != 1 || then.Addresses[0].Line1 != "1 First Street" ||
		len(now.Addresses) != 2 || *then.FirstName != "Ann" {
		t.Errorf("as of %s: %+v; now %d addresses", between, then, len(now.Addresses))
	}

	diff := w.mustPelcro("customers", "show", id, "--diff", between, time.Now().UTC().Format(time.RFC3339Nano))
	if !strings.Contains(diff, "addresses") || !strings.Contains(diff, "2 Second Street") || strings.Contains(diff, "\nfirst_name") {
		t.Errorf("diff:\n%s", diff)
	}
	if _, err := w.pelcro("customers", "show", id, "--as-of", "2001-01-01"); err == nil ||
		!strings.Contains(err.Error(), "did not exist") {
		t.Errorf("before registering: %v", err)
	}
}

func TestProjectionsVerifyFindsARowCorruptedOnPurpose(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)

	clean := w.mustPelcro("projections", "verify", "customers.v1", "payment_methods.v1")
	if strings.Contains(clean, "DRIFTED") || !strings.Contains(clean, "customer_addresses") {
		t.Errorf("verify of untouched read models:\n%s", clean)
	}
	if _, err := w.deps.ReadModels.Exec(`UPDATE customer_addresses SET city = 'Atlantis' WHERE customer_id = $1 AND city = 'Perth'`, w.ann); err != nil {
		t.Fatal(err)
	}
	out, err := w.pelcro("projections", "verify")
	if err == nil || !strings.Contains(err.Error(), "customers.v1/customer_addresses") {
		t.Errorf("err = %v, want the drifted table named", err)
	}
	if !strings.Contains(out, "only live:   (") || !strings.Contains(out, "Atlantis") || !strings.Contains(out, "only in log: (") ||
		!strings.Contains(out, "Perth") {
		t.Errorf("verify output:\n%s", out)
	}
}

func TestReplayIntoAFreshDatabasePrintsTheDigestsVerifyFinds(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)
	into := pgtest.NewDatabase(t)

	var replayed []operator.Replayed
	if err := json.Unmarshal([]byte(w.mustPelcro("replay", "--into", into, "--json")), &replayed); err != nil {
		t.Fatal(err)
	}
	var verified []operator.Verification
	out, err := w.pelcro("projections", "verify", "--json")
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if err := json.Unmarshal([]byte(out), &verified); err != nil {
		t.Fatal(err)
	}
	live := map[string]operator.Digest{}
	for _, v := range verified {
		for _, table := range v.Tables {
			live[table.Live.Table] = table.Live
		}
	}
	customers := 0
	for _, r := range replayed {
		for _, d := range r.Tables {
			if live[d.Table] != d {
				t.Errorf("%s: replayed %+v, live %+v", d.Table, d, live[d.Table])
			}
			if d.Table == "customers" {
				customers = int(d.Rows)
			}
		}
	}
	if customers != 1 || len(replayed) < 8 {
		t.Errorf("replayed %d projections, %d customers", len(replayed), customers)
	}
	if _, err := w.pelcro("replay", "--into", into); err == nil || !strings.Contains(err.Error(), "read models already") {
		t.Errorf("a second replay into the same database: %v", err)
	}
}

// syncBuffer is a bytes.Buffer a command writes to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestEventsTailFollowPrintsNewEventsAsTheyAreWritten(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	root := newRootCommand()
	var out syncBuffer
	root.SetOut(&out)
	root.SetErr(io.Discard)
	root.SetArgs([]string{"--database-url", w.cfg.DatabaseURL, "--eventstore-url", "", "events", "tail", "--follow",
		"--json", "--type", "customer.address", "--limit", "1"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	// When a third address is added while it follows
	for !strings.Contains(out.String(), "customer.address_added") && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	target := commands.Target{CustomerID: w.ann, AccountID: 1, SiteID: eraseSite}
	if _, _, err := w.customers.AddAddress(t.Context(), env(), commands.NewAddress{Target: target, Address: customer.Address{
		Type: customer.AddressShipping, Line1: "3 Third Street", City: "Hobart", State: "TAS", Country: "AU"}}); err != nil {
		t.Fatal(err)
	}
	for strings.Count(out.String(), "\n") < 2 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("follow ended with %v", err)
	}

	// Then it printed the last address, then the new one, one JSON document per line
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("printed:\n%s", out.String())
	}
	for i, want := range []uint64{3, 4} {
		var e operator.Entry
		if err := json.Unmarshal([]byte(lines[i]), &e); err != nil || e.Revision != want || e.Type != "customer.address_added" {
			t.Errorf("line %d = %s (%v), want the address at revision %d", i, lines[i], err, want)
		}
	}
}
