package scenario_test

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
)

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"s/get/b.scenario":  {Data: []byte(scenariotest.TextScenario)},
		"s/get/a.scenario":  {Data: []byte(scenariotest.TextScenario)},
		"s/README.md":       {Data: []byte("not a scenario")},
		"bad/x.scenario":    {Data: []byte("[scenario]\nnope\n")},
		"bad/y.scenario":    {Data: []byte("[steps]\n")},
		"empty/.gitkeep":    {Data: nil},
		"s/deep/c.scenario": {Data: []byte(scenariotest.TextScenario)},
	}
	got, err := scenario.Load(fsys, "s")
	require.NoError(t, err)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	assert.Equal(t, []string{"deep/c", "get/a", "get/b"}, ids)

	_, err = scenario.Load(fsys, "bad")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.scenario:2")
	assert.Contains(t, err.Error(), "y.scenario:1", "every bad file is reported")

	_, err = scenario.Load(fsys, "empty")
	assert.ErrorContains(t, err, "no .scenario files")

	_, err = scenario.LoadDir(t.TempDir() + "/missing")
	assert.ErrorContains(t, err, "scenarios folder")
}

func TestSelect(t *testing.T) {
	all := []*scenario.Scenario{{ID: "get/text"}, {ID: "get/json"}, {ID: "errors/teapot"}}
	tests := []struct {
		pattern string
		want    []string
		err     string
	}{
		{"", []string{"get/text", "get/json", "errors/teapot"}, ""},
		{"^get/", []string{"get/text", "get/json"}, ""},
		{"teapot|json", []string{"get/json", "errors/teapot"}, ""},
		{"nothing", nil, "matches no scenario"},
		{"(", nil, "missing closing"},
	}
	for _, tt := range tests {
		got, err := scenario.Select(all, tt.pattern)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err)
			continue
		}
		require.NoError(t, err)
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		assert.Equal(t, tt.want, ids, tt.pattern)
	}
}
