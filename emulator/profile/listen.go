package profile

import (
	"context"
	"net"

	"github.com/europi-http/europi-http/server"
)

// Listen listens on the TCP address addr for a listener to Wrap. Without
// the connection-limit rule (the host profile) the socket gets upstream's
// listen(5) backlog (server.Backlog), so clients beyond it wait or fail to
// connect as they do against upstream on a desktop. With the rule, lwIP's
// MaxConns limit (also 5) is what holds further clients back, and the
// kernel's queue behind the wrapped listener stands in for a Pico W's
// retransmitted SYNs, so it keeps the system's length.
func (p *Profile) Listen(ctx context.Context, addr string) (net.Listener, error) {
	ln, err := server.ListenTCP(ctx, addr)
	if err != nil {
		return nil, err
	}
	if _, limited := p.rule(RuleConnectionLimit); !limited {
		if err := server.SetBacklog(ln, server.Backlog); err != nil {
			_ = ln.Close()
			return nil, err
		}
	}
	return ln, nil
}
