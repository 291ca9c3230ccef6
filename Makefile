# europi-http: build, run and test. `make test` is what CI runs.
GO      ?= go
BIN     ?= bin/europi-http
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

.PHONY: build run test vet bench fuzz soak clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/europi-http

run:
	$(GO) run ./cmd/europi-http serve

vet:
	$(GO) vet ./...

test: vet
	$(GO) test -race ./...


# BENCHTIME is the length of each measured run in `make bench` (one per
# server and concurrency, plus a short warm-up).
BENCHTIME ?= 5s
# BENCHCONNS are the concurrency levels `make bench` compares.
BENCHCONNS ?= 1,16
# FUZZTIME is how long `make fuzz` runs each fuzz target.
FUZZTIME ?= 1m
# FUZZTIMEOUT is go test's -timeout for each target: it must exceed FUZZTIME
# (go test's default of 10m would end a longer fuzz run with a panic).
FUZZTIMEOUT ?= 30m
# FUZZ_TARGETS are the server's fuzz targets (go test -fuzz takes one at a time).
FUZZ_TARGETS ?= FuzzServeConn FuzzServeTCP

# bench: the in-process Go benchmarks, then one table from one client
# (internal/loadgen): the emulator (default profile), Go's net/http sending
# the same bytes with keep-alive off, a bare accept-write-close Go server (the
# loopback limit) and, when EUROPI_FIRMWARE names a EuroPi checkout,
# upstream's http_server.py under python3. Prints req/s, p50/p99, peak RSS
# and the ratios to net/http and to the loopback limit.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./server/
	$(GO) run ./internal/benchtable -duration $(BENCHTIME) -conns $(BENCHCONNS)

# fuzz: each server fuzz target for FUZZTIME; a failing input is written to
# server/testdata/fuzz/<target>/ and fails the target.
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $$t for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -timeout $(FUZZTIMEOUT) ./server/; \
	done

clean:
	rm -rf bin
