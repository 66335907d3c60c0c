// Package allocdir lays out an allocation's directory on the client:
//
//	<root>/<allocID>/alloc/{logs,data,tmp}   shared by the group's tasks
//	<root>/<allocID>/<task>/{local,secrets,tmp}   one per task
//
// Logs are alloc/logs/<task>.stdout.0 and .stderr.0, as Nomad names them.
package allocdir

import (
	"fmt"
	"os"
	"path/filepath"
)

// Names of the directories inside an allocation directory.
const (
	SharedAllocName = "alloc"
	LogDirName      = "logs"
	SharedDataName  = "data"
	TmpDirName      = "tmp"
	TaskLocal       = "local"
	TaskSecrets     = "secrets"
)

// AllocDir is one allocation's directory. Its methods only touch the
// filesystem under Dir.
type AllocDir struct {
	// Dir is <root>/<allocID>.
	Dir string
	// SharedDir is Dir/alloc, NOMAD_ALLOC_DIR.
	SharedDir string
	// LogDir is Dir/alloc/logs.
	LogDir string
}

// New returns the directory of allocID under root without creating it.
func New(root, allocID string) *AllocDir {
	dir := filepath.Join(root, allocID)
	shared := filepath.Join(dir, SharedAllocName)
	return &AllocDir{Dir: dir, SharedDir: shared, LogDir: filepath.Join(shared, LogDirName)}
}

// Build creates the shared part of the directory. It is idempotent.
func (d *AllocDir) Build() error {
	dirs := []struct {
		path string
		mode os.FileMode
	}{
		{d.Dir, 0o755},
		{d.SharedDir, 0o755},
		{d.LogDir, 0o755},
		// data and tmp are shared by the group's tasks, which may run as
		// different users (nobody for exec): world-writable and sticky,
		// as Nomad makes them.
		{filepath.Join(d.SharedDir, SharedDataName), 0o777 | os.ModeSticky},
		{filepath.Join(d.SharedDir, TmpDirName), 0o777 | os.ModeSticky},
	}
	for _, dd := range dirs {
		if err := mkdir(dd.path, dd.mode); err != nil {
			return err
		}
	}
	return nil
}

// TaskDir returns the directory of task without creating it.
func (d *AllocDir) TaskDir(task string) *TaskDir {
	dir := filepath.Join(d.Dir, task)
	return &TaskDir{
		Dir:        dir,
		LocalDir:   filepath.Join(dir, TaskLocal),
		SecretsDir: filepath.Join(dir, TaskSecrets),
		TmpDir:     filepath.Join(dir, TmpDirName),
	}
}

// LogPath is the path of task's first log file of logType ("stdout" or
// "stderr"), <task>.<type>.0.
func (d *AllocDir) LogPath(task, logType string) string {
	return d.LogBase(task, logType) + ".0"
}

// LogBase is the base path of task's log files of logType, which are
// LogBase.0, LogBase.1, ... as they are rotated.
func (d *AllocDir) LogBase(task, logType string) string {
	return filepath.Join(d.LogDir, fmt.Sprintf("%s.%s", task, logType))
}

// Destroy removes the whole allocation directory.
func (d *AllocDir) Destroy() error {
	if err := os.RemoveAll(d.Dir); err != nil {
		return fmt.Errorf("removing alloc dir %s: %w", d.Dir, err)
	}
	return nil
}

// TaskDir is one task's directory.
type TaskDir struct {
	// Dir is <alloc dir>/<task>, the task's working directory.
	Dir string
	// LocalDir is Dir/local, NOMAD_TASK_DIR.
	LocalDir string
	// SecretsDir is Dir/secrets (mode 0700), NOMAD_SECRETS_DIR.
	SecretsDir string
	// TmpDir is Dir/tmp.
	TmpDir string
}

// Build creates the task directory. It is idempotent.
func (t *TaskDir) Build() error {
	dirs := []struct {
		path string
		mode os.FileMode
	}{
		{t.Dir, 0o755},
		{t.LocalDir, 0o755},
		{t.SecretsDir, 0o700},
		{t.TmpDir, 0o777 | os.ModeSticky},
	}
	for _, dd := range dirs {
		if err := mkdir(dd.path, dd.mode); err != nil {
			return err
		}
	}
	return nil
}

// mkdir creates path and sets mode exactly, whatever the umask.
func mkdir(path string, mode os.FileMode) error {
	if err := os.MkdirAll(path, mode.Perm()); err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Errorf("setting mode of %s: %w", path, err)
	}
	return nil
}
