// Package logrotate writes a task's output to size-bounded files
// <dir>/<base>.0, .1, ... keeping at most MaxFiles of them, the oldest
// deleted first. Files are rotated on line boundaries: a line is split
// across two files only when it alone is longer than a file may be, or
// when it was cut by a flush (Copy flushes a partial line once the task
// has been silent for a while, so a prompt without a newline shows up).
//
// The rotation runs in whichever process reads the task's output: Copy
// reads a pipe until every writer has closed it. driver.OpenLogs starts
// one per stream in the process that starts the task.
package logrotate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Config says where and how much to write.
type Config struct {
	// Dir is the directory of the files, which must exist.
	Dir string
	// Base is the files' name before the index, e.g. "web.stdout".
	Base string
	// MaxFiles is how many files are kept, at least 1.
	MaxFiles int
	// MaxBytes is the size a file may reach, at least 1.
	MaxBytes int64
}

// Validate reports a config that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Dir == "" || c.Base == "":
		return fmt.Errorf("logrotate: dir and base name are required")
	case c.MaxFiles < 1:
		return fmt.Errorf("logrotate: max files must be at least 1, got %d", c.MaxFiles)
	case c.MaxBytes < 1:
		return fmt.Errorf("logrotate: max file size must be at least 1 byte, got %d", c.MaxBytes)
	}
	return nil
}

// Writer writes to the rotated files. Complete lines are written at once;
// the partial line after the last newline is held until its newline comes,
// Flush is called, or it reaches MaxBytes. Not safe for concurrent use.
type Writer struct {
	cfg     Config
	f       *os.File
	index   int
	size    int64
	pending []byte // the partial line not yet written
}

// NewWriter opens the newest existing file for appending, or creates
// <base>.0, so a writer started again (a task restart, a new agent)
// continues where the last one stopped.
func NewWriter(cfg Config) (*Writer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	idx, ok, err := Newest(cfg.Dir, cfg.Base)
	if err != nil {
		return nil, err
	}
	if !ok {
		idx = 0
	}
	w := &Writer{cfg: cfg}
	if err := w.open(idx); err != nil {
		return nil, err
	}
	return w, nil
}

// Path is the path of file idx of base in dir.
func Path(dir, base string, idx int) string {
	return filepath.Join(dir, base+"."+strconv.Itoa(idx))
}

// Newest returns the highest index among dir's files <base>.N; ok is false
// when there are none.
func Newest(dir, base string) (idx int, ok bool, err error) {
	idxs, err := indexes(dir, base)
	if err != nil || len(idxs) == 0 {
		return 0, false, err
	}
	return idxs[len(idxs)-1], true, nil
}

// indexes lists the indexes of dir's files <base>.N in increasing order.
func indexes(dir, base string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("logrotate: listing %s: %w", dir, err)
	}
	var out []int
	for _, e := range entries {
		rest, found := strings.CutPrefix(e.Name(), base+".")
		if !found {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && strconv.Itoa(n) == rest {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

func (w *Writer) open(idx int) error {
	path := Path(w.cfg.Dir, w.cfg.Base, idx)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("logrotate: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("logrotate: %w", err)
	}
	w.f, w.index, w.size = f, idx, st.Size()
	return nil
}

// Write implements io.Writer. It always consumes all of p unless a file
// operation fails.
func (w *Writer) Write(p []byte) (int, error) {
	w.pending = append(w.pending, p...)
	// Complete lines go out now.
	if i := bytes.LastIndexByte(w.pending, '\n'); i >= 0 {
		if err := w.emit(w.pending[:i+1]); err != nil {
			return 0, err
		}
		w.pending = append(w.pending[:0], w.pending[i+1:]...)
	}
	// A partial line as long as a file can never fit whole: split it.
	for int64(len(w.pending)) >= w.cfg.MaxBytes {
		if err := w.emit(w.pending[:w.cfg.MaxBytes]); err != nil {
			return 0, err
		}
		w.pending = append(w.pending[:0], w.pending[w.cfg.MaxBytes:]...)
	}
	return len(p), nil
}

// Flush writes the held partial line.
func (w *Writer) Flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	err := w.emit(w.pending)
	w.pending = w.pending[:0]
	return err
}

// Close flushes and closes the current file.
func (w *Writer) Close() error {
	ferr := w.Flush()
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("logrotate: %w", err)
	}
	return ferr
}

// emit writes b across files, rotating at line boundaries.
func (w *Writer) emit(b []byte) error {
	for len(b) > 0 {
		room := w.cfg.MaxBytes - w.size
		if int64(len(b)) <= room {
			return w.write(b)
		}
		cut := 0
		if room > 0 {
			cut = bytes.LastIndexByte(b[:room], '\n') + 1
		}
		if cut == 0 && w.size == 0 {
			cut = int(room) // one line longer than a whole file
		}
		if cut > 0 {
			if err := w.write(b[:cut]); err != nil {
				return err
			}
			b = b[cut:]
		}
		if err := w.rotate(); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) write(b []byte) error {
	n, err := w.f.Write(b)
	w.size += int64(n)
	if err != nil {
		return fmt.Errorf("logrotate: writing %s: %w", w.f.Name(), err)
	}
	return nil
}

// rotate moves to the next file and deletes those beyond MaxFiles.
func (w *Writer) rotate() error {
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("logrotate: %w", err)
	}
	if err := w.open(w.index + 1); err != nil {
		return err
	}
	idxs, err := indexes(w.cfg.Dir, w.cfg.Base)
	if err != nil {
		return err
	}
	for _, idx := range idxs {
		if idx <= w.index-w.cfg.MaxFiles {
			if err := os.Remove(Path(w.cfg.Dir, w.cfg.Base, idx)); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("logrotate: removing old log: %w", err)
			}
		}
	}
	return nil
}
