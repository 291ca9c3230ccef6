package scenario

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/europi-http/europi-http/internal/upstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the repository's scenario files in the canonical layout
// (go test ./conformance/scenario -run TestScenarioFiles -update).
var update = flag.Bool("update", false, "rewrite testdata/scenarios in the canonical layout")

// repoRoot is the repository root, seen from this package's folder.
const repoRoot = "../.."

func TestScenarioFilesAreCanonical(t *testing.T) {
	all, err := Default()
	require.NoError(t, err)
	dir := filepath.Join(repoRoot, "testdata", "scenarios")
	for _, s := range all {
		path := filepath.Join(dir, filepath.FromSlash(s.ID)+FileExt)
		onDisk, err := os.ReadFile(path)
		require.NoError(t, err)
		want := Format(s)
		if *update && string(onDisk) != string(want) {
			require.NoError(t, os.WriteFile(path, want, 0o644))
			continue
		}
		assert.Equal(t, string(want), string(onDisk), "%s is not in the canonical layout; run go test ./conformance/scenario -run TestScenarioFiles -update", path)
	}
}

func TestScenarioFilesCoverTheIssue(t *testing.T) {
	all, err := Default()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(all), 60, "the suite promises at least 60 scenarios")

	ids := map[string]bool{}
	for _, s := range all {
		ids[s.ID] = true
	}
	// One scenario per promise of the issue: every route type, every error
	// path, and the robustness cases.
	for _, id := range []string{
		"get/index", "get/text", "get/json", "get/csv", "get/yaml", "get/xml", "get/headers", "get/html-unicode",
		"methods/head", "methods/lowercase-get",
		"errors/not-found", "errors/teapot", "errors/raise", "errors/unknown-status-201",
		"errors/empty-request", "errors/bad-utf8", "errors/default-handler", "errors/notimpl",
		"robust/size-1023", "robust/size-1024", "robust/size-1025", "robust/split-body",
		"robust/connect-close", "robust/silent-client", "robust/several-clients",
	} {
		assert.True(t, ids[id], "missing scenario %s", id)
	}
}

// normSpace collapses white space runs, so a quoted sentence matches its
// document whatever the line breaks.
func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// docstringField is a Sphinx field of a docstring, ":param headers:" or
// ":raises NotImplementedError:", which upstream's API documentation
// renders as "headers – " and "NotImplementedError – ".
var docstringField = regexp.MustCompile(`:(?:param|raises|type|returns?)\s+([^:\s]+):\s*`)

// citation is one rule line of a scenario.
type citation struct {
	id   string
	rule Rule
}

// citations returns every rule line of the scenarios by the source it cites.
func citations(all []*Scenario) map[string][]citation {
	out := map[string][]citation{}
	for _, s := range all {
		for _, r := range s.Rules {
			out[r.Source] = append(out[r.Source], citation{s.ID, r})
		}
		for _, sec := range s.Sections {
			for _, r := range sec.Rules {
				out[r.Source] = append(out[r.Source], citation{s.ID, r})
			}
		}
	}
	return out
}

// TestScenarioRulesQuoteTheirDocuments checks that every rule line quotes
// its document verbatim, white space aside. The repository's own documents
// (docs/behaviour.md, ROUTES.md) must be there; upstream's file is read
// from the EuroPi checkout in $EUROPI_FIRMWARE, and its part skips without
// one.
func TestScenarioRulesQuoteTheirDocuments(t *testing.T) {
	all, err := Default()
	require.NoError(t, err)
	cited := citations(all)
	for name, src := range RuleSources {
		t.Run(name, func(t *testing.T) {
			root := repoRoot
			if src.Upstream {
				root = upstream.FirmwareFromEnv(t)
			}
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(src.Path)))
			require.NoError(t, err, "scenarios cite %s, so it must be readable", src.Path)
			doc := normSpace(string(data))
			if src.Upstream {
				doc = docstringField.ReplaceAllString(doc, "$1 – ")
			}
			for _, c := range cited[name] {
				assert.Contains(t, doc, normSpace(c.rule.Text), "%s%s:%d: rule %s is not a quote of %s",
					c.id, FileExt, c.rule.Line, name, src.Path)
			}
		})
	}
}

func TestGitAttributesKeepScenarioBytes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".gitattributes"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "/testdata/scenarios/** -text")
}
