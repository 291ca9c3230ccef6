package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

// silentClient connects and never sends.
const silentClient = "[scenario]\ndescription \"silent\"\nrule routes \"r\"\ntimeout 300ms\n\n[steps]\nconnect\n\n[expect]\nraw \"\"\nend timeout\n"

// lostText is get/text with what a Pico W does to it: the request is lost.
const lostText = passing + "\n[expect when pico-w]\ndifference \"lost\"\nrule behaviour \"x\"\nraw \"\"\nend fin rst\n"

func TestRunConformUnderAProfile(t *testing.T) {
	dir := writeScenarios(t, map[string]string{"get/text.scenario": lostText})
	var out bytes.Buffer
	o := conformOpts(dir, &out)
	o.Profiles, o.JSON = []string{"host", "pico-w"}, filepath.Join(t.TempDir(), "r.json")
	o.Retries = 3 // pico-w serves the odd request that arrives between accept and recv
	require.NoError(t, runConform(t.Context(), o), out.String())

	assert.Regexp(t, `== emulator on 127\.0\.0\.1:\d+ \[emulator,cpython\]: 1 scenarios\n`, out.String())
	assert.Regexp(t, `== emulator/pico-w on 127\.0\.0\.1:\d+ \[emulator,cpython,pico-w\]: 1 scenarios\n== device profile pico-w:`, out.String())
	assert.Regexp(t, `emulator/pico-w +xdiff get/text +\d+m?s  \[rule accept-timeout-0\]\n`, out.String(), "the line names the rule behind the difference")
	assert.Contains(t, out.String(), "scenario  emulator  emulator/pico-w\nget/text  pass      xdiff\n")

	data, err := os.ReadFile(o.JSON)
	require.NoError(t, err)
	var rep struct {
		Targets []struct {
			Name    string
			Profile string
			Results []struct {
				ProfileRules  []string `json:"profile_rules"`
				ProfileEvents []string `json:"profile_events"`
			}
		}
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	require.Len(t, rep.Targets, 2)
	assert.Empty(t, rep.Targets[0].Profile)
	assert.Nil(t, rep.Targets[0].Results[0].ProfileRules)
	assert.Equal(t, "pico-w", rep.Targets[1].Profile)
	assert.Equal(t, []string{"accept-timeout-0"}, rep.Targets[1].Results[0].ProfileRules)
	require.Len(t, rep.Targets[1].Results[0].ProfileEvents, 1)
	assert.Regexp(t, `^127\.0\.0\.1:\d+ pico-w would have lost this request.*: rule accept-timeout-0 \(recv raised EAGAIN`, rep.Targets[1].Results[0].ProfileEvents[0])

	// A profile with the rule off shows which rule the difference rests on.
	out.Reset()
	o = conformOpts(dir, &out)
	o.Profiles, o.Without = []string{"pico-w"}, []string{"accept-timeout-0"}
	require.Error(t, runConform(t.Context(), o))
	assert.Contains(t, out.String(), "== device profile pico-w without accept-timeout-0:")
	assert.Contains(t, out.String(), "FAIL  get/text")
}

func TestRunConformUpdateWritesOverrides(t *testing.T) {
	t.Run("device profile", func(t *testing.T) {
		// A client that never sends: on the host the server waits for it,
		// under pico-w recv raises EAGAIN at once and the close is clean,
		// every time.
		dir := writeScenarios(t, map[string]string{"robust/silent.scenario": silentClient})
		var out bytes.Buffer
		o := conformOpts(dir, &out)
		o.Profiles, o.Update = []string{"pico-w"}, true
		require.NoError(t, runConform(t.Context(), o), out.String())
		assert.Contains(t, out.String(), "robust/silent [expect when pico-w]\n  - end timeout\n  + end fin\n")
		assert.Contains(t, out.String(), "robust/silent: write a difference and a rule line in its [... when pico-w] sections")

		data, err := os.ReadFile(filepath.Join(dir, "robust", "silent.scenario"))
		require.NoError(t, err)
		assert.Equal(t, silentClient+"\n[expect when pico-w]\nend fin\n", string(data), "the base stays as it was")
	})
	t.Run("labelled target", func(t *testing.T) {
		addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
		dir := writeScenarios(t, map[string]string{"errors/teapot.scenario": failing})
		var out bytes.Buffer
		o := conformOpts(dir, &out, "micropython,pico-w="+addr)
		o.Update = true
		require.NoError(t, runConform(t.Context(), o), out.String())
		data, err := os.ReadFile(filepath.Join(dir, "errors", "teapot.scenario"))
		require.NoError(t, err)
		assert.Equal(t, failing+"\n[expect when pico-w]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\n", string(data))
	})
}
