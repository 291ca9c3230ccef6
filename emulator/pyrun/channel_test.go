package pyrun

import (
	"bufio"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/emulator"
)

// dialChannel connects to ch and sends hello with secret.
func dialChannel(t *testing.T, ch *channel, secret string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", ch.ln.Addr().String())
	require.NoError(t, err)
	_ = conn.SetDeadline(time.Now().Add(waitLimit))
	_, err = conn.Write(appendMessage(nil, msgHello, []byte(secret+" test")...))
	require.NoError(t, err)
	return conn
}

// TestChannelSecret: a connection without the run's secret is closed
// unanswered; the interpreter's gets the panel's inputs, then READY, and
// its messages move the panel.
func TestChannelSecret(t *testing.T) {
	panel := emulator.NewIO()
	require.NoError(t, panel.SetInputs([]emulator.Input{{Name: "k1", Value: 100}, {Name: "b2", Value: 1}}))
	ch, err := openChannel()
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- ch.serve(ctx, panel, channelHooks{started: func() { close(started) }}) }()
	defer func() { cancel(); require.NoError(t, <-done) }()

	stranger := dialChannel(t, ch, "not-the-secret")
	_, err = stranger.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "a stranger is closed unanswered")
	_ = stranger.Close()

	conn := dialChannel(t, ch, ch.secret)
	defer conn.Close()
	r := bufio.NewReader(conn)
	got := map[byte][]byte{}
	for {
		kind, payload, err := readMessage(r)
		require.NoError(t, err)
		if kind == msgReady {
			break
		}
		got[payload[0]] = payload[1:]
	}
	assert.Equal(t, []byte{0, 0}, got[pinK1], "k1 at 100 %% reads 0: the knob is wired reversed")
	assert.Equal(t, []byte{0}, got[pinB2], "a pressed button pulls its pin low")
	assert.Equal(t, []byte{1}, got[pinB1])

	require.NoError(t, panel.Set("din", 1))
	kind, payload, err := readMessage(r)
	require.NoError(t, err)
	assert.Equal(t, []byte{msgDigital, pinDIN, 0}, append([]byte{kind}, payload...))

	msgs := appendMessage(nil, msgDuty, 19, 0x12, 0x34)
	msgs = appendMessage(msgs, msgFrame, make([]byte, emulator.DisplayFrameSize-1)...) // refused: one byte short
	msgs = appendMessage(msgs, msgStarted)
	_, err = conn.Write(msgs)
	require.NoError(t, err)
	select {
	case <-started:
	case <-time.After(waitLimit):
		t.Fatal("STARTED never arrived")
	}
	assert.Equal(t, 0x1234, panel.Snapshot().Outputs[5].Duty, "GPIO 19 is cv6")
}

func TestInputPin(t *testing.T) {
	cases := []struct {
		in   emulator.Input
		want pinValue
	}{
		{emulator.Input{Name: "k1", Value: 0}, pinValue{pin: pinK1, analogue: true, value: 65535}},
		{emulator.Input{Name: "k2", Value: 40}, pinValue{pin: pinK2, analogue: true, value: 39321}},
		{emulator.Input{Name: "ain", Value: 0}, pinValue{pin: pinAIN, analogue: true, value: 384}},
		{emulator.Input{Name: "ain", Value: 10}, pinValue{pin: pinAIN, analogue: true, value: 44634}},
		{emulator.Input{Name: "ain", Value: 12}, pinValue{pin: pinAIN, analogue: true, value: 53484}},
		{emulator.Input{Name: "din", Value: 1}, pinValue{pin: pinDIN, value: 0}},
		{emulator.Input{Name: "b1", Value: 0}, pinValue{pin: pinB1, value: 1}},
		{emulator.Input{Name: "b2", Value: 1}, pinValue{pin: pinB2, value: 0}},
	}
	for _, c := range cases {
		got, ok := inputPin(c.in)
		assert.True(t, ok)
		assert.Equal(t, c.want, got, "%+v", c.in)
	}
	_, ok := inputPin(emulator.Input{Name: "cv1"})
	assert.False(t, ok)
}

func TestConnectionLog(t *testing.T) {
	at := time.Unix(1, 0)
	l := ConnectionLog("127.0.0.1:5", at, time.Millisecond, []byte("POST /x HTTP/1.0\r\n\r\n{}"), []byte("HTTP/1.0 418 I'm a teapot\r\n\r\n"))
	assert.Equal(t, "POST", l.Method)
	assert.Equal(t, "/x", l.Path)
	assert.Equal(t, 418, l.Status)
	l = ConnectionLog("p", at, 0, nil, nil)
	assert.Equal(t, "-", l.Method)
	assert.Equal(t, 0, l.Status)
	assert.EqualValues(t, "no response", l.Outcome)
}
