package pyrt

import (
	"bytes"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecodeErrorMessagesMatchPython(t *testing.T) {
	py := python3(t)
	cases := [][]byte{
		{0xff}, {0x80}, {0xc0, 0x80}, {0xc2}, {0xc2, 0x41}, {0xe2, 0x82}, {0xe2, 0x28, 0xa1},
		{0xe0, 0x80, 0x80}, {0xed, 0xa0, 0x80}, {0xf0, 0x90, 0x28}, {0xf0, 0x80}, {0xf4, 0x90, 0x80, 0x80},
		{0xf5}, {'a', 'b', 0xf0, 0x9f, 0x98}, []byte("GET /\xff HTTP/1.1"),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		b := make([]byte, 1+rng.IntN(8))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				b[i] = 0x80 | byte(rng.IntN(64))
			}
		}
		cases = append(cases, b)
	}
	var in bytes.Buffer
	var want []string
	for _, c := range cases {
		_, err := CPython.Decode(c)
		msg := "ok"
		if err != nil {
			msg = err.Error()
		}
		want = append(want, msg)
		in.WriteString(strings.ToUpper(hexString(c)) + "\n")
	}
	script := `import sys
for l in sys.stdin:
    try:
        bytes.fromhex(l.strip()).decode("UTF-8"); print("ok")
    except UnicodeDecodeError as e:
        print(str(e))`
	out := runPython(t, py, script, in.Bytes())
	assert.Equal(t, want, strings.Split(strings.TrimRight(out, "\n"), "\n"))
}

func TestMicroPythonDecodeIsLenientLikeUtf8Check(t *testing.T) {
	tests := []struct {
		raw []byte
		ok  bool
	}{
		{[]byte("plain"), true},
		{[]byte{0xc0, 0xaf}, true},             // overlong
		{[]byte{0xed, 0xa0, 0x80}, true},       // surrogate
		{[]byte{0xf7, 0xbf, 0xbf, 0xbf}, true}, // beyond U+10FFFF
		{[]byte{0xf8, 0x80}, false},
		{[]byte{0xe2, 0x82}, false},
		{[]byte{0x80}, false},
		{[]byte{0xc3, 0x41}, false},
	}
	for _, tt := range tests {
		got, err := MicroPython.Decode(tt.raw)
		if tt.ok {
			assert.NoError(t, err, "% x", tt.raw)
			assert.Equal(t, string(tt.raw), got)
		} else {
			assert.Equal(t, &DecodeError{}, err, "% x", tt.raw)
		}
	}
}

// TestMicroPythonDecodeMatchesMicroPython cross-checks random byte strings
// with the micropython binary, where it is installed.
func TestMicroPythonDecodeMatchesMicroPython(t *testing.T) {
	mpy, err := exec.LookPath("micropython")
	if err != nil {
		t.Skip("micropython not on PATH: cannot cross-check its UTF-8 check")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var in bytes.Buffer
	var want []string
	for range 400 {
		b := make([]byte, 1+rng.IntN(6))
		for i := range b {
			b[i] = byte(0x80 + rng.IntN(128))
			if rng.IntN(4) == 0 {
				b[i] = byte(rng.IntN(128))
			}
		}
		_, err := MicroPython.Decode(b)
		want = append(want, map[bool]string{true: "ok", false: "err"}[err == nil])
		in.WriteString(hexString(b) + "\n")
	}
	script := `import sys
for l in sys.stdin:
    l = l.strip()
    b = bytes(int(l[i:i+2], 16) for i in range(0, len(l), 2))
    try:
        b.decode("UTF-8")
        print("ok")
    except UnicodeError:
        print("err")`
	out := runPython(t, mpy, script, in.Bytes())
	assert.Equal(t, want, strings.Fields(out))
}
