package loadgen

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Target is where a run sends its requests.
type Target struct {
	// Addr is the host:port to dial.
	Addr string
	// Host is the Host header's value: the URL's host, port included when
	// the URL named one.
	Host string
	// Path is the request target, "/" when the URL has none; the query is
	// kept.
	Path string
}

// ParseTarget parses a target URL such as "http://192.168.4.1/" or
// "127.0.0.1:8080/json". Only plain http exists on the device, so other
// schemes are refused; a missing scheme means http and a missing port 80.
func ParseTarget(raw string) (Target, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Target{}, errors.New("no target: give a URL such as http://127.0.0.1:8080/")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Target{}, fmt.Errorf("target %q: %w", raw, err)
	}
	if u.Scheme != "http" {
		return Target{}, fmt.Errorf("target %q: only http:// is supported (the device has no TLS)", raw)
	}
	if u.User != nil {
		return Target{}, fmt.Errorf("target %q: user information is not supported", raw)
	}
	host := u.Hostname()
	if host == "" {
		return Target{}, fmt.Errorf("target %q: no host", raw)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return Target{}, fmt.Errorf("target %q: bad port %q", raw, port)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return Target{Addr: net.JoinHostPort(host, port), Host: u.Host, Path: path}, nil
}

// IsLoopback reports whether addr (host:port) names this machine's
// loopback interface: 127.0.0.0/8, ::1 or "localhost".
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NewRequest builds the bytes of one request: the request line, Host, a
// User-Agent, Connection: close, and for a body its Content-Length and the
// body itself. method must be a token (letters, digits, "-"), path must not
// contain white space or control characters.
func NewRequest(method, host, path string, body []byte) ([]byte, error) {
	if method == "" || strings.IndexFunc(method, func(c rune) bool {
		return !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')
	}) >= 0 {
		return nil, fmt.Errorf("method %q: want a word such as GET or POST", method)
	}
	if path == "" || strings.IndexFunc(path, func(c rune) bool { return c <= ' ' || c == 0x7f }) >= 0 {
		return nil, fmt.Errorf("path %q: want a path such as /json, without spaces or control characters", path)
	}
	if strings.ContainsAny(host, "\r\n") {
		return nil, fmt.Errorf("host %q contains a line break", host)
	}
	var b strings.Builder
	b.WriteString(method + " " + path + " HTTP/1.1\r\n")
	b.WriteString("Host: " + host + "\r\n")
	b.WriteString("User-Agent: europi-http-bench\r\n")
	b.WriteString("Connection: close\r\n")
	if body != nil {
		b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	if b.Len() > MaxRequestBytes {
		return nil, fmt.Errorf("the request is %d bytes, more than the limit of %d", b.Len(), MaxRequestBytes)
	}
	return []byte(b.String()), nil
}
