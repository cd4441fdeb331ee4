# Targets of the runtime contract: `make test` is what CI and the README run.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOTESTSUM ?= gotest.tools/gotestsum@v1.13.0
# The OpenAPI linter, from npm through npx (docs/openapi.md); pinned so a new release cannot break CI.
REDOCLY ?= @redocly/cli@2.77.0

.PHONY: build check tidy-check openapi-lint test billing-year bench bench-billing bench-http bench-api bench-rebuild bench-sealing bench-audit lint run screenshots

build:
	$(GO) build -o bin/pelcro ./cmd/pelcro

# `go test -race -count=1 ./...` through gotestsum, which names every test and subtest it ran (the event
# store contract suite shows one subtest per backend: postgres, esdb, and esdb-node when a node is set).
# The timeout is per package: ./commands alone took 1,202 s on a 2-core machine at load 20 (771 s at 19,
# 400-600 s quiet), so 20 minutes was too close for a busy machine.
test: check
	$(GO) run $(GOTESTSUM) --format testname -- -race -count=1 -timeout 40m ./...

# A year of the billing clock over BILLING_YEAR_SUBSCRIPTIONS subscriptions (monthly and yearly, declining
# cards, cancellations) checked against the schedule, alone; the suite runs the same test over 100.
BILLING_YEAR_SUBSCRIPTIONS ?= 1000
billing-year:
	PELCRO_BILLING_YEAR_SUBSCRIPTIONS=$(BILLING_YEAR_SUBSCRIPTIONS) $(GO) test -race -count=1 -timeout 30m \
		-run '^TestAYearOfBilling$$' ./commands/

# What `make test` checks before the tests: go.mod and go.sum as `go mod tidy` leaves them, and an OpenAPI
# document the linter accepts without a finding.
check: tidy-check openapi-lint

tidy-check:
	$(GO) mod tidy -diff

# Lints the document the server serves (`pelcro openapi` assembles transport/openapi) with redocly.yaml.
openapi-lint:
	@document=$$(mktemp --suffix=.json) && trap 'rm -f "$$document"' EXIT && \
	$(GO) run ./cmd/pelcro openapi > "$$document" && \
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --yes $(REDOCLY) lint --config redocly.yaml "$$document"

# Side-by-side benchmarks of our event store against raw PostgreSQL; results go to docs/benchmarks.md.
bench:
	$(GO) run ./bench

# The API under load against a bare net/http handler sending the API's recorded bytes and headers, both on
# loopback in one process (flags: -phase 5s -rounds 3 -connections 32 -sites 50 -plans 20 -cpuprofile FILE).
# Retakes the console's pictures docs/operations.md shows, through the browser test (Chromium needed).
screenshots:
	PELCRO_SCREENSHOTS_DIR=$(CURDIR)/docs/operations $(GO) test -count=1 -run TestConsoleInABrowser ./cmd/pelcro

bench-http:
	$(GO) run ./bench/http

# The write path of `pelcro serve` (a child process built from this tree) against raw single-row INSERT
# transactions on the same server, commit → visible latency, and long vs short customer histories (flags:
# -phase 5s -rounds 3 -connections 16 -customers 128 -history 10000 -rate 1000).
bench-api:
	$(GO) run ./bench/api

# Full projection rebuilds over 1,000,000 newsletter events plus a catalog (quick run: EVENTS=100000).
EVENTS ?= 1000000
bench-rebuild:
	$(GO) run ./bench/rebuild -events $(EVENTS)

# A customers.v1 rebuild (and a read-only pass) over the same log sealed and in plaintext (quick run:
# CUSTOMERS=2000).
CUSTOMERS ?= 20000
bench-sealing:
	$(GO) run ./bench/sealing -customers $(CUSTOMERS)

# `billing run` over due renewals charged through the sandbox gateway (goal: 100,000 at 2,000 renewals/s;
# quick run: RENEWALS=2000).
RENEWALS ?= 100000
bench-billing:
	$(GO) run ./bench/billing -subscriptions $(RENEWALS) -customers $$(( $(RENEWALS) / 100 + 1 ))

# The first page of an audit timeline for a customer with 10,000 events across 1,002 streams, among other
# customers' events, against a scan of the whole log (quick run: OTHER_EVENTS=100000).
OTHER_EVENTS ?= 1000000
bench-audit:
	$(GO) run ./bench/audit -other-events $(OTHER_EVENTS)

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

run:
	$(GO) run ./cmd/pelcro serve
