package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
	"github.com/europi-http/europi-http/internal/upstream"
)

func TestConformFlags(t *testing.T) {
	def := func(change func(*ConformOptions)) ConformOptions {
		o := ConformOptions{Pythons: []string{"python3"}, Timeout: scenario.DefaultTimeout, Retries: conformance.DefaultRetry.Max,
			GiveUpAfter: conformance.DefaultGiveUpAfter}
		if change != nil {
			change(&o)
		}
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    ConformOptions
		wantErr string
	}{
		{"defaults", nil, def(nil), ""},
		{"everything", []string{"--target", "pico-w=http://127.0.0.1:8080", "--target", "127.0.0.1:9000",
			"--firmware", "/fw", "--python", "python3,micropython", "--emulator", "--run", "^get/", "--json", "r.json",
			"--junit", "r.xml", "--scenarios", "dir", "--timeout", "5s", "--retries", "0", "-v"},
			def(func(o *ConformOptions) {
				o.Targets = []string{"pico-w=http://127.0.0.1:8080", "127.0.0.1:9000"}
				o.Firmwares, o.Pythons, o.Emulator, o.Run = []string{"/fw"}, []string{"python3", "micropython"}, true, "^get/"
				o.JSON, o.JUnit, o.Scenarios, o.Timeout, o.Retries, o.Verbose = "r.json", "r.xml", "dir", 5*time.Second, 0, true
			}), ""},
		{"repeated python", []string{"--firmware", "/fw", "--python", "python3", "--python", "micropython"},
			def(func(o *ConformOptions) { o.Firmwares, o.Pythons = []string{"/fw"}, []string{"python3", "micropython"} }), ""},
		{"update one target", []string{"--update", "--firmware", "/fw"},
			def(func(o *ConformOptions) { o.Update, o.Firmwares = true, []string{"/fw"} }), ""},
		{"list ignores target count", []string{"--list", "--update", "--firmware", "/a", "--firmware", "/b"},
			def(func(o *ConformOptions) { o.List, o.Update, o.Firmwares = true, true, []string{"/a", "/b"} }), ""},
		{"update two targets", []string{"--update", "--firmware", "/fw", "--emulator"}, ConformOptions{}, "--update rewrites expectations from one target; 2 given"},
		{"profiles", []string{"--profile", "pico-w,pico-w-patched", "--without", "send-buffer"},
			def(func(o *ConformOptions) {
				o.Profiles, o.Without = []string{"pico-w", "pico-w-patched"}, []string{"send-buffer"}
			}), ""},
		{"profile beside a target", []string{"--profile", "pico-w", "--target", "127.0.0.1:1", "--emulator"},
			def(func(o *ConformOptions) {
				o.Profiles, o.Targets, o.Emulator = []string{"pico-w"}, []string{"127.0.0.1:1"}, true
			}), ""},
		{"update under a profile", []string{"--update", "--profile", "pico-w"},
			def(func(o *ConformOptions) { o.Update, o.Profiles = true, []string{"pico-w"} }), ""},
		{"unknown profile", []string{"--profile", "pico-x"}, ConformOptions{}, `unknown profile "pico-x"`},
		{"unknown rule", []string{"--profile", "pico-w", "--without", "nope"}, ConformOptions{}, `no rule "nope"`},
		{"host has no rules", []string{"--without", "send-buffer"}, ConformOptions{}, "profile host has no rules"},
		{"profile twice", []string{"--profile", "pico-w,PICO-W"}, ConformOptions{}, "--profile pico-w given twice"},
		{"profile without the emulator", []string{"--profile", "pico-w", "--target", "127.0.0.1:1"}, ConformOptions{}, "--profile and --without apply to the in-process emulator"},
		{"update two profiles", []string{"--update", "--profile", "host,pico-w"}, ConformOptions{}, "one target; 2 given"},
		{"python without firmware", []string{"--python", "micropython"}, ConformOptions{}, "--python only applies to --firmware"},
		{"empty python", []string{"--firmware", "/fw", "--python", " "}, ConformOptions{}, "empty interpreter"},
		{"zero timeout", []string{"--timeout", "0s"}, ConformOptions{}, "--timeout 0s: must be positive"},
		{"scenario timeout", []string{"--scenario-timeout", "30s"}, def(func(o *ConformOptions) { o.ScenarioTimeout = 30 * time.Second }), ""},
		{"scenario timeout 0 is the default", []string{"--scenario-timeout", "0"}, def(nil), ""},
		{"negative scenario timeout", []string{"--scenario-timeout", "-1s"}, ConformOptions{}, "--scenario-timeout -1s: must be positive"},
		{"bad scenario timeout", []string{"--scenario-timeout", "soon"}, ConformOptions{}, `invalid argument "soon" for "--scenario-timeout"`},
		{"clients", []string{"--clients"}, def(func(o *ConformOptions) { o.Clients = true }), ""},
		{"clients with a target", []string{"--clients", "--target", "127.0.0.1:9000", "--run", "^get/"},
			def(func(o *ConformOptions) { o.Clients, o.Targets, o.Run = true, []string{"127.0.0.1:9000"}, "^get/" }), ""},
		{"clients takes no list", []string{"--clients", "curl"}, ConformOptions{}, `--clients takes no list (got "curl")`},
		{"clients=false", []string{"--clients=false"}, def(nil), ""},
		{"negative retries", []string{"--retries", "-1"}, ConformOptions{}, "--retries -1"},
		{"give up and deadline", []string{"--give-up-after", "0", "--deadline", "10m"},
			def(func(o *ConformOptions) { o.GiveUpAfter, o.Deadline = 0, 10*time.Minute }), ""},
		{"negative give-up-after", []string{"--give-up-after", "-2"}, ConformOptions{}, "--give-up-after -2: must be 0 (never) or more"},
		{"negative deadline", []string{"--deadline", "-1s"}, ConformOptions{}, "--deadline -1s: must be positive"},
		{"pico race", []string{"--profile", "host,pico-w", "--pico-race", "0.02", "--pico-race-seed", "7"},
			def(func(o *ConformOptions) {
				o.Profiles, o.Race = []string{"host", "pico-w"}, picoRace{Rate: 0.02, Seed: 7, Set: true}
			}), ""},
		{"pico race seed alone", []string{"--profile", "pico-w", "--pico-race-seed", "3"},
			def(func(o *ConformOptions) { o.Profiles, o.Race = []string{"pico-w"}, picoRace{Seed: 3, Set: true} }), ""},
		{"pico race above 1", []string{"--profile", "pico-w", "--pico-race", "1.5"}, ConformOptions{}, "--pico-race: race rate 1.5 is not between 0 and 1"},
		{"pico race NaN", []string{"--profile", "pico-w", "--pico-race", "NaN"}, ConformOptions{}, "--pico-race: race rate NaN is not between 0 and 1"},
		{"pico race not a number", []string{"--profile", "pico-w", "--pico-race", "often"}, ConformOptions{}, `invalid argument "often" for "--pico-race"`},
		{"pico race on host", []string{"--pico-race", "1"}, ConformOptions{}, "--pico-race applies to the pico-w profile's accept-timeout-0 rule, which host lacks"},
		{"pico race on the patched firmware", []string{"--profile", "pico-w-patched", "--pico-race", "1"}, ConformOptions{}, "which pico-w-patched lacks"},
		{"pico race with the rule off", []string{"--profile", "pico-w", "--without", "accept-timeout-0", "--pico-race", "1"}, ConformOptions{}, "which pico-w without accept-timeout-0 lacks"},
		{"https target", []string{"--target", "https://127.0.0.1:8443"}, ConformOptions{}, "only http://"},
		{"target with path", []string{"--target", "http://127.0.0.1:8080/json"}, ConformOptions{}, "nothing after it"},
		{"bad label", []string{"--target", "Pico W=http://127.0.0.1:8080"}, ConformOptions{}, "bad label"},
		{"positional args", []string{"extra"}, ConformOptions{}, "unknown command"},
		{"script", []string{"--script", "app.star"}, def(func(o *ConformOptions) { o.Script = "app.star" }), ""},
		{"example", []string{"--example", "http_control", "--scenarios", "rec"},
			def(func(o *ConformOptions) { o.Example, o.Scenarios = "http_control", "rec" }), ""},
		{"example beside a target", []string{"--example", "status", "--target", "127.0.0.1:1", "--emulator"},
			def(func(o *ConformOptions) { o.Example, o.Targets, o.Emulator = "status", []string{"127.0.0.1:1"}, true }), ""},
		{"script and example", []string{"--script", "app.star", "--example", "status"}, ConformOptions{}, "[example script] were all set"},
		{"example without the emulator", []string{"--example", "status", "--target", "127.0.0.1:1"}, ConformOptions{}, "--script and --example choose what the in-process emulator serves"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, NewCmdConform, tt.args, tt.want, tt.wantErr)
		})
	}
}

func TestParseTargetSpec(t *testing.T) {
	tests := []struct {
		in     string
		addr   string
		labels []string
		err    string
	}{
		{"http://127.0.0.1:8080", "127.0.0.1:8080", nil, ""},
		{"http://127.0.0.1:8080/", "127.0.0.1:8080", nil, ""},
		{"127.0.0.1:8080", "127.0.0.1:8080", nil, ""},
		{"http://[::1]:8080", "[::1]:8080", nil, ""},
		{"http://europi.local", "europi.local:80", nil, ""},
		{"micropython,pico-w=http://10.0.0.5:8080", "10.0.0.5:8080", []string{"micropython", "pico-w"}, ""},
		{"http://127.0.0.1:8080/?a=b", "", nil, "nothing after it"},
		{"http://user@127.0.0.1:8080", "", nil, "nothing after it"},
		{"ftp://127.0.0.1:21", "", nil, "only http://"},
		{"http://:8080", "", nil, "no host"},
		{"http://127.0.0.1:99999", "", nil, "bad port"},
		{"=http://127.0.0.1:1", "", nil, "bad label"},
	}
	for _, tt := range tests {
		got, err := parseTargetSpec(tt.in)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.addr, got.addr, tt.in)
		assert.Equal(t, tt.labels, got.labels, tt.in)
	}
}

func TestRuntimeLabel(t *testing.T) {
	assert.Equal(t, "cpython", runtimeLabel("python3"))
	assert.Equal(t, "cpython", runtimeLabel("/usr/bin/python3.11"))
	assert.Equal(t, "micropython", runtimeLabel("/opt/bin/micropython"))
}

// writeScenarios puts scenario files in a fresh folder.
func writeScenarios(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	return dir
}

const (
	passing = "[scenario]\ndescription \"text\"\nrule routes \"r\"\n\n[steps]\nsend \"GET /text HTTP/1.0\\r\\n\\r\\n\"\n\n" +
		"[expect]\nstatus \"HTTP/1.0 200 OK\\r\\n\"\nbody \"plain text from EuroPi\\n\"\nend fin\n"
	failing = "[scenario]\ndescription \"teapot\"\nrule routes \"r\"\n\n[steps]\nsend \"GET /teapot HTTP/1.0\\r\\n\\r\\n\"\n\n" +
		"[expect]\nstatus \"HTTP/1.0 418 I'm a teapot\\r\\n\"\nend fin\n"
)

// conformOpts returns options for a run against addr over dir's scenarios.
func conformOpts(dir string, out *bytes.Buffer, targets ...string) *ConformOptions {
	return &ConformOptions{Targets: targets, Scenarios: dir, Pythons: []string{"python3"}, Timeout: time.Second,
		Out: out, ErrOut: out}
}

func TestRunConformAgainstATarget(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	dir := writeScenarios(t, map[string]string{"get/text.scenario": passing, "errors/teapot.scenario": failing})
	var out bytes.Buffer
	o := conformOpts(dir, &out, "http://"+addr)
	o.JSON = filepath.Join(t.TempDir(), "r.json")
	o.JUnit = filepath.Join(t.TempDir(), "r.xml")

	err := runConform(t.Context(), o)
	var ee *exitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.code)
	assert.Contains(t, err.Error(), "1 scenario(s) failed")
	assert.Contains(t, out.String(), "pass  get/text")
	assert.Contains(t, out.String(), "FAIL  errors/teapot")
	assert.Contains(t, out.String(), `! "HTTP/1.0 418 I'm a teapot\r\n" | "HTTP/1.0 200 OK\r\n"`)

	data, err := os.ReadFile(o.JSON)
	require.NoError(t, err)
	assert.True(t, json.Valid(data))
	data, err = os.ReadFile(o.JUnit)
	require.NoError(t, err)
	assert.Contains(t, string(data), `<testcase name="errors/teapot" classname="`+addr+`"`)

	// --run selects; only the passing scenario left, so exit 0.
	out.Reset()
	o = conformOpts(dir, &out, addr)
	o.Run = "^get/"
	require.NoError(t, runConform(t.Context(), o))
	assert.NotContains(t, out.String(), "teapot")
}

func TestRunConformMatrix(t *testing.T) {
	a, b := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer)), testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	dir := writeScenarios(t, map[string]string{"get/text.scenario": passing})
	var out bytes.Buffer
	require.NoError(t, runConform(t.Context(), conformOpts(dir, &out, a, "pico-w="+b)))
	assert.Contains(t, out.String(), "scenario  "+a)
	assert.Contains(t, out.String(), "[pico-w]")
}

func TestRunConformList(t *testing.T) {
	var out bytes.Buffer
	o := conformOpts("", &out)
	o.List, o.Run = true, "^errors/teapot$"
	require.NoError(t, runConform(t.Context(), o))
	assert.Regexp(t, `^errors/teapot +GET /teapot answers 418`, out.String())
}

func TestRunConformUpdate(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	dir := writeScenarios(t, map[string]string{"errors/teapot.scenario": failing})
	var out bytes.Buffer
	o := conformOpts(dir, &out, addr)
	o.Update = true
	require.NoError(t, runConform(t.Context(), o), out.String())
	assert.Contains(t, out.String(), "errors/teapot [expect]\n  - status \"HTTP/1.0 418 I'm a teapot\\r\\n\"\n  + status \"HTTP/1.0 200 OK\\r\\n\"\n")
	assert.Contains(t, out.String(), "updated 1 scenario file(s)")

	data, err := os.ReadFile(filepath.Join(dir, "errors", "teapot.scenario"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "status \"HTTP/1.0 200 OK\\r\\n\"\n")

	// The rewritten file now passes.
	out.Reset()
	require.NoError(t, runConform(t.Context(), conformOpts(dir, &out, addr)))
}

// textApp answers every GET as the fixture answers GET /text.
const textApp = `server = HttpServer()
def get(request = None, connection = None):
    server.send_response(connection, "plain text from EuroPi\n", content_type = MimeTypes.TEXT)
server.get_handler(get)
`

func TestRunConformEmulatorTarget(t *testing.T) {
	dir := writeScenarios(t, map[string]string{"get/text.scenario": passing})
	app := filepath.Join(writeScenarios(t, map[string]string{"app.star": textApp}), "app.star")
	broken := filepath.Join(writeScenarios(t, map[string]string{"broken.star": "x = \n"}), "broken.star")
	tests := []struct {
		name            string
		script, example string
		wantOut         string
		wantErr         string
		wantCode        int
	}{
		{"the fixture", "", "", "pass  get/text", "", 0},
		{"a script", app, "", "pass  get/text", "", 0},
		{"an example without the route", "", "status", "FAIL  get/text", "1 scenario(s) failed", 1},
		{"a script that does not load", broken, "", "", "--script " + broken + ": " + broken + ":1:", 2},
		{"a missing script", filepath.Join(t.TempDir(), "none.star"), "", "", "no such file", 2},
		{"an unknown example", "", "nope", "", `--example nope: no example called "nope"`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			o := conformOpts(dir, &out)
			o.Script, o.Example = tt.script, tt.example
			err := runConform(t.Context(), o)
			if tt.wantErr == "" {
				require.NoError(t, err, out.String())
				assert.Regexp(t, `== emulator on 127\.0\.0\.1:\d+ \[emulator,cpython\]`, out.String())
			} else {
				var ee *exitError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, tt.wantCode, ee.code)
				assert.Contains(t, err.Error(), tt.wantErr)
			}
			assert.Contains(t, out.String(), tt.wantOut)
		})
	}
}

func TestRunConformBadScenarios(t *testing.T) {
	dir := writeScenarios(t, map[string]string{"x/bad.scenario": "[scenario]\nnope\n"})
	var out bytes.Buffer
	assert.ErrorContains(t, runConform(t.Context(), conformOpts(dir, &out, "127.0.0.1:1")), "x/bad.scenario:2")

	o := conformOpts(filepath.Join(dir, "missing"), &out, "127.0.0.1:1")
	assert.ErrorContains(t, runConform(t.Context(), o), "scenarios folder")
}

func TestRunConformUnreachableTargetFailsWithoutHanging(t *testing.T) {
	ln, err := nettest.NewLocalListener("tcp")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	dir := writeScenarios(t, map[string]string{"get/text.scenario": passing})
	var out bytes.Buffer
	o := conformOpts(dir, &out, addr)
	o.Retries = 1
	err = runConform(t.Context(), o)
	require.Error(t, err)
	assert.Contains(t, out.String(), "(1 retries: connection main refused)")
}

func TestRunConformUpdateNeedsFiles(t *testing.T) {
	var out bytes.Buffer
	o := conformOpts("", &out, "127.0.0.1:1")
	o.Update = true
	// The test runs in cmd/europi-http, where there is no testdata/scenarios.
	assert.ErrorContains(t, runConform(t.Context(), o), "--update needs the scenario files on disk")
}

func TestRunConformFirmware(t *testing.T) {
	fw := upstream.FirmwareFromEnv(t)
	var out bytes.Buffer
	o := conformOpts("", &out)
	o.Firmwares, o.Run = []string{fw}, "^(get/(text|json)|robust/connect-close)$"
	require.NoError(t, runConform(t.Context(), o), out.String())
	assert.Contains(t, out.String(), "== upstream-python3 on 127.0.0.1:")
	assert.Contains(t, out.String(), "ok upstream-python3: 3 scenarios: 3 passed")

	o.Firmwares = []string{filepath.Join(fw, "software", "firmware")}
	out.Reset()
	require.NoError(t, runConform(t.Context(), o), "the checkout's software/firmware folder serves too")
}

// A --firmware or --python that cannot work is bad input, said before
// anything runs; these need no checkout.
func TestRunConformBadFirmware(t *testing.T) {
	tests := []struct {
		name      string
		firmware  string
		python    string
		wantError string
	}{
		{"not a checkout", t.TempDir(), "python3", "--firmware: upstream: "},
		{"no such folder", "/no/such/checkout", "python3", "is not a EuroPi checkout"},
		{"no such interpreter", filepath.Join("..", "..", "internal", "upstream", "testdata", "fakefirmware"), "no-such-python", "--python no-such-python: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			o := conformOpts("", &out)
			o.Firmwares, o.Pythons = []string{tt.firmware}, []string{tt.python}
			err := runConform(t.Context(), o)
			require.ErrorContains(t, err, tt.wantError)
			var ee *exitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, 2, ee.code)
			assert.Empty(t, out.String(), "nothing ran")
		})
	}
}
