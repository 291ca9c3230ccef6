package pyrt

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFloatReprMatchesPython checks Python's repr() rules on random
// floats against python3 itself, where it is installed.
func TestFloatReprMatchesPython(t *testing.T) {
	py := python3(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var floats []float64
	for range 2000 {
		floats = append(floats, math.Float64frombits(rng.Uint64()), rng.Float64()*math.Pow(10, float64(rng.IntN(40)-20)))
	}
	floats = append(floats, 1e16, 9999999999999998, 1e-4, 9.999e-5, 5e-324, math.MaxFloat64)
	var in bytes.Buffer
	var want []string
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		in.WriteString(CPython.floatRepr(f, 64) + "\n")
		want = append(want, CPython.floatRepr(f, 64))
	}
	out := runPython(t, py, "import sys\nfor l in sys.stdin: print(repr(float(l)))", in.Bytes())
	assert.Equal(t, want, strings.Fields(out))
}
