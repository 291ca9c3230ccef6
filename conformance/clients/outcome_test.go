package clients

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCell(t *testing.T) {
	tests := []struct {
		o    Outcome
		want string
	}{
		{Outcome{Verdict: VerdictOK, Status: 200}, "ok 200"},
		{Outcome{Verdict: VerdictOK, Status: 404, Dropped: []string{"charset=utf-8", "X-One=1"}}, "ok 404, dropped lines: charset=utf-8, X-One=1"},
		{Outcome{Verdict: VerdictOK, Status: 200, Garbled: true, Charset: "windows-1252"}, "ok 200, text garbled (read as windows-1252)"},
		{Outcome{Verdict: VerdictOK, Status: 200, Garbled: true}, "ok 200, body differs"},
		{Outcome{Verdict: VerdictOK, Status: 200, Download: true}, "ok 200, saved as a download"},
		{Outcome{Verdict: VerdictOK, Status: 400, RawStatus: 200, Dropped: []string{"charset=utf-8"}}, "ok 400 (raw request: 200), dropped lines: charset=utf-8"},
		{Outcome{Verdict: VerdictRefused, Reason: "malformed MIME header"}, "refused: malformed MIME header"},
		{Outcome{Verdict: VerdictFailed, Reason: "EOF"}, "failed: EOF"},
		{Outcome{Verdict: VerdictFailed}, "failed"},
		{Outcome{Verdict: VerdictMissing, Reason: "not on PATH"}, "missing"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.o.Cell())
	}
}

func TestDroppedLines(t *testing.T) {
	raw := []string{"Content-type: text/plain", "charset=utf-8", "X-One=1", "Cache-Control: no-store"}
	kept := []Header{{"content-type", "text/plain"}, {"Cache-Control", "no-store"}}
	assert.Equal(t, []string{"charset=utf-8", "X-One=1"}, droppedLines(raw, kept))
	// A line kept as a header named after the whole line counts as kept.
	assert.Equal(t, []string{"X-One=1"}, droppedLines(raw[1:3], []Header{{"charset=utf-8", ""}}))
	// A changed value is not the line the device sent.
	assert.Equal(t, []string{"Content-type: text/plain"}, droppedLines(raw[:1], []Header{{"Content-Type", "text/html"}}))
	assert.Nil(t, droppedLines(nil, kept))
}

func TestGarbled(t *testing.T) {
	utf := []byte("EuroPi \xe2\x80\x94")
	assert.True(t, garbled(utf, Outcome{Charset: "windows-1252", Body: utf}))
	assert.False(t, garbled(utf, Outcome{Charset: "utf-8", Body: utf}))
	assert.False(t, garbled([]byte("ascii"), Outcome{Charset: "windows-1252"}), "ASCII reads the same in any charset")
	assert.True(t, garbled(utf, Outcome{Body: []byte("EuroPi ?")}))
	assert.False(t, garbled(utf, Outcome{Body: utf}))
	assert.False(t, garbled([]byte("\xff"), Outcome{Charset: "windows-1252"}), "not UTF-8 to begin with")
}
