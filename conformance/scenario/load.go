package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/europi-http/europi-http/testdata"
)

// Default returns the scenarios embedded in the binary
// (testdata/scenarios), sorted by ID.
func Default() ([]*Scenario, error) {
	return Load(testdata.Scenarios, "scenarios")
}

// LoadDir returns the scenarios in a folder on disk, sorted by ID.
func LoadDir(dir string) ([]*Scenario, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("scenarios folder: %w", err)
	}
	return Load(os.DirFS(dir), ".")
}

// Load parses every FileExt file under root in fsys, sorted by ID. It
// reports every bad file, not just the first; a folder without scenarios is
// an error, since running nothing would pass.
func Load(fsys fs.FS, root string) ([]*Scenario, error) {
	var out []*Scenario
	var errs []error
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, FileExt) {
			return nil
		}
		rel := strings.TrimPrefix(p, root+"/")
		if root == "." {
			rel = p
		}
		id := strings.TrimSuffix(rel, FileExt)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
			return nil
		}
		s, err := Parse(id, data)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading scenarios: %w", err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		if path.Clean(root) == "." {
			return nil, fmt.Errorf("no %s files in the folder", FileExt)
		}
		return nil, fmt.Errorf("no %s files under %s", FileExt, path.Clean(root))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Select returns the scenarios whose ID matches pattern, a regular
// expression searched in the ID (like go test -run); "" selects all. A
// pattern that selects nothing is an error, so a typo does not pass.
func Select(all []*Scenario, pattern string) ([]*Scenario, error) {
	if pattern == "" {
		return all, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("--run %q: %w", pattern, err)
	}
	var out []*Scenario
	for _, s := range all {
		if re.MatchString(s.ID) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--run %q matches no scenario", pattern)
	}
	return out, nil
}
