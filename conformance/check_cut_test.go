package conformance

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// cutCapture is a capture of one main connection that kept the first
// kept bytes of data and counted the rest.
func cutCapture(data string, kept int) *Capture {
	c := captureOf(data[:kept], scenario.EndFIN)
	c.Conns[0].Cut = len(data) - kept
	return c
}

func TestCheckCutConnection(t *testing.T) {
	head := "HTTP/1.0 200 OK\r\n\r\n"
	body := strings.Repeat("0123456789", 100)
	full := head + body // 1019 bytes
	tests := []struct {
		name    string
		expect  string
		data    string
		kept    int
		failing []string
		detail  string // in the first failure's detail
		// updatable is whether --update may rewrite the failures: only
		// a length, counted, when the header block was kept.
		updatable bool
	}{
		{"length counts what was not kept", "length 1000\nend fin", full, 500, nil, "", false},
		{"length differs", "length 999", full, 500, []string{"length"}, "expected a body of 999 bytes, actual 1000", true},
		{"length without the end of the head", "length 1000", full, 10, []string{"length"}, "the blank line ending the header block was not kept", false},
		{"prefix within what was kept", `prefix "0123"`, full, 500, nil, "", false},
		{"prefix longer than what was kept", `prefix "` + body[:600] + `"`, full, 500, []string{"prefix"},
			"first difference at offset 481 or after: the bytes before it are as expected", false},
		{"body as expected where kept", `body "` + body + `"`, full, 500, []string{"body"},
			"not compared from offset 481: the bytes before it are as expected, the rest was not kept (actual: 1000 bytes, the runner kept the first 481)", false},
		{"body differs where kept", `body "x` + body[1:] + `"`, full, 500, []string{"body"}, `first difference at offset 0: expected "x", actual "0"`, false},
		{"body shorter than the bytes kept", `body "0123"`, full, 500, []string{"body"}, "first difference at offset 4: expected ends there (4 bytes)", false},
		{"raw never passes on bytes it did not see", "raw " + strconv.Quote(full[:500]), full, 500, []string{"raw"}, "expected has 500 bytes, actual 1019", false},
		{"suffix", `suffix "789"`, full, 500, []string{"suffix"}, "cannot check: the body's end was not kept", false},
		{"json", `json "1"`, head + "1" + strings.Repeat(" ", 900), 500, []string{"json"}, "cannot check: the whole body was not kept", false},
		{"headers without their end", `header "X: y\r\n"`, "HTTP/1.0 200 OK\r\n" + strings.Repeat("X: y\r\n", 100) + "\r\n", 100, []string{"header"},
			"is not in the first 100 bytes", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenariotest.MustParse(t, "t/cut", scenariotest.Minimal+"[expect]\n"+tt.expect+"\n")
			got := Check(Resolve(s, nil), cutCapture(tt.data, tt.kept))
			var whats []string
			for _, f := range got {
				whats = append(whats, f.What)
				assert.Equal(t, tt.updatable, f.Updatable(), "%s: bytes not kept cannot be written", f.What)
			}
			require.Equal(t, tt.failing, whats)
			if tt.detail != "" {
				assert.Contains(t, got[0].Detail, tt.detail)
			}
		})
	}
}

func TestCheckLengthOfACutConnectionIsUpdatable(t *testing.T) {
	s := scenariotest.MustParse(t, "t/cut", scenariotest.Minimal+"[expect]\nlength 5\n")
	c := cutCapture("HTTP/1.0 200 OK\r\n\r\n"+strings.Repeat("x", 3000), 100)
	res := Result{ID: s.ID, Scenario: s, Resolved: Resolve(s, nil), Capture: c, Status: StatusFail}
	res.Failures = Check(res.Resolved, c)
	require.Len(t, res.Failures, 1)
	assert.True(t, res.Failures[0].Updatable())
	changes, left := Update(res)
	assert.Empty(t, left)
	require.Len(t, changes, 1)
	assert.Equal(t, "  - length 5\n  + length 3000\n", strings.SplitN(changes[0].String(), "\n", 2)[1])
}

func TestUpdateLeavesBytesThatWereNotKept(t *testing.T) {
	c := cutCapture("HTTP/1.0 200 OK\r\n\r\n"+strings.Repeat("y", 3000), 100)
	for _, label := range []string{"", "pico-w"} {
		t.Run("label "+label, func(t *testing.T) {
			s := scenariotest.MustParse(t, "t/cut", scenariotest.Minimal+"[expect]\nbody \"x\"\nend rst\n")
			res := Result{ID: s.ID, Scenario: s, Resolved: Resolve(s, nil), Capture: c, Status: StatusFail}
			res.Failures = Check(res.Resolved, c)
			update := Update
			if label != "" {
				update = func(r Result) ([]Change, []Failure) { return UpdateOverride(r, label) }
			}
			changes, left := update(res)
			require.Len(t, left, 1)
			assert.Equal(t, "body", left[0].What)
			require.Len(t, changes, 1, "the end clause is written all the same")
			assert.Contains(t, changes[0].String(), "+ end fin")
		})
	}
}

func TestCheckScenarioOverran(t *testing.T) {
	s := scenariotest.MustParse(t, "t/x", scenariotest.Minimal+"[expect]\nend fin\n")
	c := captureOf("HTTP/1.0 2", scenario.EndDeadline)
	c.Overran, c.Deadline = true, 3*time.Second
	got := Check(Resolve(s, nil), c)
	require.Len(t, got, 2)
	assert.Equal(t, "deadline", got[0].What)
	assert.Equal(t, "steps", got[0].Section)
	assert.Contains(t, got[0].Detail, "scenario took longer than 3s")
	assert.Contains(t, got[0].Detail, "still open: main")
	assert.False(t, got[0].Updatable())
	assert.Equal(t, "end", got[1].What)
	assert.Contains(t, got[1].Detail, "actual deadline")
}

func TestExplainIsBoundedWhateverTheBodies(t *testing.T) {
	big := strings.Repeat("[1, 2, 3],\n", 200000) // 2.2 MB, many lines
	tests := []struct {
		name   string
		expect string
		data   string
		want   []string // in the explanation
	}{
		{"json", `json "[[1, 2, 3]]"`, "HTTP/1.0 200 OK\r\n\r\n[" + big + "[4]]",
			[]string{"$: expected 1 elements, actual 200001", "first difference at offset 10", "(2200005 bytes)"}},
		{"json value", `json "{\"a\": 1}"`, "HTTP/1.0 200 OK\r\n\r\n{\"a\": [" + big + "[4]]}",
			[]string{"$.a: expected 1, actual [[1,2,3],", "... (1600005 bytes)"}},
		{"body", `body "` + strings.Repeat("[1, 2, 3],\\n", 1000) + `x"`, "HTTP/1.0 200 OK\r\n\r\n" + big,
			[]string{"first difference at offset 11000", `! "x"`, "... 198996 more lines"}},
		{"error page", `error-page 404 "Not Found"`, "HTTP/1.0 200 OK\r\n\r\n" + big,
			[]string{"no <title> in the body", "first difference at offset 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenariotest.MustParse(t, "t/big", scenariotest.Minimal+"[expect]\n"+tt.expect+"\n")
			got := Check(Resolve(s, nil), captureOf(tt.data, scenario.EndFIN))
			require.Len(t, got, 1)
			text := got[0].Explain()
			assert.Less(t, len(text), 4<<10, text)
			for _, w := range tt.want {
				assert.Contains(t, text, w)
			}
		})
	}
}
