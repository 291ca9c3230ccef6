package emulator

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testMemoryLimit is the limit the memory tests run with: small, so that
// what they allocate before the limit stops them stays small too.
const testMemoryLimit = 4 << 20

// loadLimited loads a script of code, after the HttpServer() line, with
// testMemoryLimit, and returns its path and the load's error.
func loadLimited(t *testing.T, code string) (string, error) {
	script := writeScript(t, map[string]string{"app.star": "server = HttpServer()\n" + code + "\n"})
	_, err := New(Config{ScriptPath: script, MemoryLimit: testMemoryLimit})
	return script, err
}

// growScript defines grow(), which keeps 64 KiB strings up to 64 MiB, one
// step at a time (no single step is refused), then spins: the watchdog
// must stop it before the step limit does.
const growScript = `def grow():
    chunks = []
    for _ in range(1000):
        chunks.append("x" * 65536)
    while True:
        pass
    return chunks
`

// Each refused allocation and the gradual growth fail the load with a
// MemoryError at its position; what fits loads.
func TestMemoryLimitAtLoad(t *testing.T) {
	tests := []struct {
		name, code string
		want       string // the load error after "app.star:", or "" to load
	}{
		{"str repeat", `X = "x" * (1 << 29)`,
			"2:9: MemoryError: str * 536870912 needs about 512 MiB, more than the memory limit of 4 MiB"},
		{"list repeat", `X = [0] * (1 << 29)`,
			"2:9: MemoryError: list * 536870912 needs about 8 GiB, more than the memory limit of 4 MiB"},
		{"repeat with the count on the left", `X = (1 << 20) * (1, 2)`,
			"2:15: MemoryError: tuple * 1048576 needs about 32 MiB, more than the memory limit of 4 MiB"},
		{"augmented repeat", "X = [\"ab\"]\nX *= 1 << 29",
			"3:3: MemoryError: list * 536870912 needs about 8 GiB, more than the memory limit of 4 MiB"},
		{"augmented repeat of an element", "X = {\"a\": \"ab\"}\nX[\"a\"] *= 1 << 29",
			"3:8: MemoryError: str * 536870912 needs about 1 GiB, more than the memory limit of 4 MiB"},
		{"concatenation", "X = \"x\" * (3 << 20)\nY = X + X",
			"3:7: MemoryError: str + str needs about 6 MiB, more than the memory limit of 4 MiB"},
		{"augmented concatenation", "X = [0] * (200 << 10)\nX += X",
			"3:6: MemoryError: list + list needs about 6.25 MiB, more than the memory limit of 4 MiB"},
		{"bytes repeat", `X = b"ab" * (1 << 22)`,
			"2:11: MemoryError: bytes * 4194304 needs about 8 MiB, more than the memory limit of 4 MiB"},
		{"set of a range", `X = set(range(100000))`,
			"2:8: MemoryError: set() needs about 6.104 MiB, more than the memory limit of 4 MiB"},
		{"list of a huge range", `X = list(range(1 << 62))`,
			"2:15: MemoryError: a list of the 4611686018427387904 numbers of range(4611686018427387904) needs more than 16 EiB, more than the memory limit of 4 MiB"},
		{"len of a list of a range", `X = len(list(range(1 << 26)))`,
			"2:19: MemoryError: a list of the 67108864 numbers of range(67108864) needs about 1 GiB, more than the memory limit of 4 MiB"},
		{"zip of many ranges", `X = zip(*([range(200000)] * 100))`,
			"2:8: MemoryError: zip() needs about 308.2 MiB, more than the memory limit of 4 MiB"},
		{"json.dumps of a shared structure", "a = [1] * 100\nb = [a] * 100\nc = [b] * 100\nX = json.dumps([c] * 100)",
			"5:15: MemoryError: the JSON text would need more than the memory limit of 4 MiB"},
		{"json.dumps of a string CPython escapes sixfold", "X = json.dumps(\"\\u00fc\" * (1 << 20))",
			"2:15: MemoryError: the JSON text would need more than the memory limit of 4 MiB"},
		{"catch does not catch it", `X = catch(lambda: "x" * (1 << 29))`,
			"2:23: MemoryError: str * 536870912 needs about 512 MiB, more than the memory limit of 4 MiB"},
		{"gradual growth", growScript + "X = grow()", "MemoryError: memory limit of 4 MiB exceeded (the heap grew by "},
		{"what fits", "X = list(range(1000)) * 10\nY = \"x\" * 100000\nZ = json.dumps([X] * 2)\nW = [i * 2 for i in range(10)] + 3 * [1.5 * 2]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC() // so the heap's growth is the script's
			script, err := loadLimited(t, tt.code)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var se *ScriptError
			require.ErrorAs(t, err, &se)
			if strings.HasPrefix(tt.want, "MemoryError") {
				assert.Contains(t, se.Msg, tt.want) // the growth it saw varies
				return
			}
			assert.Equal(t, script+":"+tt.want, err.Error())
		})
	}
}

// In a handler, a MemoryError is the 500 page, and the server goes on
// serving.
func TestMemoryLimitInHandler(t *testing.T) {
	script := writeScript(t, map[string]string{"app.star": `server = HttpServer()
` + growScript + `
def get(request = None, connection = None):
    path = request.split(" ")[1]
    body = "ok"
    if path == "/repeat":
        body = "x" * (1 << 29)
    elif path == "/range":
        body = str(len(list(range(1 << 26))))
    elif path == "/grow":
        body = grow()
    elif path == "/caught":
        body = str(catch(lambda: [0] * (1 << 29)))
    server.send_response(connection, body, content_type = MimeTypes.TEXT)
server.get_handler(get)
`})
	em, err := New(Config{ScriptPath: script, MemoryLimit: testMemoryLimit})
	require.NoError(t, err)
	addr := startServing(t, em)
	// released: the heap really grew past the limit, so the process gives
	// the memory back to the system; a refused allocation grew nothing.
	tests := []struct {
		path, want string
		released   bool
	}{
		{"/repeat", "MemoryError: str * 536870912 needs about 512 MiB, more than the memory limit of 4 MiB", false},
		{"/range", "MemoryError: a list of the 67108864 numbers of range(67108864) needs about 1 GiB, more than the memory limit of 4 MiB", false},
		{"/grow", "MemoryError: memory limit of 4 MiB exceeded (the heap grew by ", true},
		{"/caught", "MemoryError: list * 536870912 needs about 8 GiB, more than the memory limit of 4 MiB", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			runtime.GC() // so the heap's growth is the script's
			// A release still running from an earlier test holds the next.
			require.Eventually(t, func() bool { return !releasing.Load() }, 10*time.Second, time.Millisecond)
			before := releases.Load()
			reply := string(exchange(t, addr, []byte(fmt.Sprintf("GET %s HTTP/1.1\r\n\r\n", tt.path))))
			assert.Equal(t, tt.released, releases.Load() > before, "memory given back")
			assert.True(t, strings.HasPrefix(reply, "HTTP/1.0 500 "), reply)
			assert.Contains(t, reply, "<p>"+tt.want)
			assert.Equal(t, "ok", bodyOf(t, exchange(t, addr, []byte("GET /ok HTTP/1.1\r\n\r\n"))))
		})
	}
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "0 bytes"},
		{1023, "1023 bytes"},
		{1 << 10, "1 KiB"},
		{1536 << 10, "1.5 MiB"},
		{64 << 20, "64 MiB"},
		{1<<30 - 1, "1024 MiB"},
		{1 << 62, "4 EiB"},
		{^uint64(0), "16 EiB"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatBytes(tt.n), "%d", tt.n)
	}
}
