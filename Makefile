# europi-http: build, run and test. `make test` is what CI runs.
GO      ?= go
BIN     ?= bin/europi-http
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

.PHONY: build run test vet bench clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/europi-http

run:
	$(GO) run ./cmd/europi-http serve

vet:
	$(GO) vet ./...

test: vet
	$(GO) test -race ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./server/

clean:
	rm -rf bin
