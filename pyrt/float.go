package pyrt

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FloatStr returns str(f) (which is also repr(f)) as the runtime writes
// it: the shortest digits that read back to f, with nan and inf spelt
// Python's way rather than JSON's.
func (r Runtime) FloatStr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return r.floatRepr(f, 64)
}

// floatRepr formats f as Python's repr() does: the shortest digits that
// read back to f, positional between 1e-4 and 1e16 with a ".0" for whole
// numbers, scientific with a two-digit exponent outside it.
func (r Runtime) floatRepr(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		if r == MicroPython {
			return "nan"
		}
		return "NaN"
	case math.IsInf(f, 1):
		if r == MicroPython {
			return "inf"
		}
		return "Infinity"
	case math.IsInf(f, -1):
		if r == MicroPython {
			return "-inf"
		}
		return "-Infinity"
	}
	sci := strconv.FormatFloat(f, 'e', -1, bits) // like "-1.2345e+06"
	mant, expText, _ := strings.Cut(sci, "e")
	exp, _ := strconv.Atoi(expText)
	sign := ""
	if strings.HasPrefix(mant, "-") {
		sign, mant = "-", mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	decpt := exp + 1 // position of the decimal point after the first digit
	if decpt > 16 || decpt < -3 {
		out := digits[:1]
		if len(digits) > 1 {
			out += "." + digits[1:]
		}
		expSign := "+"
		if exp < 0 {
			expSign, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, out, expSign, exp)
	}
	switch {
	case decpt <= 0:
		return sign + "0." + strings.Repeat("0", -decpt) + digits
	case decpt >= len(digits):
		return sign + digits + strings.Repeat("0", decpt-len(digits)) + ".0"
	default:
		return sign + digits[:decpt] + "." + digits[decpt:]
	}
}
