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
# server, concurrency and round, plus a short warm-up).
BENCHTIME ?= 2s
# BENCHROUNDS is how many rounds `make bench` measures every server in,
# one server after the other (every other round backwards); the table
# shows the median and the spread.
BENCHROUNDS ?= 7
# BENCHCONNS are the concurrency levels `make bench` compares.
BENCHCONNS ?= 1,16
# FUZZTIME is how long `make fuzz` runs each fuzz target.
FUZZTIME ?= 1m
# FUZZTIMEOUT is go test's -timeout for each target: it must exceed FUZZTIME
# (go test's default of 10m would end a longer fuzz run with a panic).
FUZZTIMEOUT ?= 30m
# FUZZ_TARGETS are the fuzz targets as PACKAGE:NAME (go test -fuzz takes one at a time).
FUZZ_TARGETS ?= ./server:FuzzServeConn ./server:FuzzServeTCP ./server:FuzzRequestLine ./conformance/scenario:FuzzParse ./emulator:FuzzScript ./emulator:FuzzHandlerArgs

# bench: the in-process Go benchmarks (the server's round trip, a Starlark
# handler's, the dashboard's Record), then one table from one client
# (internal/loadgen): the emulator as `serve` runs by default (dashboard and
# request log on) and with --quiet --no-dashboard, Go's net/http sending the
# same bytes with keep-alive off, the serial accept-read-send-send-close
# loop with the device's listen backlog of 5 (the limit for one-at-a-time
# serving), with blocking system calls as the emulator serves, and with the
# system's backlog, a bare goroutine-per-connection server and, when EUROPI_FIRMWARE names a EuroPi checkout, upstream's
# http_server.py under python3. Prints req/s, p50/p99, peak RSS and the
# ratios to net/http and to the serial limit.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./server/ ./emulator/ ./emulator/dashboard/
	$(GO) run ./internal/benchtable -duration $(BENCHTIME) -rounds $(BENCHROUNDS) -conns $(BENCHCONNS)

# fuzz: each fuzz target (PACKAGE:NAME) for FUZZTIME, one after another; a
# failing input is written to that package's testdata/fuzz/<name>/ and fails
# the run.
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		echo "== $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -timeout $(FUZZTIMEOUT) $$pkg; \
	done

# Soak: 100,000 requests from 50 concurrent clients against the default
# example (a tenth garbage, early closes or silent clients); prints a
# summary (requests by kind, duration, req/s, fds and goroutines before and
# after). About half a minute on a laptop; not part of `make test`.
soak:
	$(GO) test ./emulator -run '^TestSoak$$' -soak -v -count=1 -timeout 20m

clean:
	rm -rf bin
