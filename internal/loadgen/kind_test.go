package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want ErrorKind
	}{
		{"refused", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, Refused},
		{"reset", &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, Reset},
		{"broken pipe", &net.OpError{Op: "write", Err: os.NewSyscallError("write", syscall.EPIPE)}, Reset},
		{"aborted", fmt.Errorf("x: %w", syscall.ECONNABORTED), Reset},
		{"deadline", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, Timeout},
		{"context deadline", fmt.Errorf("dial: %w", context.DeadlineExceeded), Timeout},
		{"unreachable", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, Other},
		{"anything else", errors.New("boom"), Other},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify(tt.err), tt.name)
	}
}

func TestErrorCountsByKind(t *testing.T) {
	var e ErrorCounts
	for i, k := range Kinds {
		for range i + 1 {
			e.add(k)
		}
	}
	for i, k := range Kinds {
		assert.Equal(t, int64(i+1), e.Get(k), k)
	}
	assert.Equal(t, int64(1+2+3+4+5), e.Total())
}
