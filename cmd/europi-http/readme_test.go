package main

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeRelay is the relay address the README's client examples use.
const readmeRelay = "127.0.0.1:9000"

// readmeClientCommands returns the shell commands of the README that talk
// to the relay: the lines of its code blocks (a comment's "or: COMMAND"
// tail included) and its inline python3 -c commands.
func readmeClientCommands(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	var cmds []string
	inBlock := false
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			if strings.HasPrefix(line, "#") {
				_, line, _ = strings.Cut(line, "or: ")
			}
			if strings.Contains(line, readmeRelay) && !strings.Contains(line, "europi-http") {
				cmds = append(cmds, line)
			}
			continue
		}
		for _, m := range regexp.MustCompile("`(python3 -c '[^`]*')`").FindAllStringSubmatch(line, -1) {
			if strings.Contains(m[1], `("127.0.0.1", 9000)`) {
				cmds = append(cmds, m[1])
			}
		}
	}
	return cmds
}

// The README's ways to talk to the device by hand work against the
// device's answers (which curl's HTTP parser refuses).
func TestReadmeClientCommandsWork(t *testing.T) {
	cmds := readmeClientCommands(t)
	require.NotEmpty(t, cmds, "the README shows how to send a request to the relay")
	rec := startRecord(t, t.TempDir(), "")
	host, port, err := net.SplitHostPort(rec.addr)
	require.NoError(t, err)
	for i, cmd := range cmds {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			tool := strings.Fields(cmd)[0]
			if strings.HasPrefix(cmd, "printf") {
				tool = "curl"
			}
			if _, err := exec.LookPath(tool); err != nil {
				t.Skipf("no %s on PATH", tool)
			}
			cmd = strings.ReplaceAll(cmd, readmeRelay, rec.addr)
			cmd = strings.ReplaceAll(cmd, `("127.0.0.1", 9000)`, `("`+host+`", `+port+`)`)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, "sh", "-c", cmd).CombinedOutput()
			require.NoError(t, err, "README command %s\n%s", cmd, out)
			assert.Contains(t, string(out), "HTTP/1.0 200 OK")
			assert.Contains(t, string(out), `"name": "EuroPi"`, "the fixture's /json body")
		})
	}
}

// The README's Layout table lists every package of the module.
func TestReadmeLayoutListsEveryPackage(t *testing.T) {
	root := filepath.Join("..", "..")
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, layout, ok := strings.Cut(string(data), "\n## Layout\n")
	require.True(t, ok, "the README has a Layout section")
	var missing []string
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin") {
			return filepath.SkipDir
		}
		sources, err := filepath.Glob(filepath.Join(path, "*.go"))
		if err != nil {
			return err
		}
		for _, src := range sources {
			if !strings.HasSuffix(src, "_test.go") {
				rel, err := filepath.Rel(root, path)
				if err != nil {
					return err
				}
				if rel != "." && !strings.Contains(layout, "| `"+filepath.ToSlash(rel)+"/` |") {
					missing = append(missing, rel)
				}
				break
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, missing, "packages missing from the README's Layout table")
}
