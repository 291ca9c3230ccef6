package emulator

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// oledValue is EuroPi's `oled` (a europi_display.Display, an SSD1306 on
// top of framebuf) as a Starlark value. Like the pins it holds no state:
// its methods draw on the back buffer of the script that calls them.
type oledValue struct{}

var _ starlark.HasAttrs = oledValue{}

func (oledValue) String() string        { return "<Display>" }
func (oledValue) Type() string          { return "Display" }
func (oledValue) Freeze()               {}
func (oledValue) Truth() starlark.Bool  { return true }
func (oledValue) Hash() (uint32, error) { return starlark.String("oled").Hash() }

// oledMethod implements one method of oled, with the script's screen
// locked.
type oledMethod func(e *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

var oledMethods = map[string]oledMethod{
	"fill":        oledFill,
	"pixel":       oledPixel,
	"hline":       oledHline,
	"vline":       oledVline,
	"line":        oledLine,
	"rect":        oledRect,
	"ellipse":     oledEllipse,
	"blit":        oledBlit,
	"fill_rect":   oledFillRect,
	"text":        oledText,
	"scroll":      oledScroll,
	"show":        oledShow,
	"centre_text": oledCentreText,
	"invert":      oledInvert,
	"rotate":      oledRotate,
	"contrast":    oledContrast,
}

func (oledValue) Attr(name string) (starlark.Value, error) {
	switch name {
	case "width":
		return starlark.MakeInt(DisplayWidth), nil
	case "height":
		return starlark.MakeInt(DisplayHeight), nil
	}
	m, ok := oledMethods[name]
	if !ok {
		return nil, nil
	}
	fn := "oled." + name
	return starlark.NewBuiltin(fn, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		e, err := threadEnv(thread)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", fn, err)
		}
		s := e.script.screen
		s.mu.Lock()
		defer s.mu.Unlock()
		return m(e, s, fn, args, kwargs)
	}), nil
}

func (oledValue) AttrNames() []string {
	names := []string{"width", "height"}
	for n := range oledMethods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// maxCoordinate bounds the coordinates and sizes drawing calls take, far
// beyond the display, so arithmetic on them cannot overflow.
const maxCoordinate = 1 << 24

// intArgs unpacks exactly len(dst) positional integer arguments, the way
// framebuf's methods take them (no keywords; an int or a bool, not a
// float), followed by up to len(opt) optional values.
func intArgs(fn string, args starlark.Tuple, kwargs []starlark.Tuple, dst []*int, opt ...*starlark.Value) error {
	if len(kwargs) > 0 {
		return fmt.Errorf("%s: takes no keyword arguments", fn)
	}
	if len(args) < len(dst) || len(args) > len(dst)+len(opt) {
		want := fmt.Sprint(len(dst))
		if len(opt) > 0 {
			want = fmt.Sprintf("%d to %d", len(dst), len(dst)+len(opt))
		}
		return fmt.Errorf("%s: takes %s positional arguments but %d were given", fn, want, len(args))
	}
	for i, p := range dst {
		n, err := pyInt(args[i])
		if err != nil {
			return fmt.Errorf("%s: %v", fn, err)
		}
		*p = n
	}
	for i, v := range args[len(dst):] {
		*opt[i] = v
	}
	return nil
}

// pyInt is mp_obj_get_int: an int or a bool as a Go int, clamped to
// ±maxCoordinate.
func pyInt(v starlark.Value) (int, error) {
	switch x := v.(type) {
	case starlark.Bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case starlark.Int:
		if i, ok := x.Int64(); ok {
			return int(max(min(i, maxCoordinate), -maxCoordinate)), nil
		}
		if x.Sign() < 0 {
			return -maxCoordinate, nil
		}
		return maxCoordinate, nil
	}
	return 0, fmt.Errorf("can't convert %s to int", pyTypeName(v))
}

func oledFill(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var col int
	if err := intArgs(fn, args, kwargs, []*int{&col}); err != nil {
		return nil, err
	}
	s.buf.fill(col)
	return starlark.None, nil
}

// oledPixel is pixel(x, y[, c]): it sets a pixel, or returns 0 or 1 without
// c, and None for a pixel off the display.
func oledPixel(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y int
	var col starlark.Value
	if err := intArgs(fn, args, kwargs, []*int{&x, &y}, &col); err != nil {
		return nil, err
	}
	if !inside(x, y) {
		return starlark.None, nil
	}
	if col == nil {
		return starlark.MakeInt(s.buf.pixel(x, y)), nil
	}
	c, err := pyInt(col)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", fn, err)
	}
	s.buf.setPixel(x, y, c)
	return starlark.None, nil
}

func oledHline(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y, w, col int
	if err := intArgs(fn, args, kwargs, []*int{&x, &y, &w, &col}); err != nil {
		return nil, err
	}
	s.buf.fillRect(x, y, w, 1, col)
	return starlark.None, nil
}

func oledVline(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y, h, col int
	if err := intArgs(fn, args, kwargs, []*int{&x, &y, &h, &col}); err != nil {
		return nil, err
	}
	s.buf.fillRect(x, y, 1, h, col)
	return starlark.None, nil
}

func oledLine(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x1, y1, x2, y2, col int
	if err := intArgs(fn, args, kwargs, []*int{&x1, &y1, &x2, &y2, &col}); err != nil {
		return nil, err
	}
	s.buf.line(x1, y1, x2, y2, col)
	return starlark.None, nil
}

// oledRect is rect(x, y, w, h, c[, f]): an outline, or filled when f is
// true.
func oledRect(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y, w, h, col int
	var filled starlark.Value = starlark.False
	if err := intArgs(fn, args, kwargs, []*int{&x, &y, &w, &h, &col}, &filled); err != nil {
		return nil, err
	}
	s.buf.rect(x, y, w, h, col, bool(filled.Truth()))
	return starlark.None, nil
}

func oledFillRect(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y, w, h, col int
	if err := intArgs(fn, args, kwargs, []*int{&x, &y, &w, &h, &col}); err != nil {
		return nil, err
	}
	s.buf.fillRect(x, y, w, h, col)
	return starlark.None, nil
}

// oledEllipse is ellipse(x, y, xr, yr, c[, f[, m]]): an outline, or
// filled when f is true, in the quadrants m selects (all by default).
func oledEllipse(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y, xr, yr, col int
	var filled, quadrants starlark.Value = starlark.False, starlark.MakeInt(0xf)
	if err := intArgs(fn, args, kwargs, []*int{&x, &y, &xr, &yr, &col}, &filled, &quadrants); err != nil {
		return nil, err
	}
	m, err := pyInt(quadrants)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", fn, err)
	}
	// Radii past the display only draw off it; the bound keeps the
	// arithmetic far from overflowing.
	const maxRadius = 1 << 12
	xr, yr = max(min(xr, maxRadius), -maxRadius), max(min(yr, maxRadius), -maxRadius)
	s.buf.ellipse(x, y, xr, yr, col, bool(filled.Truth()), m)
	return starlark.None, nil
}

// oledBlit is blit(fbuf, x, y[, key]): a FrameBuffer made by the script
// copied onto the buffer, leaving out the pixels whose value is key.
func oledBlit(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("%s: takes 3 to 5 positional arguments but 0 were given", fn)
	}
	img, ok := args[0].(*imageValue)
	if !ok {
		return nil, fmt.Errorf("%s: want a FrameBuffer, not %s", fn, pyTypeName(args[0]))
	}
	var x, y int
	var key, palette starlark.Value = starlark.MakeInt(-1), starlark.None
	if err := intArgs(fn, args[1:], kwargs, []*int{&x, &y}, &key, &palette); err != nil {
		return nil, err
	}
	k, err := pyInt(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", fn, err)
	}
	if palette != starlark.None {
		return nil, fmt.Errorf("%s: a palette is not supported (the images are monochrome)", fn)
	}
	s.buf.blit(img, x, y, k)
	return starlark.None, nil
}

// oledText is text(s, x, y[, c=1]).
func oledText(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("%s: takes 3 to 4 positional arguments but 0 were given", fn)
	}
	text, ok := args[0].(starlark.String)
	if !ok {
		return nil, fmt.Errorf("%s: can't convert '%s' object to str implicitly", fn, pyTypeName(args[0]))
	}
	var x, y int
	var col starlark.Value = starlark.MakeInt(1)
	if err := intArgs(fn, args[1:], kwargs, []*int{&x, &y}, &col); err != nil {
		return nil, err
	}
	c, err := pyInt(col)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", fn, err)
	}
	s.buf.text(string(text), x, y, c)
	return starlark.None, nil
}

func oledScroll(_ *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var dx, dy int
	if err := intArgs(fn, args, kwargs, []*int{&dx, &dy}); err != nil {
		return nil, err
	}
	s.buf.scroll(dx, dy)
	return starlark.None, nil
}

// oledShow is show(): the back buffer becomes the panel's frame.
func oledShow(e *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := intArgs(fn, args, kwargs, nil); err != nil {
		return nil, err
	}
	s.shown = s.buf
	return starlark.None, s.publish(e.io.Display())
}

// The text of europi_display's centre_text error, raised when the text has
// more lines than fit.
const centreTextTooLong = "Provided text exceeds available space on oled display."

// oledCentreText is centre_text(text, clear_first=True, auto_show=True):
// each line of str(text) centred horizontally and the block vertically,
// with europi_display's arithmetic (a character counted as 7 pixels plus
// one, a line as 9) so the text lands where the module puts it.
func oledCentreText(e *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var text starlark.Value
	clearFirst, autoShow := true, true
	if err := starlark.UnpackArgs(fn, args, kwargs, "text", &text, "clear_first?", &clearFirst, "auto_show?", &autoShow); err != nil {
		return nil, err
	}
	if clearFirst {
		s.buf.fill(0)
	}
	lines := strings.Split(pyStr(text, e.runtime), "\n")
	if len(lines) > int(math.RoundToEven(float64(DisplayHeight)/fontCell)) {
		return nil, &failError{msg: centreTextTooLong}
	}
	paddingTop := float64(DisplayHeight-len(lines)*(fontCell+1)) / 2
	for i, line := range lines {
		// int() truncates towards zero, so a line too long to centre
		// starts a little less far left than floor would put it.
		x := int(math.Trunc(float64(DisplayWidth-(utf8.RuneCountInString(line)+1)*(fontCell-1))/2)) - 1
		y := int(math.Trunc(float64(i*(fontCell+1))+paddingTop)) - 1
		s.buf.text(line, x, y, 1)
	}
	if autoShow {
		s.shown = s.buf
		return starlark.None, s.publish(e.io.Display())
	}
	return starlark.None, nil
}

// oledInvert is invert(v): the display shows dark pixels lit and lit ones
// dark while v is true, at once, without changing the buffer (the SSD1306
// does it in hardware).
func oledInvert(e *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v int
	if err := intArgs(fn, args, kwargs, []*int{&v}); err != nil {
		return nil, err
	}
	s.inverted = v&1 != 0
	return starlark.None, s.publish(e.io.Display())
}

// oledRotate is europi_display's rotate(r): with r true the display shows
// its picture turned by 180°, at once, without changing the buffer.
func oledRotate(e *env, s *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var r starlark.Value
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 1, &r); err != nil {
		return nil, err
	}
	s.rotated = bool(r.Truth())
	return starlark.None, s.publish(e.io.Display())
}

// oledContrast is contrast(c). The emulated display has one brightness,
// so it only checks its argument.
func oledContrast(_ *env, _ *screen, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var c int
	return starlark.None, intArgs(fn, args, kwargs, []*int{&c})
}
