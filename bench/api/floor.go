package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/lib/pq" // the floor's database driver, as the API's

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// The floor is not the API: it is the least any HTTP write with read-your-writes can cost on this machine,
// measured beside the API so the goals' ratios can be read against it. It is this benchmark's own binary
// run as a child process (as the API is), answering PUT /customer with the same request bytes and headers:
// it checks the API's token with the API's own code, decodes the body, and in ONE statement appends the
// change to an event table (the stream's next revision, unique per stream, as the store's guard) and
// merges it into the customer's row, whose JSON (the customer resource as the API answered it) it answers.
// No aggregate, no personal-data sealing, no standing check, no projections, no logging. What the API
// costs above it is the price of everything else a write does.

// floorWriteName names the floor's phase; it contains the API write it mirrors, so -writes keeps both.
const floorWriteName = "`PUT /customer` floor: HTTP + one statement, not the API"

// Environment of the floor's child process.
const (
	envFloorAddr     = "BENCH_FLOOR_ADDR"
	envFloorDatabase = "BENCH_FLOOR_DATABASE_URL"
	envFloorSecret   = "BENCH_FLOOR_AUTH_SECRET"
)

// floorTables are the floor's event table and customer rows, in the benchmark's database.
const floorTables = `
CREATE TABLE IF NOT EXISTS bench_floor_events (position bigserial PRIMARY KEY, stream text NOT NULL,
	revision bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL, UNIQUE (stream, revision));
CREATE TABLE IF NOT EXISTS bench_floor_customers (id bigint PRIMARY KEY, revision bigint NOT NULL, resource jsonb NOT NULL)`

// floorWrite is the floor's one statement: the event appended after the row's revision, and the row moved
// to it with the change merged, answered.
const floorWrite = `WITH appended AS (
	INSERT INTO bench_floor_events (stream, revision, type, data)
	SELECT 'customer-' || c.id, c.revision + 1, 'customer.profile_changed', $2::jsonb
	FROM bench_floor_customers c WHERE c.id = $1 RETURNING revision)
UPDATE bench_floor_customers c SET revision = appended.revision, resource = c.resource || $2::jsonb
FROM appended WHERE c.id = $1 RETURNING c.resource`

// startFloor seeds the floor's rows with customers as the API answers them and starts the floor on the
// API's auth secret, so the API's tokens sign the floor's requests too.
func startFloor(ctx context.Context, dir string, db *benchenv.Database, api *apiServer, customers []signedIn) (*apiServer, error) {
	if _, err := db.DB.ExecContext(ctx, floorTables); err != nil {
		return nil, fmt.Errorf("floor tables: %w", err)
	}
	for _, c := range customers {
		var answer struct{ Data json.RawMessage }
		err := httpload.Do(ctx, http.DefaultClient, authorized(c, httpload.Request{Method: http.MethodPost, Status: http.StatusOK,
			URL: fmt.Sprintf("%s/api/v1/sdk/customer?site_id=%d", api.base, siteID)}),
			func(b []byte) error { return json.Unmarshal(b, &answer) })
		if err == nil {
			_, err = db.DB.ExecContext(ctx, `INSERT INTO bench_floor_customers (id, revision, resource) VALUES ($1, 0, $2)
				ON CONFLICT (id) DO NOTHING`, c.id, []byte(answer.Data))
		}
		if err != nil {
			return nil, fmt.Errorf("floor row of customer %d: %w", c.id, err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return startProcess(ctx, filepath.Join(dir, "floor.log"), api.secret, func(addr, secret string) *exec.Cmd {
		cmd := exec.Command(self, "-serve-floor")
		cmd.Env = append(os.Environ(), envFloorAddr+"="+addr, envFloorDatabase+"="+db.URL, envFloorSecret+"="+secret)
		return cmd
	})
}

// serveFloor is the floor's child process (-serve-floor): it serves until killed.
func serveFloor() {
	keys, err := auth.DeriveKeys([]byte(os.Getenv(envFloorSecret)))
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := auth.NewTokens(keys.JWT, config.DefaultPublicURL+transport.APIBasePath+"/customer")
	if err != nil {
		log.Fatal(err)
	}
	db, err := sql.Open("postgres", os.Getenv(envFloorDatabase))
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	write, err := db.Prepare(floorWrite)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("PUT "+transport.APIBasePath+"/customer", func(w http.ResponseWriter, r *http.Request) {
		claims, err := tokens.Parse(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if err != nil {
			http.Error(w, `{"error":"token"}`, http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var change map[string]any
		if err == nil {
			err = json.Unmarshal(body, &change)
		}
		if err != nil {
			http.Error(w, `{"error":"body"}`, http.StatusBadRequest)
			return
		}
		var resource json.RawMessage
		if err := write.QueryRowContext(r.Context(), claims.CustomerID, body).Scan(&resource); err != nil {
			http.Error(w, `{"error":"write"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			Data json.RawMessage `json:"data"`
		}{resource})
	})
	server := &http.Server{Addr: os.Getenv(envFloorAddr), Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(server.ListenAndServe())
}
