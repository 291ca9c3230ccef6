package emulator

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// DefaultExample is the example served when neither a script nor an example
// is named: the port of upstream's contrib/http_control.py.
const DefaultExample = "http_control"

// exampleMain is each example's script inside its folder.
const exampleMain = "main.star"

//go:embed examples
var examplesFS embed.FS

// Example is one embedded example script.
type Example struct {
	// Name is what `serve --example` takes.
	Name string
	// Description is the first line of the script's leading comment.
	Description string
}

// Examples lists the embedded examples, sorted by name.
func Examples() []Example {
	entries, _ := fs.ReadDir(examplesFS, "examples")
	var out []Example
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		code, err := fs.ReadFile(examplesFS, path.Join("examples", entry.Name(), exampleMain))
		if err != nil {
			continue
		}
		out = append(out, Example{Name: entry.Name(), Description: describe(code)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// describe returns the text of a script's first comment line.
func describe(code []byte) string {
	for _, line := range strings.Split(string(code), "\n") {
		if text, ok := strings.CutPrefix(strings.TrimSpace(line), "#"); ok {
			return strings.TrimSpace(text)
		}
	}
	return ""
}

// exampleSource returns the embedded example called name.
func exampleSource(name string) (source, error) {
	dir := path.Join("examples", name)
	code, err := fs.ReadFile(examplesFS, path.Join(dir, exampleMain))
	if err != nil || name == "" || strings.ContainsAny(name, `/\.`) {
		names := make([]string, 0)
		for _, ex := range Examples() {
			names = append(names, ex.Name)
		}
		return source{}, fmt.Errorf("no example called %q: there are %s", name, strings.Join(names, ", "))
	}
	sub, _ := fs.Sub(examplesFS, dir)
	return source{name: path.Join(name, exampleMain), code: code, files: fsFolder{sub}}, nil
}
