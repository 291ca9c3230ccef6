package emulator

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// load_file refuses a FIFO, a directory or anything else that is not a
// regular file, at once: opening a FIFO for reading would block until a
// writer came, holding the load (and Ctrl-C) forever.
func TestLoadFileRefusesNonRegularFiles(t *testing.T) {
	const app = "server = HttpServer()\nDATA = load_file(\"special\")\n"
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"fifo", func(t *testing.T, path string) { require.NoError(t, syscall.Mkfifo(path, 0o644)) }, "not a regular file"},
		{"directory", func(t *testing.T, path string) { require.NoError(t, os.Mkdir(path, 0o755)) }, "is a directory"},
		{"symlink to a fifo", func(t *testing.T, path string) {
			require.NoError(t, syscall.Mkfifo(path+".fifo", 0o644))
			require.NoError(t, os.Symlink(filepath.Base(path)+".fifo", path))
		}, "not a regular file"},
	}
	for _, tt := range tests {
		for _, via := range []string{"script path", "ScriptFS"} {
			t.Run(tt.name+" via "+via, func(t *testing.T) {
				script := writeScript(t, map[string]string{"app.star": app})
				tt.make(t, filepath.Join(filepath.Dir(script), "special"))
				cfg := Config{ScriptPath: script}
				if via == "ScriptFS" {
					cfg = Config{ScriptFS: os.DirFS(filepath.Dir(script)), ScriptName: "app.star"}
				}
				done := make(chan error, 1)
				go func() {
					_, err := New(cfg)
					done <- err
				}()
				select {
				case err := <-done:
					var se *ScriptError
					require.ErrorAs(t, err, &se)
					assert.Contains(t, err.Error(), `load_file: cannot read "special": `+tt.want)
				case <-time.After(10 * time.Second):
					t.Fatal("load_file blocked on a file that is not a regular one")
				}
			})
		}
	}
}
