package emulator

import (
	"fmt"

	"github.com/europi-http/europi-http/server"
	"go.starlark.net/starlark"
)

// connection is the `connection` a handler gets: the client's socket,
// usable only until the handler returns (the server then closes it).
type connection struct {
	conn   *server.Conn
	closed bool
}

var _ starlark.Value = (*connection)(nil)

// Type is "socket", the type upstream's handlers get, so messages read the
// same.
func (c *connection) Type() string          { return "socket" }
func (c *connection) String() string        { return fmt.Sprintf("<socket %s>", c.conn.RemoteAddr()) }
func (c *connection) Freeze()               {}
func (c *connection) Truth() starlark.Bool  { return true }
func (c *connection) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: socket") }

// connArg checks that v is a live connection.
func connArg(fn string, v starlark.Value) (*server.Conn, error) {
	c, ok := v.(*connection)
	if !ok {
		return nil, fmt.Errorf("%s: connection must be the connection a handler was called with, not %s", fn, pyTypeName(v))
	}
	if c.closed {
		return nil, fmt.Errorf("%s: the connection was closed when its handler returned", fn)
	}
	return c.conn, nil
}
