package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLexLine(t *testing.T) {
	tests := []struct {
		line string
		want []token
	}{
		{`send "a b"*2 x`, []token{{text: "send"}, {quoted: true, text: "a b", repeat: 2}, {text: "x"}}},
		{"raw `a\\r`", []token{{text: "raw"}, {quoted: true, text: `a\r`}}},
		{`body "\"\\"`, []token{{text: "body"}, {quoted: true, text: `"\`}}},
		{"end fin\r", []token{{text: "end"}, {text: "fin"}}},
	}
	for _, tt := range tests {
		got, err := lexLine(tt.line)
		require.NoError(t, err, tt.line)
		assert.Equal(t, tt.want, got, tt.line)
	}
	_, err := lexLine(`body "a"b`)
	assert.ErrorContains(t, err, "want a space after a string")
}
