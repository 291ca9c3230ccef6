package clients

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is what a test expects of an outcome.
type want struct {
	verdict Verdict
	status  int
	reason  string
	dropped []string
	body    string
	garbled bool
}

func (w want) check(t *testing.T, o Outcome) {
	t.Helper()
	assert.Equal(t, w.verdict, o.Verdict, "%s: %s", o.Cell(), o.Error)
	assert.Equal(t, w.status, o.Status)
	if w.reason != "" {
		assert.Contains(t, o.Reason, w.reason)
	}
	if o.Verdict == VerdictOK {
		assert.ElementsMatch(t, w.dropped, o.Dropped)
		assert.Equal(t, w.body, string(o.Body))
		assert.Equal(t, w.garbled, o.Garbled)
		assert.Contains(t, keptNames(o), "content-type")
	}
	assert.Positive(t, o.Duration)
}

// TestClients sends the same answers to every client installed here: an
// upstream-style answer, a valid one, no answer, and a POST whose body
// must arrive.
func TestClients(t *testing.T) {
	upstream, _ := fakeDevice(t, upstreamText)
	valid, _ := fakeDevice(t, validText)
	html, _ := fakeDevice(t, upstreamHTML)
	silent, _ := fakeDevice(t, "")
	get := Request{Method: "GET", Path: "/text"}
	bothDropped := []string{"charset=utf-8", "X-One=1"}
	ok := want{verdict: VerdictOK, status: 200, body: "plain text\n"}
	tests := []struct {
		client    string
		upstream  want
		html      want
		silentWhy string
	}{
		{"go", want{verdict: VerdictRefused, reason: "malformed MIME header"}, want{verdict: VerdictRefused}, "EOF"},
		{"curl", want{verdict: VerdictRefused, reason: "(8) Header without colon"}, want{verdict: VerdictRefused}, "(52) Empty reply from server"},
		{"urllib", want{verdict: VerdictOK, status: 200, body: "plain text\n", dropped: bothDropped},
			want{verdict: VerdictOK, status: 200, body: "<p>EuroPi \u2014 gr\u00fc\u00df</p>", dropped: []string{"charset=utf-8"}}, "RemoteDisconnected"},
		{"chromium", want{verdict: VerdictOK, status: 200, body: "plain text\n", dropped: bothDropped},
			want{verdict: VerdictOK, status: 200, body: "<p>EuroPi \u2014 gr\u00fc\u00df</p>", dropped: []string{"charset=utf-8"}, garbled: true}, "ERR_EMPTY_RESPONSE"},
	}
	for _, tt := range tests {
		t.Run(tt.client, func(t *testing.T) {
			if tt.client == "chromium" && testing.Short() {
				t.Skip("starts a browser")
			}
			c := startClient(t, tt.client)
			t.Run("upstream answer", func(t *testing.T) { tt.upstream.check(t, do(t, c, upstream, get)) })
			t.Run("upstream page", func(t *testing.T) { tt.html.check(t, do(t, c, html, get)) })
			t.Run("valid answer", func(t *testing.T) { ok.check(t, do(t, c, valid, get)) })
			t.Run("no answer", func(t *testing.T) {
				want{verdict: VerdictFailed, reason: tt.silentWhy}.check(t, do(t, c, silent, get))
			})
			t.Run("post", func(t *testing.T) {
				addr, got := fakeDevice(t, validText)
				body := "{\"cv1\": 2.5, \"name\": \"\u00fc\"}"
				o := c.Do(t.Context(), addr, Request{Method: "POST", Path: "/json?x=1", Body: []byte(body), ContentType: "text/json"}, DefaultTimeout)
				require.Equal(t, VerdictOK, o.Verdict, o.Error)
				r := <-got
				assert.Equal(t, received{Method: "POST", Path: "/json?x=1", Body: []byte(body)}, r)
			})
		})
	}
}

func TestNew(t *testing.T) {
	cs, err := New([]string{"curl", "go", "curl"}, Config{})
	require.NoError(t, err)
	require.Len(t, cs, 2)
	assert.Equal(t, "curl", cs[0].Name())
	assert.Equal(t, "go", cs[1].Name())
	_, err = New([]string{"wget"}, Config{})
	assert.ErrorContains(t, err, `unknown client "wget"; want one of go, curl, urllib, chromium`)
	_, err = New(nil, Config{})
	assert.ErrorContains(t, err, "no client named")
	assert.NoError(t, CheckNames(Names))
	assert.Error(t, CheckNames([]string{"go", "lynx"}))
}

func TestMissingProgramsAreReported(t *testing.T) {
	cs, err := New(Names[1:], Config{Curl: "/nonexistent/curl", Python: "/nonexistent/python3", Chromium: "/nonexistent/chromium"})
	require.NoError(t, err)
	for _, c := range cs {
		_, err := c.Start(t.Context())
		assert.Error(t, err, c.Name())
		c.Close()
	}
}

func TestParseCurlOutput(t *testing.T) {
	status, kept, body, err := parseCurlOutput([]byte("HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\nX: a: b\r\n\r\n<p>x</p>"))
	require.NoError(t, err)
	assert.Equal(t, 404, status)
	assert.Equal(t, []Header{{"Content-Type", "text/html"}, {"X", "a: b"}}, kept)
	assert.Equal(t, "<p>x</p>", string(body))
	for _, bad := range []string{"", "HTTP/1.0 200 OK", "garbage\r\n\r\n", "HTTP/1.0 abc\r\n\r\n"} {
		_, _, _, err := parseCurlOutput([]byte(bad))
		assert.Error(t, err, bad)
	}
}
