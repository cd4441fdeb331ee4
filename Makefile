# Targets of the runtime contract: `make test` is what CI and the README run.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@2025.1.1

.PHONY: build test bench lint run

build:
	$(GO) build -o bin/pelcro ./cmd/pelcro

test:
	$(GO) test -race -count=1 ./...

# Side-by-side benchmarks of our event store against raw PostgreSQL; results go to docs/benchmarks.md.
bench:
	$(GO) run ./bench

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

run:
	$(GO) run ./cmd/pelcro serve
