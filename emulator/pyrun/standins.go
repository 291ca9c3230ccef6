package pyrun

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/europi-http/europi-http/emulator"
)

// standinFiles are the project's own stand-ins for the hardware-facing
// modules, the channel's client and the bootstrap; cpython/ holds what
// only CPython lacks (framebuf, micropython).
//
//go:embed standins/*.py standins/cpython/*.py
var standinFiles embed.FS

// bootFile is the bootstrap the interpreter runs.
const bootFile = "_europi_boot.py"

// writeStandins writes the stand-ins into dir, with the CPython framebuf's
// font made from the emulator's own.
func writeStandins(dir string) error {
	err := fs.WalkDir(standinFiles, "standins", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, "standins")))
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		data, err := standinFiles.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		return fmt.Errorf("pyrun: writing the stand-ins: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cpython", "_europi_font.py"), fontModule(), 0o600); err != nil {
		return fmt.Errorf("pyrun: writing the font: %w", err)
	}
	return nil
}

// fontModule is the Python source of _europi_font: the emulator's 8×8
// font as framebuf.text reads it.
func fontModule() []byte {
	first, last, columns := emulator.FontColumns()
	var b strings.Builder
	b.WriteString("# europi-http's 8x8 font (written by europi-http run): a byte per column, bit 0 the top row.\n")
	fmt.Fprintf(&b, "FIRST = %d\nLAST = %d\nGLYPHS = b\"", first, last)
	for _, c := range columns {
		fmt.Fprintf(&b, "\\x%02x", c)
	}
	b.WriteString("\"\n")
	return []byte(b.String())
}
