package main

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

// Not parallel: it sets PELCRO_MASTER_KEY, which the root command reads from the environment.
func TestKeysRewrapMovesEveryKeyToTheConfiguredMasterKey(t *testing.T) {
	// Given a deployment that ran without PELCRO_MASTER_KEY and sealed a newsletter entry
	cfg := catalogStore(t)
	deps, err := openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (commands.Newsletters{Store: deps.EventStore, Names: deps.Names}).Subscribe(t.Context(), env(),
		newsletter.Subscribe{SiteID: 1232, Email: "ann@example.com", Details: newsletter.Details{FirstName: "Ann"}}); err != nil {
		t.Fatal(err)
	}
	stream, _ := deps.Names.NewsletterStream(1232, "ann@example.com")
	_ = deps.Close()

	// When PELCRO_MASTER_KEY is set and the keys are rewrapped
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	t.Setenv(config.EnvMasterKey, base64.StdEncoding.EncodeToString(key))
	out, errOut, err := runPelcro(t, "--database-url", cfg.DatabaseURL, "--eventstore-url", "", "keys", "rewrap")
	if err != nil || strings.TrimSpace(out) != "2 keys rewrapped" {
		t.Fatalf("keys rewrap = %q, %v\n%s", out, err, errOut)
	}

	// Then with the new key alone (the generated one is gone), the entry and its stream name read as before
	cfg.MasterKey = base64.StdEncoding.EncodeToString(key)
	deps, err = openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	if again, _ := deps.Names.NewsletterStream(1232, "ann@example.com"); again != stream {
		t.Fatalf("the naming secret changed: %s, then %s", stream, again)
	}
	events, err := deps.EventStore.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 10)
	if err != nil || len(events) != 1 || !strings.Contains(string(events[0].Data), `"ann@example.com"`) {
		t.Fatalf("entry after the rotation: %v, %v", events, err)
	}
	var generated int
	if err := deps.ReadModels.Get(&generated, `SELECT count(*) FROM auth_secrets WHERE name = 'personal_data_master_key'`); err != nil || generated != 0 {
		t.Fatalf("the generated master key is still in the database (%d, %v)", generated, err)
	}
}
