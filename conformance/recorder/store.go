package recorder

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"

	"github.com/europi-http/europi-http/conformance/scenario"
)

// plainID is the only shape of ID a Store writes: one file name of
// lower-case letters, digits and dashes, so nothing lands outside the
// folder whatever a client sent.
var plainID = regexp.MustCompile(`^[0-9a-z][0-9a-z-]*$`)

// numbered matches the files a Store numbers, for NextSeq.
var numbered = regexp.MustCompile(`^([0-9]+)-[0-9a-z-]*` + regexp.QuoteMeta(scenario.FileExt) + `$`)

// maxSuffix bounds the "-2", "-3"... tried when a name is taken.
const maxSuffix = 100

// Store writes recorded scenarios into one folder. Every file appears
// whole or not at all: it is written to a temporary name (not ending in
// .scenario, so no loader reads it) and then linked or renamed into
// place. All writes go through an os.Root, so no name can leave the
// folder. A Store is safe for use from several goroutines.
type Store struct {
	dir   string
	root  *os.Root
	force bool
	mu    sync.Mutex
}

// OpenStore opens dir for recorded scenarios, creating it if needed.
// Without force a Store never replaces a file: a name already taken gets a
// suffix. With force it replaces files of the same name.
func OpenStore(dir string, force bool) (*Store, error) {
	if dir == "" {
		return nil, errors.New("recorder: no output folder")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recorder: output folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("recorder: output folder: %w", err)
	}
	return &Store{dir: dir, root: root, force: force}, nil
}

// Dir returns the folder the store writes to.
func (s *Store) Dir() string { return s.dir }

// Close releases the folder.
func (s *Store) Close() error { return s.root.Close() }

// NextSeq returns the number the next recording should start from: 1 with
// force, else one past the highest numbered scenario file in the folder,
// so a second session in the same folder adds after the first.
func (s *Store) NextSeq() (int, error) {
	if s.force {
		return 1, nil
	}
	entries, err := fs.ReadDir(s.root.FS(), ".")
	if err != nil {
		return 0, fmt.Errorf("recorder: reading %s: %w", s.dir, err)
	}
	next := 1
	for _, e := range entries {
		m := numbered.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if n, err := strconv.Atoi(m[1]); err == nil && n >= next {
			next = n + 1
		}
	}
	return next, nil
}

// Write writes sc as its ID plus .scenario and returns the file's path. A
// name already taken (without force) gets the first free suffix, and sc.ID
// changes to match.
func (s *Store) Write(sc *scenario.Scenario) (string, error) {
	if !plainID.MatchString(sc.ID) {
		return "", fmt.Errorf("recorder: %q is not a plain scenario name", sc.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	base := sc.ID
	tmp, err := s.writeTemp(scenario.Format(sc))
	if err != nil {
		return "", err
	}
	defer func() { _ = s.root.Remove(tmp) }()
	for n := 1; n <= maxSuffix; n++ {
		id := base
		if n > 1 {
			id = base + "-" + strconv.Itoa(n)
			sc.ID = id
		}
		name := id + scenario.FileExt
		if s.force {
			err = s.root.Rename(tmp, name)
		} else {
			err = s.root.Link(tmp, name)
		}
		if err == nil {
			s.syncDir()
			return filepath.Join(s.dir, name), nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("recorder: writing %s: %w", name, err)
		}
	}
	sc.ID = base
	return "", fmt.Errorf("recorder: %s%s and %d suffixed names are taken", base, scenario.FileExt, maxSuffix)
}

// writeTemp writes data to a fresh temporary file in the folder, flushed
// to disk, and returns its name.
func (s *Store) writeTemp(data []byte) (string, error) {
	name := ".record-" + rand.Text() + ".tmp"
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("recorder: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = s.root.Remove(name)
		return "", fmt.Errorf("recorder: writing %s: %w", name, err)
	}
	return name, nil
}

// syncDir flushes the folder, so a rename survives a crash; a folder
// that cannot be synced still holds the file.
func (s *Store) syncDir() {
	if d, err := s.root.Open("."); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
