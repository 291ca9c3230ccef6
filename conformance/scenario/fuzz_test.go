package scenario_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"reflect"
	"runtime/metrics"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/testdata"
)

// FuzzParse feeds arbitrary bytes to the scenario parser. Whatever the
// input, Parse must not panic, must fail only with a *ParseError, and must
// allocate in proportion to the input: "x"*N is kept as a repeat, never
// expanded. Whatever parses must survive the writer: Format's text parses
// back to an equal scenario, and formatting that again changes nothing,
// which is what --update and the recorder rely on. Seeds are every recorded
// scenario plus testdata/fuzz/FuzzParse; `go test -fuzz FuzzParse` runs it.
func FuzzParse(f *testing.F) {
	err := fs.WalkDir(testdata.Scenarios, "scenarios", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, scenario.FileExt) {
			return err
		}
		data, err := fs.ReadFile(testdata.Scenarios, p)
		if err == nil {
			f.Add(data)
		}
		return err
	})
	require.NoError(f, err)
	f.Add([]byte(full))

	f.Fuzz(func(t *testing.T, data []byte) {
		before := fuzzHeapAllocs()
		s, err := scenario.Parse("fuzz/input", data)
		allocated := fuzzHeapAllocs() - before
		assert.LessOrEqual(t, allocated, parseAllocBound(len(data)), "heap bytes Parse allocated for %d input bytes", len(data))
		if err != nil {
			var pe *scenario.ParseError
			require.ErrorAs(t, err, &pe, "Parse fails only with a *ParseError")
			assert.LessOrEqual(t, pe.Line, strings.Count(string(data), "\n")+1, "the error's line is in the file")
			return
		}
		text := scenario.Format(s)
		again, err := scenario.Parse("fuzz/input", text)
		require.NoError(t, err, "Format's output must parse:\n%s", text)
		// Compared without testify, whose diff of two large scenarios is
		// slow, and the fuzzer re-runs a failing input many times while
		// it minimizes it.
		want, got := clearLines(s), clearLines(again)
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("Parse(Format(s)) != s: %s\ninput: %q\nformatted: %q",
				describeDiff(dumpScenario(want), dumpScenario(got)), data, text)
		}
		if again := scenario.Format(again); !bytes.Equal(text, again) {
			t.Fatalf("Format is not stable: %s", describeDiff(text, again))
		}
	})
}

// parseAllocBound is the most heap Parse may allocate for n input bytes:
// lines, tokens, unquoted strings and the scenario are each a small
// multiple of the input, plus a fixed amount for maps and regexps.
func parseAllocBound(n int) uint64 { return 4<<20 + 64*uint64(n) }

// dumpScenario writes every field of s, sections included (%+v alone
// would show their addresses), for locating a difference.
func dumpScenario(s *scenario.Scenario) []byte {
	flat := *s
	flat.Sections = nil
	out := fmt.Appendf(nil, "%+v", flat)
	for _, sec := range s.Sections {
		out = fmt.Appendf(out, "\n%+v", *sec)
	}
	return out
}

// fuzzHeapAllocs returns the bytes allocated on the heap so far by the
// whole process; a fuzz worker runs one input at a time, so a difference
// is what that input cost.
func fuzzHeapAllocs() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}
