package recorder

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// recorded returns a valid scenario named id.
func recorded(t *testing.T, id string) *scenario.Scenario {
	t.Helper()
	sc, err := Scenario(session(ev(0.1, EventSend, getText), ev(1, EventRecv, okHead+"x"), ev(2, EventFIN, "")), id)
	require.NoError(t, err)
	return sc
}

// names lists a folder's files.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestStoreWritesWholeFilesAndNeverReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "rec")
	st, err := OpenStore(dir, false)
	require.NoError(t, err)
	defer st.Close()
	next, err := st.NextSeq()
	require.NoError(t, err)
	assert.Equal(t, 1, next)

	p, err := st.Write(recorded(t, "0001-get-text"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "0001-get-text.scenario"), p)
	first, err := os.ReadFile(p)
	require.NoError(t, err)

	// The same name again gets a suffix; the first file is untouched.
	sc := recorded(t, "0001-get-text")
	sc.Description = "another"
	p, err = st.Write(sc)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "0001-get-text-2.scenario"), p)
	assert.Equal(t, "0001-get-text-2", sc.ID)
	again, err := os.ReadFile(filepath.Join(dir, "0001-get-text.scenario"))
	require.NoError(t, err)
	assert.Equal(t, first, again)

	// No temporary file is left, and what is there loads as the suite.
	assert.Equal(t, []string{"0001-get-text-2.scenario", "0001-get-text.scenario"}, names(t, dir))
	all, err := scenario.LoadDir(dir)
	require.NoError(t, err)
	assert.Len(t, all, 2)

	next, err = st.NextSeq()
	require.NoError(t, err)
	assert.Equal(t, 2, next)
}

func TestStoreForceReplaces(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "0001-get-text.scenario"), []byte("old"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "0009-get-x.scenario"), []byte("old"), 0o644))

	st, err := OpenStore(dir, false)
	require.NoError(t, err)
	next, err := st.NextSeq()
	require.NoError(t, err)
	assert.Equal(t, 10, next, "without --force numbering goes on after the files there")
	require.NoError(t, st.Close())

	st, err = OpenStore(dir, true)
	require.NoError(t, err)
	defer st.Close()
	next, err = st.NextSeq()
	require.NoError(t, err)
	assert.Equal(t, 1, next)
	_, err = st.Write(recorded(t, "0001-get-text"))
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(dir, "0001-get-text.scenario"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "[scenario]")
	assert.Equal(t, []string{"0001-get-text.scenario", "0009-get-x.scenario"}, names(t, dir))
}

func TestStoreRefusesNamesThatLeaveTheFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "rec")
	st, err := OpenStore(dir, true)
	require.NoError(t, err)
	defer st.Close()
	for _, id := range []string{"../escape", "a/b", "", "-x", "UPPER", "x.scenario", "/abs"} {
		_, err := st.Write(recorded(t, id))
		assert.Error(t, err, id)
	}
	assert.Equal(t, []string{"rec"}, names(t, parent))
	assert.Empty(t, names(t, dir))

	// A symlink planted in the folder cannot lead a write outside it.
	require.NoError(t, os.Symlink(filepath.Join(parent, "outside.scenario"), filepath.Join(dir, "0001-get-text.scenario")))
	_, err = st.Write(recorded(t, "0001-get-text"))
	require.NoError(t, err) // the rename replaces the link itself
	_, err = os.Stat(filepath.Join(parent, "outside.scenario"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestStoreConcurrentWritesGetDistinctFiles(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir, false)
	require.NoError(t, err)
	defer st.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.Write(recorded(t, "0001-get-text"))
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Len(t, names(t, dir), 8)
}

func TestOpenStoreErrors(t *testing.T) {
	_, err := OpenStore("", false)
	assert.ErrorContains(t, err, "no output folder")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = OpenStore(file, false)
	assert.ErrorContains(t, err, "output folder")
}
