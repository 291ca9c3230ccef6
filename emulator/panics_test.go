package emulator

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"testing"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// noMemoryLimit lets list(range(1 << 50)) past the memory checks, to
// starlark-go's make([]Value, 0, 1 << 50), which panics before it
// allocates anything: the panic the tests need.
const noMemoryLimit = 1 << 62

// panickingList is a script line whose list() panics inside starlark-go.
const panickingList = "list(range(1 << 50))"

// panicFolder is a script folder whose every read panics.
type panicFolder struct{}

func (panicFolder) read(string) ([]byte, error) { panic("boom") }

// A panic while a script loads is a *ScriptError: at the script's
// position when a builtin panicked, at 1:1 when the position is lost.
func TestPanicAtLoad(t *testing.T) {
	tests := []struct {
		name  string
		src   source
		want  string
		where string
	}{
		{"in a builtin", source{name: "app.star", code: []byte("server = HttpServer()\nX = " + panickingList + "\n")},
			"app.star:2:9: internal error in list(): runtime error: makeslice: cap out of range", "list()"},
		{"caught", source{name: "app.star", code: []byte("server = HttpServer()\nX = catch(list, range(1 << 50))\n")},
			"app.star:2:10: internal error in list(): runtime error: makeslice: cap out of range", "list()"},
		{"elsewhere", source{name: "app.star", code: []byte("server = HttpServer()\nX = load_file(\"a.txt\")\n"), files: panicFolder{}},
			"app.star:1:1: internal error in the Starlark interpreter: boom", interpreterPanic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &testnet.SyncBuffer{}
			_, err := loadScript(context.Background(), tt.src, loadOptions{io: NewIO(), logger: log.New(logs, "", 0), steps: DefaultStepLimit, memory: noMemoryLimit, timeout: DefaultCallTimeout})
			var se *ScriptError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.want, se.Error())
			var p *panicError
			require.ErrorAs(t, err, &p)
			assert.Equal(t, tt.where, p.where)
			assert.Contains(t, logs.String(), "goroutine ", "the Go stack is logged")
		})
	}
}

// A panic in a handler is the 500 page with a clean message, and the
// server goes on serving.
func TestPanicInHandler(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": `server = HttpServer()
def get(request = None, connection = None):
    path = request.split(" ")[1]
    body = "ok"
    if path == "/list":
        body = str(` + panickingList + `)
    elif path == "/caught":
        body = str(catch(list, range(1 << 50)))
    elif path == "/state":
        body = str(state["boom"]())
    server.send_response(connection, body, content_type = MimeTypes.TEXT)
server.get_handler(get)
`})
	logs := &testnet.SyncBuffer{}
	em, err := New(Config{ScriptPath: script, MemoryLimit: noMemoryLimit, Logger: log.New(logs, "", 0)})
	require.NoError(t, err)
	// A Go value the script calls, as no script-written code could panic.
	boom := starlark.NewBuiltin("boom", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		panic("boom")
	})
	require.NoError(t, em.script().state.SetKey(starlark.String("boom"), boom))
	addr := startServing(t, em)

	tests := []struct{ path, want string }{
		{"/list", "internal error in list(): runtime error: makeslice: cap out of range"},
		{"/caught", "internal error in list(): runtime error: makeslice: cap out of range"},
		{"/state", "internal error in the Starlark interpreter: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			reply := string(exchange(t, addr, []byte(fmt.Sprintf("GET %s HTTP/1.1\r\n\r\n", tt.path))))
			assert.True(t, strings.HasPrefix(reply, "HTTP/1.0 500 "), reply)
			assert.Contains(t, reply, "<p>"+tt.want+"</p>")
			assert.Equal(t, "ok", bodyOf(t, exchange(t, addr, []byte("GET /ok HTTP/1.1\r\n\r\n"))))
		})
	}
	assert.NotContains(t, logs.String(), "handler panic", "the server's own recover is not reached")
}

// A reload that panics is a failed reload: the last good script keeps
// serving.
func TestPanicOnReload(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": textScript(`"v1"`)})
	em, err := New(Config{ScriptPath: script, Watch: true, MemoryLimit: noMemoryLimit, Logger: log.New(io.Discard, "", 0)})
	require.NoError(t, err)
	addr := startServing(t, em)
	require.NoError(t, os.WriteFile(script, []byte("server = HttpServer()\nX = "+panickingList+"\n"), 0o644))
	assert.Equal(t, "v1", bodyOf(t, exchange(t, addr, []byte("GET / HTTP/1.1\r\n\r\n"))))
	assert.Equal(t, script+":2:9: internal error in list(): runtime error: makeslice: cap out of range", em.Status().ReloadError)
}
