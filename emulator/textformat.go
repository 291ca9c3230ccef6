package emulator

import (
	"strconv"
	"strings"

	"go.starlark.net/starlark"
)

// checkPercent refuses format % x when the text would not fit the memory
// limit: each conversion writes its argument, and "%(a)s" may name the
// same one many times.
func checkPercent(thread *starlark.Thread, format string, x starlark.Value) error {
	w := newTextWalker(thread, false)
	w.add(uint64(len(format)))
	tuple, isTuple := x.(starlark.Tuple)
	mapping, _ := x.(starlark.Mapping)
	next := 0
	for i := 0; i < len(format) && !w.over(); i++ {
		if format[i] != '%' {
			continue
		}
		if i++; i >= len(format) || format[i] == '%' {
			continue
		}
		var arg starlark.Value
		if format[i] == '(' {
			end := strings.IndexByte(format[i:], ')')
			if end < 0 {
				break // Starlark reports the error
			}
			if mapping != nil {
				arg, _, _ = mapping.Get(starlark.String(format[i+1 : i+end]))
			}
			if i += end + 1; i >= len(format) {
				break
			}
		} else {
			switch {
			case isTuple && next < len(tuple):
				arg = tuple[next]
			case !isTuple && next == 0:
				arg = x
			}
			next++
		}
		if arg != nil {
			convert(w, format[i], arg)
		}
	}
	return w.refusal(thread, "%", errTextDepth)
}

// convert adds what conversion c writes for arg.
func convert(w *textWalker, c byte, arg starlark.Value) {
	switch c {
	case 's':
		w.walkStr(arg)
	case 'r':
		w.walk(arg)
	default: // numbers and %c
		if i, ok := arg.(starlark.Int); ok {
			w.add(intTextLen(i) + 2)
		} else {
			w.add(floatTextLen)
		}
	}
}

// checkFormat refuses format.format(*args, **kwargs) when the text would
// not fit the memory limit: "{0}{0}{0}" writes its argument three times.
func checkFormat(thread *starlark.Thread, format string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	w := newTextWalker(thread, false)
	w.add(uint64(len(format)))
	next := 0
	for i := 0; i < len(format) && !w.over(); i++ {
		if format[i] != '{' {
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			i++
			continue
		}
		end := strings.IndexByte(format[i:], '}')
		if end < 0 {
			break // Starlark reports the error
		}
		name, conversion, _ := strings.Cut(format[i+1:i+end], "!")
		i += end
		var arg starlark.Value
		if name == "" {
			if next < len(args) {
				arg = args[next]
			}
			next++
		} else if n, err := strconv.Atoi(name); err == nil {
			if n >= 0 && n < len(args) {
				arg = args[n]
			}
		} else {
			for _, kv := range kwargs {
				if k, _ := kv[0].(starlark.String); string(k) == name {
					arg = kv[1]
				}
			}
		}
		switch {
		case arg == nil:
		case conversion == "r":
			w.walk(arg)
		default:
			w.walkStr(arg)
		}
	}
	return w.refusal(thread, "format", errTextDepth)
}
