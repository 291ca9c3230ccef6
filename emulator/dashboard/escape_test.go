package dashboard

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"printable", `GET /a?b=c "d" ~`, `GET /a?b=c "d" ~`},
		{"line ends stay visible", "A\r\nB\n", "A\\r\\n\nB\\n\n"},
		{"tab and backslash", "a\tb\\c", `a\tb\\c`},
		{"control and high bytes", "\x00\x7f\xff", `\x00\x7f\xff`},
		{"UTF-8 shows its bytes", "ü", `\xc3\xbc`},
		{"markup is left to the page to escape", "<b>&</b>", "<b>&</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Escape([]byte(tt.in)))
		})
	}
}
