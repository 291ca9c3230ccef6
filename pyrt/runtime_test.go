package pyrt

import (
	"bytes"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstWord(t *testing.T) {
	tests := []struct {
		request string
		rt      Runtime
		want    string
		ok      bool
	}{
		{"PUT / HTTP/1.1", CPython, "PUT", true},
		{"\t\r\n OPTIONS\t*", CPython, "OPTIONS", true},
		{"", CPython, "", false},
		{" \r\n\x1c", CPython, "", false},
		{" \r\n\x1c", MicroPython, "\x1c", true},
		{"\x00GET", CPython, "\x00GET", true},
		{"A\u3000B", CPython, "A", true},
		{"A\u3000B", MicroPython, "A\u3000B", true},
	}
	for _, tt := range tests {
		got, ok := tt.rt.FirstWord(tt.request)
		assert.Equal(t, tt.ok, ok, "%q", tt.request)
		assert.Equal(t, tt.want, got, "%q", tt.request)
	}
}

func TestParseRuntime(t *testing.T) {
	for name, want := range map[string]Runtime{"cpython": CPython, "MicroPython": MicroPython, "python3": CPython} {
		got, err := ParseRuntime(name)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		again, err := ParseRuntime(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, again)
	}
	_, err := ParseRuntime("jython")
	assert.ErrorContains(t, err, `unknown runtime "jython"`)
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func python3(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH: cannot cross-check with CPython")
	}
	return path
}

func runPython(t *testing.T, py, script string, stdin []byte) string {
	t.Helper()
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.Output()
	require.NoError(t, err)
	return string(out)
}
