package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

// sampleRuns returns two targets' results covering every status, with a
// failure about a NUL byte.
func sampleRuns(t *testing.T) []TargetResults {
	s := scenariotest.MustParse(t, "get/text", scenariotest.TextScenario)
	fail := conformance.Failure{Conn: scenario.MainConn, Section: "expect", Line: 9, What: "body",
		Expected: []byte("plain\x00"), Actual: []byte("plain\xff"), Offset: 5, Detail: conformance.DescribeDiff([]byte("plain\x00"), []byte("plain\xff"))}
	ms := time.Millisecond
	a := []conformance.Result{
		{ID: "get/text", Target: "emulator", Status: conformance.StatusPass, Duration: 2 * ms, Scenario: s},
		{ID: "get/json", Target: "emulator", Status: conformance.StatusFail, Duration: 3 * ms, Scenario: s, Failures: []conformance.Failure{fail},
			Retries: 1, RetryReasons: []string{"connection main refused"}},
		{ID: "robust/connect-close", Target: "emulator", Status: conformance.StatusSkip, Notes: []string{"not run: stops the script"}},
	}
	b := []conformance.Result{
		{ID: "get/text", Target: "upstream-micropython", Status: conformance.StatusDifference, Differences: []string{"raw UTF-8"}, Duration: ms},
	}
	return []TargetResults{
		{Target: conformance.Target{Name: "emulator", Addr: "127.0.0.1:1", Labels: []string{"emulator", "cpython"}}, Results: a},
		{Target: conformance.Target{Name: "upstream-micropython", Addr: "127.0.0.1:2"}, Results: b},
	}
}

func TestSummarize(t *testing.T) {
	runs := sampleRuns(t)
	s := Summarize(runs[0].Results)
	assert.Equal(t, Summary{Total: 3, Passed: 1, Failed: 1, Skipped: 1, Retries: 1, Duration: 5 * time.Millisecond}, s)
	assert.False(t, s.OK())
	assert.True(t, Summarize(runs[1].Results).OK())
	assert.Equal(t, "1 scenarios: 0 passed, 1 expected differences, 0 failed, 0 skipped; 0 retries; 1ms", Summarize(runs[1].Results).String())
}

func TestTextReport(t *testing.T) {
	var buf bytes.Buffer
	rep := &TextReport{W: &buf}
	runs := sampleRuns(t)
	for _, r := range runs[0].Results {
		rep.Result(r)
	}
	rep.Summary("emulator", runs[0].Results)
	out := buf.String()
	assert.Contains(t, out, "pass  get/text")
	assert.Contains(t, out, "FAIL  get/json")
	assert.Contains(t, out, "(1 retries: connection main refused)")
	assert.Contains(t, out, "[expect] line 9: body: first difference at offset 5")
	assert.Contains(t, out, `! "plain\x00" | "plain\xff"`, "expected and actual side by side, escaped")
	assert.Contains(t, out, "skip  robust/connect-close")
	assert.Contains(t, out, "note: not run: stops the script")
	assert.Contains(t, out, "FAILED emulator: 3 scenarios: 1 passed, 0 expected differences, 1 failed, 1 skipped; 1 retries")
	assert.NotContains(t, out, "\x00", "no raw NUL reaches the terminal")
}

func TestWriteMatrix(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteMatrix(&buf, sampleRuns(t)))
	want := strings.Join([]string{
		"scenario              emulator  upstream-micropython",
		"get/text              pass      xdiff",
		"get/json              FAIL+1r   -",
		"robust/connect-close  skip      -",
		"failed                1         0",
		"",
	}, "\n")
	assert.Equal(t, want, buf.String())
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, sampleRuns(t)))
	var got struct {
		Targets []struct {
			Name    string
			Labels  []string
			Summary map[string]int
			Results []struct {
				ID       string
				Status   string
				Retries  int
				Failures []struct {
					What           string
					ExpectedQuoted string `json:"expected_quoted"`
					ActualQuoted   string `json:"actual_quoted"`
					Offset         *int
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got), buf.String())
	require.Len(t, got.Targets, 2)
	assert.Equal(t, []string{"emulator", "cpython"}, got.Targets[0].Labels)
	assert.Equal(t, 1, got.Targets[0].Summary["failed"])
	r := got.Targets[0].Results[1]
	assert.Equal(t, "fail", r.Status)
	assert.Equal(t, 1, r.Retries)
	require.Len(t, r.Failures, 1)
	assert.Equal(t, `"plain\x00"`, r.Failures[0].ExpectedQuoted)
	assert.Equal(t, `"plain\xff"`, r.Failures[0].ActualQuoted)
	require.NotNil(t, r.Failures[0].Offset)
	assert.Equal(t, 5, *r.Failures[0].Offset)
	assert.Equal(t, []string{}, got.Targets[1].Labels, "labels are a list even when empty")
}

func TestWriteJUnit(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJUnit(&buf, sampleRuns(t)))
	var doc struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
	assert.Equal(t, "europi-http conform", doc.Name)
	assert.Equal(t, 4, doc.Tests)
	assert.Equal(t, 1, doc.Failures)
	require.Len(t, doc.Suites, 2)
	for _, s := range doc.Suites {
		assert.NotEmpty(t, s.Name)
		for _, c := range s.Cases {
			assert.NotEmpty(t, c.Name)
			assert.Equal(t, s.Name, c.Classname)
		}
	}
	failed := doc.Suites[0].Cases[1]
	require.NotNil(t, failed.Failure)
	assert.Contains(t, failed.Failure.Message, "body")
	assert.Contains(t, failed.Failure.Text, `"plain\x00"`)
	assert.Contains(t, failed.SystemOut, "retry 1: connection main refused")
	require.NotNil(t, doc.Suites[0].Cases[2].Skipped)
	assert.Contains(t, doc.Suites[1].Cases[0].SystemOut, "expected difference: raw UTF-8")
}

func TestXMLSafe(t *testing.T) {
	assert.Equal(t, `a\u0000b\xffc`+"\t\n\u00fc", xmlSafe("a\x00b\xffc\t\n\u00fc"))
	var buf bytes.Buffer
	require.NoError(t, xml.EscapeText(&buf, []byte(xmlSafe("\x01\x1b"))))
	assert.Equal(t, `\u0001\u001b`, buf.String())
}
