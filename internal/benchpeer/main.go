package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/europi-http/europi-http/server"
)

// defaultResponse is what the peers send without -response: a small page
// with the device's header block (no colon on the charset line, no
// Content-Length, the body ends at the close).
const defaultResponse = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n" +
	"<!DOCTYPE html><html><body><h1>EuroPi</h1></body></html>"

// maxResponseBytes caps the -response file.
const maxResponseBytes = 1 << 20

// options holds benchpeer's flags.
type options struct {
	kind     string
	listen   string
	response string // file name; "" means defaultResponse
	// backlog is the listen queue's length; 0 leaves the system's.
	backlog int
}

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = run(ctx, opts, os.Stdout)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchpeer:", err)
		os.Exit(1)
	}
}

// parseFlags parses the command line, checking the kind and that the
// listen address is loopback.
func parseFlags(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("benchpeer", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.kind, "kind", "", "server to run: "+kindList())
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback address to listen on")
	fs.StringVar(&o.response, "response", "", "file holding the raw response bytes (default: a small EuroPi page)")
	fs.IntVar(&o.backlog, "backlog", 0, "length of the listen queue, as listen(N) sets it (0: the system's maximum; the device's is 5)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.backlog < 0 || o.backlog > 65535 {
		return o, fmt.Errorf("-backlog %d: want 0 (the system's) to 65535", o.backlog)
	}
	if _, ok := servers[o.kind]; !ok {
		return o, fmt.Errorf("-kind %q: want %s", o.kind, kindList())
	}
	host, _, err := net.SplitHostPort(o.listen)
	if err != nil {
		return o, fmt.Errorf("-listen %q: %w", o.listen, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return o, fmt.Errorf("-listen %q: benchpeer listens on loopback only (127.0.0.1 or [::1])", o.listen)
	}
	return o, nil
}

// loadResponse returns the bytes to serve.
func loadResponse(name string) ([]byte, error) {
	if name == "" {
		return []byte(defaultResponse), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxResponseBytes+1))
	switch {
	case err != nil:
		return nil, err
	case len(b) == 0:
		return nil, fmt.Errorf("-response %s is empty", name)
	case len(b) > maxResponseBytes:
		return nil, fmt.Errorf("-response %s is larger than %d bytes", name, maxResponseBytes)
	}
	return b, nil
}

// run serves until ctx ends.
func run(ctx context.Context, o options, out io.Writer) error {
	resp, err := loadResponse(o.response)
	if err != nil {
		return err
	}
	lc := net.ListenConfig{}
	if o.kind == "serial" || o.kind == "blocking" {
		// As the emulator listens: no TCP keep-alive on accepted
		// connections, which upstream's sockets do not have either.
		lc.KeepAlive = -1
	}
	ln, err := lc.Listen(ctx, "tcp", o.listen)
	if err != nil {
		return err
	}
	if o.backlog > 0 {
		if err := server.SetBacklog(ln, o.backlog); err != nil {
			_ = ln.Close()
			return err
		}
	}
	fmt.Fprintf(out, "benchpeer: %s serving on http://%s/\n", o.kind, ln.Addr())
	return servers[o.kind](ctx, ln, resp)
}

// kindList names the kinds this system can run, for messages.
func kindList() string {
	kinds := make([]string, 0, len(servers))
	for k := range servers {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return strings.Join(kinds[:len(kinds)-1], ", ") + " or " + kinds[len(kinds)-1]
}
