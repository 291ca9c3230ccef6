package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// recordedPanel is the [inputs] section of every scenario the round trip
// records: the whole panel, --set's values and the rest at rest.
const recordedPanel = "\n[inputs]\nk1 40\nk2 75\nain 3.5\ndin 0\nb1 1\nb2 0\n\n[steps]\n"

// TestRecordAndReplayAScript is the round trip the README shows: record a
// session of the emulator running the http_control example with knobs and
// a button set (the page, a slider POST, a POST of bad JSON, a client that
// leaves early), then replay the folder on a fresh emulator running the
// same example, as `conform --scenarios DIR --example http_control` does:
// no differences, because each scenario carries the panel it saw.
func TestRecordAndReplayAScript(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	rec := startRecord(t, dir, "", func(o *RecordOptions) {
		o.Example, o.Sets = "http_control", []string{"k1=40", "k2=75", "b1=1", "ain=3.5"}
	})

	page := exchange(t, rec.addr, "GET / HTTP/1.1\r\nHost: europi\r\n\r\n")
	assert.Contains(t, string(page), "HTTP/1.0 200 OK\r\nContent-type: text/html\r\ncharset=utf-8\r\n\r\n")
	slider := exchange(t, rec.addr, "POST / HTTP/1.1\r\nHost: europi\r\nContent-Type: application/json\r\n\r\n"+
		`{"cv1": 2.5, "cv2": 0, "cv3": 10, "cv4": 0, "cv5": 0, "cv6": 7.25}`)
	assert.Contains(t, string(slider), `"k1": 0.4, "k2": 0.75, "b1": 1, "b2": 0}`, "the script read the panel")
	bad := exchange(t, rec.addr, "POST / HTTP/1.1\r\nHost: europi\r\n\r\n{\"cv1\": }")
	assert.Contains(t, string(bad), "HTTP/1.0 400 Bad Request\r\n")
	c := client(t, rec.addr)
	_, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: europi\r\n\r\n"))
	require.NoError(t, err)
	require.NoError(t, c.Close(), "the client leaves before the answer")

	rec.waitLines(t, 4)
	require.NoError(t, rec.stop())
	assert.Contains(t, rec.out.String(), "upstream: the emulator with example http_control on 127.0.0.1:")
	files := scenarioFiles(t, dir)
	require.Equal(t, []string{"0001-get-index.scenario", "0002-post-index.scenario", "0003-post-index.scenario", "0004-get-index.scenario"}, files, rec.out.String())
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Contains(t, string(data), recordedPanel, f)
	}

	var replay bytes.Buffer
	o := conformOpts(dir, &replay)
	o.Example = "http_control"
	require.NoError(t, runConform(t.Context(), o), replay.String())
	assert.Contains(t, replay.String(), "4 scenarios: 4 passed, 0 expected differences, 0 failed")

	// Without the recorded panel the slider's answer differs: the replay
	// would not have seen what the recording saw.
	bare := t.TempDir()
	all, err := scenario.LoadDir(dir)
	require.NoError(t, err)
	for _, s := range all {
		s.Inputs = nil
		require.NoError(t, scenario.WriteFile(bare, s))
	}
	replay.Reset()
	o = conformOpts(bare, &replay)
	o.Example = "http_control"
	require.Error(t, runConform(t.Context(), o))
	assert.Contains(t, replay.String(), "FAIL  0002-post-index")
	assert.Contains(t, replay.String(), "4 scenarios: 3 passed, 0 expected differences, 1 failed")
}
