package upstream

import (
	"embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
)

// shimFiles are the project's own Python stand-ins and the runner; they go
// into a fresh folder that comes first on the interpreter's path.
//
//go:embed shim/*.py
var shimFiles embed.FS

// runnerFile is the runner's file name inside the shim folder.
const runnerFile = "upstream_runner.py"

// appModule is the module name the script is written under. It is fixed
// (rather than the script's own file name) so any file name works; the
// script is imported, never run as __main__, so its main() does not start.
const appModule = "europi_app"

// writeShims writes the stand-ins, the runner and the script's source into
// dir.
func writeShims(dir string, appSrc []byte) error {
	entries, err := shimFiles.ReadDir("shim")
	if err != nil {
		return fmt.Errorf("upstream: reading embedded shims: %w", err)
	}
	for _, e := range entries {
		data, err := shimFiles.ReadFile(path.Join("shim", e.Name()))
		if err != nil {
			return fmt.Errorf("upstream: reading embedded %s: %w", e.Name(), err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o600); err != nil {
			return fmt.Errorf("upstream: writing %s: %w", e.Name(), err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, appModule+".py"), appSrc, 0o600); err != nil {
		return fmt.Errorf("upstream: writing the script: %w", err)
	}
	return nil
}
