# Targets of the runtime contract: `make test` is what CI and the README run.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOTESTSUM ?= gotest.tools/gotestsum@v1.13.0

.PHONY: build test bench lint run

build:
	$(GO) build -o bin/pelcro ./cmd/pelcro

# `go test -race -count=1 ./...` through gotestsum, which names every test and subtest it ran (the event
# store contract suite shows one subtest per backend: postgres, esdb, and esdb-node when a node is set).
test:
	$(GO) run $(GOTESTSUM) --format testname -- -race -count=1 ./...

# Side-by-side benchmarks of our event store against raw PostgreSQL; results go to docs/benchmarks.md.
bench:
	$(GO) run ./bench

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

run:
	$(GO) run ./cmd/pelcro serve
