package cdp

import (
	"bufio"
	"bytes"
	"io"
	"os"

	"golang.org/x/net/websocket"
)

// transport carries whole DevTools messages, one JSON object each.
type transport interface {
	// send writes one message; the Conn sends one at a time.
	send(data []byte) error
	// receive returns the next message; one reader at a time.
	receive() ([]byte, error)
	// close ends the transport and wakes a waiting receive.
	close() error
}

// wsTransport is DevTools over a WebSocket, as a remote debugging port
// serves it.
type wsTransport struct{ ws *websocket.Conn }

func (t wsTransport) send(data []byte) error {
	// A string goes out as a text frame; DevTools drops the connection on
	// a binary one.
	return websocket.Message.Send(t.ws, string(data))
}

func (t wsTransport) receive() ([]byte, error) {
	var data []byte
	err := websocket.Message.Receive(t.ws, &data)
	return data, err
}

func (t wsTransport) close() error { return t.ws.Close() }

// pipeTransport is DevTools over the two pipes --remote-debugging-pipe
// makes the browser use: it reads calls from its fd 3 and writes answers
// and events to its fd 4, each message ended by a NUL byte.
type pipeTransport struct {
	w *os.File
	r *bufio.Reader
	f *os.File // r's file, to close
}

func newPipeTransport(w, r *os.File) *pipeTransport {
	return &pipeTransport{w: w, r: bufio.NewReaderSize(r, 64<<10), f: r}
}

func (t *pipeTransport) send(data []byte) error {
	msg := make([]byte, 0, len(data)+1)
	_, err := t.w.Write(append(append(msg, data...), 0))
	return err
}

func (t *pipeTransport) receive() ([]byte, error) {
	data, err := t.r.ReadBytes(0)
	if err != nil {
		if err == io.EOF && len(bytes.TrimSpace(data)) == 0 {
			return nil, io.EOF
		}
		return nil, err
	}
	return data[:len(data)-1], nil
}

func (t *pipeTransport) close() error {
	werr := t.w.Close()
	rerr := t.f.Close()
	if werr != nil {
		return werr
	}
	return rerr
}
