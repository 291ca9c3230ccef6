package emulator

import (
	"context"
	"flag"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/europi-http/europi-http/pyrt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected responses and errors in testdata/*.txtar")

// exchangeTimeout bounds one request in the tests; nothing legitimate
// comes near it.
const exchangeTimeout = 20 * time.Second

// TestScripts runs every testdata/*.txtar case: it writes the case's files
// to a folder, loads the script (section "app.star" unless the config
// names another script or an example), sends each "request" raw and
// compares the raw reply with the "response" that follows it; a "display"
// section is the OLED's frame at that point (after loading, or after the
// response before it), drawn by FrameText. A case with
// a "load error" section expects loading to fail with that text, and a
// "log" section lists texts the log must contain.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runArchive(t, file)
		})
	}
}

// reserved sections are instructions, not files to write.
var reserved = map[string]bool{"config": true, "request": true, "response": true, "log": true, "load error": true, "display": true}

func runArchive(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	a := txtar.Parse(data)
	dir := t.TempDir()
	for _, f := range a.Files {
		if reserved[f.Name] {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, f.Data, 0o644))
	}

	logs := &testnet.SyncBuffer{}
	cfg := Config{ScriptPath: filepath.Join(dir, "app.star"), Logger: log.New(logs, "", 0)}
	var sets [][2]string
	for _, f := range a.Files {
		if f.Name != "config" {
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
			key, value, _ := strings.Cut(strings.TrimSpace(line), " ")
			switch key {
			case "steps":
				cfg.StepLimit, err = strconv.ParseUint(value, 10, 64)
				require.NoError(t, err)
			case "runtime":
				cfg.Runtime, err = pyrt.ParseRuntime(value)
				require.NoError(t, err)
			case "script":
				cfg.ScriptPath = filepath.Join(dir, filepath.FromSlash(value))
			case "example":
				cfg.ScriptPath, cfg.Example = "", value
			case "set":
				name, v, _ := strings.Cut(value, "=")
				sets = append(sets, [2]string{name, v})
			default:
				t.Fatalf("unknown config line %q", line)
			}
		}
	}
	cfg.IO = NewIO()
	for _, kv := range sets {
		v, err := strconv.ParseFloat(kv[1], 64)
		require.NoError(t, err)
		require.NoError(t, cfg.IO.Set(kv[0], v))
	}
	clean := func(s string) string { return strings.ReplaceAll(s, dir+string(filepath.Separator), "") }

	em, loadErr := New(cfg)
	changed := false
	for i := range a.Files {
		if a.Files[i].Name != "load error" {
			continue
		}
		require.Error(t, loadErr, "the script loaded")
		var se *ScriptError
		require.ErrorAs(t, loadErr, &se)
		got := clean(loadErr.Error()) + "\n"
		if *update {
			changed = changed || string(a.Files[i].Data) != got
			a.Files[i].Data = []byte(got)
		} else {
			assert.Equal(t, string(a.Files[i].Data), got)
		}
	}
	if loadErr == nil {
		changed = serveArchive(t, em, a, clean) || changed
	} else if !hasSection(a, "load error") {
		t.Fatalf("load: %v", loadErr)
	}

	for _, f := range a.Files {
		if f.Name != "log" {
			continue
		}
		for _, want := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
			assert.Contains(t, clean(logs.String()), want)
		}
	}
	if *update && changed {
		require.NoError(t, os.WriteFile(file, txtar.Format(a), 0o644))
	}
}

// serveArchive serves the case's requests and checks (or, with -update,
// records) the responses; it reports whether it changed the archive.
func serveArchive(t *testing.T, em *Emulator, a *txtar.Archive, clean func(string) string) bool {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- em.Serve(ctx, ln) }()
	defer func() {
		cancel()
		require.NoError(t, <-served)
	}()

	changed := false
	var request []byte
	pending := false
	for i := range a.Files {
		f := &a.Files[i]
		switch f.Name {
		case "request":
			request, err = decodeWire(string(f.Data))
			require.NoError(t, err, "request section")
			pending = true
		case "response":
			require.True(t, pending, "a response section must follow a request section")
			pending = false
			got := []byte(clean(string(exchange(t, ln.Addr().String(), request))))
			if *update {
				enc := encodeWire(got)
				changed = changed || enc != string(f.Data)
				f.Data = []byte(enc)
				continue
			}
			want, err := decodeWire(string(f.Data))
			require.NoError(t, err, "response section")
			assert.Equal(t, string(want), string(got), "response to %q", request)
		case "display":
			got := FrameText(em.IO().Display().Frame())
			if *update {
				changed = changed || got != string(f.Data)
				f.Data = []byte(got)
				continue
			}
			assert.Equal(t, string(f.Data), got, "the display after %q", request)
		}
	}
	require.False(t, pending, "a request section has no response section")
	return changed
}

// exchange sends one raw request and returns every byte of the reply.
func exchange(t *testing.T, addr string, request []byte) []byte {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, exchangeTimeout)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(exchangeTimeout)))
	_, err = conn.Write(request)
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	reply, err := io.ReadAll(conn)
	require.NoError(t, err)
	return reply
}

func hasSection(a *txtar.Archive, name string) bool {
	for _, f := range a.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}
