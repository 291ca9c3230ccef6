package dashboard

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
)

func TestAPIRoutes(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, nil)
	const jsonType = "application/json"
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantCode    int
		want        string // a substring of the body
	}{
		{"state", "GET", "api/state", "", "", 200, `"inputs":{"ain":0,"din":0,"k1":0,"k2":0,"b1":0,"b2":0}`},
		{"status", "GET", "api/status", "", "", 200, `"script":"status/main.star","watch":false,"reloads":0,"device_url":"http://`},
		{"empty log", "GET", "api/log", "", "", 200, `{"entries":[]}`},
		{"set inputs", "POST", "api/inputs", jsonType, `{"k1": 40, "din": 1}`, 200, `"din":1,"k1":40`},
		{"json with charset", "POST", "api/inputs", "application/json; charset=utf-8", `{"b2": 1}`, 200, `"b2":1`},
		{"unknown input", "POST", "api/inputs", jsonType, `{"k3": 1}`, 400, `unknown input \"k3\"`},
		{"out of range", "POST", "api/inputs", jsonType, `{"ain": 13}`, 400, `outside 0..12 V`},
		{"not a number", "POST", "api/inputs", jsonType, `{"b1": true}`, 400, `want a JSON object of numbers`},
		{"not an object", "POST", "api/inputs", jsonType, `[1]`, 400, `want a JSON object of numbers`},
		{"two objects", "POST", "api/inputs", jsonType, `{"k1": 1} {"k1": 2}`, 400, `the body goes on after it`},
		{"no inputs", "POST", "api/inputs", jsonType, `{}`, 400, `no inputs given`},
		{"form post", "POST", "api/inputs", "application/x-www-form-urlencoded", `k1=40`, 415, `application/json`},
		{"too big", "POST", "api/inputs", jsonType, `{"k1": 1` + strings.Repeat(" ", maxInputsBody) + `}`, 413, `over 16384 bytes`},
		{"bad log id", "GET", "api/log/x", "", "", 400, `\"x\" is not an entry ID`},
		{"bad after", "GET", "api/log?after=-1", "", "", 400, `after=\"-1\"`},
		{"missing log entry", "GET", "api/log/7", "", "", 404, `no log entry 7`},
		{"unknown route", "GET", "api/nope", "", "", 404, `no API route GET /api/nope`},
		{"wrong method", "DELETE", "api/state", "", "", 404, `no API route DELETE /api/state`},
		{"post to the page", "POST", "", "text/plain", "x", 405, `read with GET`},
		{"page", "GET", "", "", "", 200, `<title>EuroPi emulator dashboard</title>`},
		{"script", "GET", "app.js", "", "", 200, `new EventSource("api/events")`},
		{"style", "GET", "app.css", "", "", 200, `.module`},
		{"no such asset", "GET", "nope.js", "", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := r.do(tt.method, tt.path, tt.contentType, tt.body)
			assert.Equal(t, tt.wantCode, code, string(body))
			assert.Contains(t, string(body), tt.want)
		})
	}
}

// A request with a bad input changes nothing, not even the good inputs
// before it.
func TestSetInputsAllOrNothingOverHTTP(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, nil)
	code, body := r.do("POST", "api/inputs", "application/json", `{"b1": 1, "k1": 50, "k2": 101}`)
	require.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, string(body), "input k2: 101 is outside 0..100")
	assert.Equal(t, emulator.IOState{Version: 0, Outputs: r.emu.IO().Snapshot().Outputs}, r.emu.IO().Snapshot())
}

// A DNS name other than localhost is refused, against DNS rebinding.
func TestHostGuard(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, nil)
	port := r.base[strings.LastIndex(r.base, ":")+1 : len(r.base)-1]
	tests := []struct {
		host string
		want int
	}{
		{"127.0.0.1:" + port, 200},
		{"localhost:" + port, 200},
		{"europi.localhost:" + port, 200},
		{"[::1]:" + port, 200},
		{"evil.example:" + port, 403},
		{"evil.example", 403},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			req, err := http.NewRequest("GET", r.base+"api/state", nil)
			require.NoError(t, err)
			req.Host = tt.host
			resp, err := r.client.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.want, resp.StatusCode)
		})
	}
}

// A POST a browser sends from another site is refused by its Origin or
// Sec-Fetch-Site header, even with the JSON Content-Type; the page's own
// POSTs and clients that are not browsers pass.
func TestCrossSitePostRefused(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, nil)
	self := strings.TrimSuffix(r.base, "/")
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"no browser headers (curl)", nil, 200},
		{"the page itself, by Origin", map[string]string{"Origin": self}, 200},
		{"the page itself, by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": self}, 200},
		{"typed in by the user", map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"another site, by Origin", map[string]string{"Origin": "http://evil.example"}, 403},
		{"another port, by Origin", map[string]string{"Origin": "http://127.0.0.1:1"}, 403},
		{"an opaque origin", map[string]string{"Origin": "null"}, 403},
		{"another site, by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"a sibling site, by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"Sec-Fetch-Site wins over a same Origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": self}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", r.base+"api/inputs", strings.NewReader(`{"k1": 40}`))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := r.client.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tt.want, resp.StatusCode, string(body))
		})
	}
}

// The log shows what the device served, and an entry's raw bytes.
func TestLogAPI(t *testing.T) {
	r := newRig(t, emulator.Config{}, nil) // the default http_control
	raw := "POST / HTTP/1.1\r\nHost: x\r\n\r\n{\"cv1\": 2.5}"
	reply := r.deviceRequest(raw)
	require.Contains(t, string(reply), "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n")
	r.waitLog(1)

	var list struct{ Entries []LogEntry }
	r.getJSON("api/log", &list)
	require.Len(t, list.Entries, 1)
	e := list.Entries[0]
	assert.Equal(t, uint64(1), e.ID)
	assert.Equal(t, []string{"POST", "/", ""}, []string{e.Method, e.Path, e.Rule})
	assert.Equal(t, 200, e.Status)
	assert.Equal(t, len(reply), e.Bytes)
	// The script set CV1 and answered with what it reads back.
	_, body, _ := strings.Cut(string(reply), "\r\n\r\n")
	var answer struct{ Outputs map[string]float64 }
	require.NoError(t, json.Unmarshal([]byte(body), &answer), body)
	assert.InDelta(t, 2.5, answer.Outputs["cv1"], 0.1)
	assert.Equal(t, answer.Outputs["cv1"], r.emu.IO().Snapshot().Outputs[0].Volts)

	var d LogDetail
	r.getJSON("api/log/1", &d)
	assert.Equal(t, raw, string(d.RequestBytes))
	assert.Equal(t, reply, d.ResponseBytes)
	assert.Equal(t, "POST / HTTP/1.1\\r\\n\nHost: x\\r\\n\n\\r\\n\n{\"cv1\": 2.5}", d.Request)
	assert.True(t, strings.HasPrefix(d.Response, "HTTP/1.0 200 OK\\r\\n\nContent-type: text/json\\r\\n\ncharset=utf-8\\r\\n\n"), d.Response)
	assert.False(t, d.ResponseCut)

	r.getJSON("api/log?after=1", &list)
	assert.Empty(t, list.Entries)
}

// The device port stays the device's: the dashboard's paths reach the
// script, not the API.
func TestDevicePortServesNoDashboard(t *testing.T) {
	r := newRig(t, emulator.Config{Example: "status"}, nil)
	reply := string(r.deviceRequest("GET /api/state HTTP/1.1\r\n\r\n"))
	assert.True(t, strings.HasPrefix(reply, "HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n"), reply)
	_, body, _ := strings.Cut(reply, "\r\n\r\n")
	var panel map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &panel))
	assert.ElementsMatch(t, []string{"inputs", "outputs"}, keys(panel))
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// GET /api/display answers with the frame shown, as hex rows and as the
// SSD1306's bytes.
func TestAPIDisplay(t *testing.T) {
	lit := func(points ...[2]int) []byte {
		frame := make([]byte, emulator.DisplayFrameSize)
		for _, p := range points {
			frame[p[1]/8*emulator.DisplayWidth+p[0]] |= 1 << (p[1] % 8)
		}
		return frame
	}
	zeros := strings.Repeat("0", 32)
	tests := []struct {
		name  string
		frame []byte // nil: nothing shown
		rows  map[int]string
	}{
		{"blank", nil, nil},
		{"top-left corner", lit([2]int{0, 0}), map[int]string{0: "8" + zeros[1:]}},
		{"bottom-right corner", lit([2]int{127, 31}), map[int]string{31: zeros[1:] + "1"}},
		{"a row of a page", lit([2]int{4, 9}, [2]int{5, 9}, [2]int{6, 9}, [2]int{7, 9}, [2]int{8, 9}), map[int]string{9: "0f80" + zeros[4:]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, emulator.Config{Example: "status"}, nil)
			var version uint64
			if tt.frame != nil {
				require.NoError(t, r.emu.IO().Display().SetFrame(tt.frame))
				version = 1
			}
			var got DisplayReply
			r.getJSON("api/display", &got)
			assert.Equal(t, version, got.Version)
			assert.Equal(t, 128, got.Width)
			assert.Equal(t, 32, got.Height)
			require.Len(t, got.Rows, 32)
			for y, row := range got.Rows {
				want, ok := tt.rows[y]
				if !ok {
					want = zeros
				}
				assert.Equal(t, want, row, "row %d", y)
			}
			assert.Equal(t, r.emu.IO().Display().Frame(), got.Frame)
		})
	}
}
