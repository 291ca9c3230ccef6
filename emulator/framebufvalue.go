package emulator

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// The framebuf formats a script can make an image in, MicroPython's
// numbers for them.
const (
	formatMonoVLSB = 0
	formatMonoHLSB = 3
	formatMonoHMSB = 4
)

// imageValue is a FrameBuffer(buffer, width, height, format[, stride]) made
// by a script: a monochrome image to blit onto the oled. Starlark's bytes
// are immutable, so unlike MicroPython's it is read-only: nothing draws on
// it.
type imageValue struct {
	data          []byte
	width, height int
	format        int
	stride        int
}

var _ starlark.Value = (*imageValue)(nil)

func (m *imageValue) String() string        { return fmt.Sprintf("<FrameBuffer %d×%d>", m.width, m.height) }
func (m *imageValue) Type() string          { return "FrameBuffer" }
func (m *imageValue) Freeze()               {}
func (m *imageValue) Truth() starlark.Bool  { return true }
func (m *imageValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: FrameBuffer") }

// pixel returns 1 if (x, y), inside the image, is set.
func (m *imageValue) pixel(x, y int) int {
	var b byte
	var bit uint
	switch m.format {
	case formatMonoVLSB:
		b, bit = m.data[(y/8)*m.stride+x], uint(y%8)
	case formatMonoHLSB:
		b, bit = m.data[(x+y*m.stride)/8], uint(7-x%8)
	default: // formatMonoHMSB
		b, bit = m.data[(x+y*m.stride)/8], uint(x%8)
	}
	return int(b>>bit) & 1
}

// newFrameBuffer is FrameBuffer(buffer, width, height, format, stride=width)
// for the monochrome formats, with framebuf's checks of the sizes.
func newFrameBuffer(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fn := b.Name()
	if len(args) < 1 || len(args) > 5 {
		return nil, fmt.Errorf("%s: takes 4 to 5 positional arguments but %d were given", fn, len(args))
	}
	data, ok := args[0].(starlark.Bytes)
	if !ok {
		return nil, fmt.Errorf("%s: want the image as bytes (or bytearray(...)), not %s", fn, pyTypeName(args[0]))
	}
	m := &imageValue{data: []byte(data)}
	stride := starlark.Value(nil)
	if err := intArgs(fn, args[1:], kwargs, []*int{&m.width, &m.height, &m.format}, &stride); err != nil {
		return nil, err
	}
	m.stride = m.width
	if stride != nil {
		s, err := pyInt(stride)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", fn, err)
		}
		m.stride = s
	}
	if m.width < 1 || m.height < 1 || m.width > 0xffff || m.height > 0xffff || m.stride > 0xffff || m.stride < m.width {
		return nil, fmt.Errorf("%s: bad size %d×%d (stride %d)", fn, m.width, m.height, m.stride)
	}
	var need int
	switch m.format {
	case formatMonoVLSB:
		need = ((m.height+7)/8-1)*m.stride + m.width
	case formatMonoHLSB, formatMonoHMSB:
		m.stride = (m.stride + 7) &^ 7
		need = ((m.height-1)*m.stride + (m.width+7)&^7) / 8
	default:
		return nil, fmt.Errorf("%s: invalid format %d (the oled takes MONO_VLSB, MONO_HLSB or MONO_HMSB images)", fn, m.format)
	}
	if len(m.data) < need {
		return nil, fmt.Errorf("%s: buffer too small: %d bytes, %d needed", fn, len(m.data), need)
	}
	return m, nil
}

// bytearray is bytearray(b): Starlark's immutable bytes stand in for it,
// so FrameBuffer(bytearray(b"..."), ...) reads as on the device.
func bytearray(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case starlark.Bytes:
		return x, nil
	case *starlark.List:
		out := make([]byte, x.Len())
		for i := range out {
			n, err := starlark.AsInt32(x.Index(i))
			if err != nil || n < 0 || n > 255 {
				return nil, fmt.Errorf("%s: bytes must be in range(0, 256)", b.Name())
			}
			out[i] = byte(n)
		}
		return starlark.Bytes(out), nil
	}
	return nil, fmt.Errorf("%s: want bytes or a list of ints, not %s", b.Name(), pyTypeName(v))
}

// FrameBuf is the Starlark module `framebuf`: FrameBuffer and the
// monochrome formats, for images to blit onto the oled.
var FrameBuf = &starlarkstruct.Module{Name: "framebuf", Members: starlark.StringDict{
	"FrameBuffer": starlark.NewBuiltin("FrameBuffer", newFrameBuffer),
	"MONO_VLSB":   starlark.MakeInt(formatMonoVLSB),
	"MONO_HLSB":   starlark.MakeInt(formatMonoHLSB),
	"MONO_HMSB":   starlark.MakeInt(formatMonoHMSB),
}}
