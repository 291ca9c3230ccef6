package loadgen

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFetch(t *testing.T) {
	tests := []struct {
		name    string
		serve   func(net.Conn) // nil: nothing listens
		timeout time.Duration
		want    string
		wantErr string
	}{
		{"device response", answer(deviceResponse[:40], deviceResponse[40:]), testDeadline, deviceResponse, ""},
		{"refused", nil, testDeadline, "", "refused"},
		{"truncated header", answer("HTTP/1.0 200 OK\r\n"), testDeadline, "HTTP/1.0 200 OK\r\n", "before the blank line"},
		{"never answers", neverAnswer, 100 * time.Millisecond, "", "timeout"},
		{"too long", answer("HTTP/1.0 200 OK\r\n\r\n", strings.Repeat("x", MaxFetchBytes)), testDeadline, "", "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testnet.RefusedAddr(t)
			if tt.serve != nil {
				addr = startRaw(t, tt.serve).addr()
			}
			got, err := Fetch(context.Background(), addr, getRoot, tt.timeout)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, string(got))
		})
	}
}
