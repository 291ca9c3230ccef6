package pyrun

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/europi-http/europi-http/emulator"
)

// BenchmarkChannelDuty is the panel's side of one PWM duty message: read
// it and set the CV (the interpreter's side is in loop_rate.py).
func BenchmarkChannelDuty(b *testing.B) {
	var msgs []byte
	for i := range 1024 {
		msgs = appendMessage(msgs, msgDuty, 21, byte(i>>8), byte(i))
	}
	benchmarkMessages(b, msgs, 1024)
}

// BenchmarkChannelFrame is the panel's side of one OLED frame message.
func BenchmarkChannelFrame(b *testing.B) {
	var msgs []byte
	frame := make([]byte, emulator.DisplayFrameSize)
	for i := range 64 {
		frame[0] = byte(i) // every frame differs from the last
		msgs = appendMessage(msgs, msgFrame, frame...)
	}
	benchmarkMessages(b, msgs, 64)
}

func benchmarkMessages(b *testing.B, msgs []byte, per int) {
	panel := emulator.NewIO()
	r := bufio.NewReaderSize(nil, 64<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += per {
		r.Reset(bytes.NewReader(msgs))
		_ = readOutputs(r, panel, channelHooks{})
	}
}
