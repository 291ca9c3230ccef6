package pyrt

import (
	"fmt"
	"unicode/utf8"
)

// DecodeError is the error decoding a request as UTF-8 fails with. Its text
// is the runtime's own message: CPython's UnicodeDecodeError text, or
// MicroPython's empty UnicodeError.
type DecodeError struct {
	// Message is str(err) on the runtime.
	Message string
}

// Error returns the runtime's message.
func (e *DecodeError) Error() string { return e.Message }

// Decode turns raw request bytes into the request string handlers get, as
// request.decode("UTF-8") does, or fails with a *DecodeError.
func (r Runtime) Decode(raw []byte) (string, error) {
	if r == MicroPython {
		if microPythonUTF8Valid(raw) {
			return string(raw), nil
		}
		// Quirk: MicroPython's UnicodeError carries no message at all.
		return "", &DecodeError{}
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	return "", &DecodeError{Message: cpythonDecodeMessage(raw)}
}

// microPythonUTF8Valid is MicroPython's utf8_check: it only counts
// continuation bytes, so overlong forms (C0 AF), surrogates (ED A0 80) and
// lead bytes up to F7 pass, while a stray continuation byte, F8 and above,
// or a sequence cut short fail.
func microPythonUTF8Valid(raw []byte) bool {
	need := 0
	for _, c := range raw {
		switch {
		case need > 0:
			if c&0xc0 != 0x80 {
				return false
			}
			need--
		case c >= 0xf8:
			return false
		case c >= 0xf0:
			need = 3
		case c >= 0xe0:
			need = 2
		case c >= 0xc0:
			need = 1
		case c >= 0x80:
			return false
		}
	}
	return need == 0
}

// cpythonDecodeMessage returns the text of the UnicodeDecodeError CPython's
// strict UTF-8 decoder raises for raw, which must hold invalid UTF-8. It
// follows CPython's rule of reporting the maximal invalid subpart: the bytes
// from the bad sequence's start up to the first byte that cannot continue it.
func cpythonDecodeMessage(raw []byte) string {
	for i := 0; i < len(raw); {
		size, end, reason := utf8Step(raw, i)
		if reason == "" {
			i += size
			continue
		}
		if end-i == 1 {
			return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: %s", raw[i], i, reason)
		}
		return fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: %s", i, end-1, reason)
	}
	return ""
}

// utf8Step checks the sequence starting at raw[i]. It returns the size of a
// valid sequence, or the end of the invalid subpart and CPython's reason.
func utf8Step(raw []byte, i int) (size, end int, reason string) {
	b := raw[i]
	var need int
	lo, hi := byte(0x80), byte(0xbf)
	switch {
	case b < 0x80:
		return 1, 0, ""
	case b >= 0xc2 && b <= 0xdf:
		need = 1
	case b >= 0xe0 && b <= 0xef:
		need = 2
		if b == 0xe0 {
			lo = 0xa0
		} else if b == 0xed {
			hi = 0x9f
		}
	case b >= 0xf0 && b <= 0xf4:
		need = 3
		if b == 0xf0 {
			lo = 0x90
		} else if b == 0xf4 {
			hi = 0x8f
		}
	default:
		return 0, i + 1, "invalid start byte"
	}
	for k := 1; k <= need; k++ {
		if i+k >= len(raw) {
			return 0, len(raw), "unexpected end of data"
		}
		c := raw[i+k]
		if k > 1 {
			lo, hi = 0x80, 0xbf
		}
		if c < lo || c > hi {
			return 0, i + k, "invalid continuation byte"
		}
	}
	return need + 1, 0, ""
}
