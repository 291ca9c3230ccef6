package scenario

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func TestScenarioRulesQuoteTheirDocuments(t *testing.T) {
	all, err := Default()
	require.NoError(t, err)
	docs := map[string]string{}
	for src, rel := range RuleSources {
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(rel)))
		if err != nil {
			// The shared documents live beside the repository, not in it.
			t.Logf("not checking rules that cite %s: %v", src, err)
			continue
		}
		docs[src] = normSpace(string(data))
	}
	require.Contains(t, docs, "routes", "ROUTES.md is in the repository and must be readable")
	check := func(id string, r Rule) {
		doc, ok := docs[r.Source]
		if !ok {
			return
		}
		assert.Contains(t, doc, normSpace(r.Text), "%s: rule %s is not a quote of its document", id, r.Source)
	}
	for _, s := range all {
		for _, r := range s.Rules {
			check(s.ID, r)
		}
		for _, sec := range s.Sections {
			for _, r := range sec.Rules {
				check(s.ID, r)
			}
		}
	}
}

func TestGitAttributesKeepScenarioBytes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".gitattributes"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "/testdata/scenarios/** -text")
}
