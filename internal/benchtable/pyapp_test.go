package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/internal/loadgen"
	"github.com/europi-http/europi-http/internal/upstream"
)

// upstreamShapes are responses upstream's send_response can produce.
var upstreamShapes = []string{
	devicePage,
	"HTTP/1.0 200 OK\r\nContent-type: text/json\r\ncharset=utf-8\r\n\r\n{\"cv1\": 2.5, \"name\": \"\u00fc\u2014\"}",
	"HTTP/1.0 404 Not Found\r\nContent-type: text/plain\r\ncharset=utf-8\r\nX-One=1\r\nCache-Control=no-store\r\n\r\nnot here \"quoted\" \\ back\nslash",
	"HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n",
}

func TestPythonApp(t *testing.T) {
	tests := []struct {
		name     string
		resp     string
		contains []string
		wantErr  string
	}{
		{"device page", devicePage, []string{`BODY = "\u003c!DOCTYPE html\u003e`, "HEADERS = None",
			`status=200, content_type="text/html", headers=HEADERS`, "class BenchPage(EuroPiScript):"}, ""},
		{"headers", upstreamShapes[2], []string{`HEADERS = {"X-One": "1", "Cache-Control": "no-store"}`, "status=404", `content_type="text/plain"`}, ""},
		{"no blank line", "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n", nil, "no blank line"},
		{"not UTF-8", "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n\xff", nil, "not UTF-8"},
		{"HTTP/1.1", "HTTP/1.1 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\nx", nil, "status line"},
		{"Content-Type", "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\ncharset=utf-8\r\n\r\nx", nil, "Content-type"},
		{"no charset line", "HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\nx", nil, "not send_response's"},
		{"colon header", "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\nX: 1\r\n\r\nx", nil, "Key=Value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pythonApp([]byte(tt.resp))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			for _, c := range tt.contains {
				assert.Contains(t, string(got), c)
			}
		})
	}
}

// TestPythonAppSendsTheSameBytes runs each generated script under
// upstream's own http_server.py and compares what it sends.
func TestPythonAppSendsTheSameBytes(t *testing.T) {
	fw := upstream.FirmwareFromEnv(t)
	for _, resp := range upstreamShapes {
		t.Run(resp[:24], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			srv, first, err := startUpstream(ctx, fw, []byte(resp))
			require.NoError(t, err)
			defer func() { assert.NoError(t, srv.stop()) }()
			assert.Equal(t, resp, string(first))
			again, err := loadgen.Fetch(ctx, srv.addr, benchRequest, 5*time.Second)
			require.NoError(t, err)
			assert.Equal(t, resp, string(again))
			comm, err := os.ReadFile("/proc/" + strconv.Itoa(srv.pid) + "/comm")
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(comm), "python"), "the pid found runs %q, not python", comm)
			rss, err := peakRSS(srv.pid)
			require.NoError(t, err)
			assert.Positive(t, rss)
		})
	}
}
