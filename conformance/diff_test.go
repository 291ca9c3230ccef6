package conformance

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFirstDiff(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", -1},
		{"abc", "abc", -1},
		{"abc", "abd", 2},
		{"ab", "abc", 2},
		{"abc", "", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FirstDiff([]byte(tt.a), []byte(tt.b)), "%q %q", tt.a, tt.b)
	}
}

func TestDescribeDiff(t *testing.T) {
	assert.Equal(t, `first difference at offset 9: expected "2", actual "5"`,
		DescribeDiff([]byte("HTTP/1.0 200 OK"), []byte("HTTP/1.0 500 Internal")))
	assert.Contains(t, DescribeDiff([]byte("abc\x00"), []byte("abc")), `actual ends there (3 bytes), expected goes on with ..."\x00" (4 bytes)`)
	assert.Contains(t, DescribeDiff([]byte("ab"), []byte("ab\xff")), `expected ends there (2 bytes), actual goes on with ..."\xff" (3 bytes)`)
}

func TestSideBySide(t *testing.T) {
	exp := "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\ncharset=utf-8\r\n\r\nbody\n"
	act := "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\nbody\n"
	want := strings.Join([]string{
		`  expected                       | actual`,
		`  "HTTP/1.0 200 OK\r\n"          | "HTTP/1.0 200 OK\r\n"`,
		`! "Content-type: text/plain\r\n" | "Content-type: text/html\r\n"`,
		`  "charset=utf-8\r\n"            | "charset=utf-8\r\n"`,
		`  "\r\n"                         | "\r\n"`,
		`  "body\n"                       | "body\n"`,
		``,
	}, "\n")
	assert.Equal(t, want, SideBySide([]byte(exp), []byte(act)))
	assert.Empty(t, SideBySide([]byte("same"), []byte("same")))
}

func TestSideBySideCutsLongLinesAroundTheDifference(t *testing.T) {
	exp := strings.Repeat("0123456789", 2000)
	act := exp[:15000] + "X" + exp[15001:]
	out := SideBySide([]byte(exp), []byte(act))
	assert.Contains(t, out, `| ..."0123456789X1234`, "the actual column shows the differing byte")
	assert.Less(t, len(out), 400, "a 20000-byte line is cut to a window")

	// Many lines: only those around the first difference are shown.
	many := strings.Repeat("line\n", 100)
	out = SideBySide([]byte(many+"a\n"), []byte(many+"b\n"))
	assert.Contains(t, out, "! \"a\\n\"")
	assert.Less(t, strings.Count(out, "\n"), 10)
}
