package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/drover-project/drover/driver/logrotate"
)

// LogRotation bounds a task's log files: each of stdout and stderr is
// written to at most MaxFiles files of at most MaxFileBytes each, rotated
// on line boundaries (see package logrotate).
type LogRotation struct {
	MaxFiles     int
	MaxFileBytes int64
}

// flushWait bounds how long a task's exit waits for its log copies: a
// process the task left behind may hold the pipe open indefinitely.
const flushWait = 2 * time.Second

// TaskLogs are a task's stdout and stderr as handed to it.
type TaskLogs struct {
	Stdout, Stderr *os.File
	// copies is closed when the copies into rotated files have ended.
	copies chan struct{}
}

// CloseFiles closes this process's copies of the descriptors; call it
// once the task has started (the task holds its own).
func (l *TaskLogs) CloseFiles() {
	l.Stdout.Close()
	l.Stderr.Close()
}

// WaitFlushed waits, at most flushWait, until everything the task wrote has
// reached the log files. Call it after the task exited and before reporting
// the exit, so that a process that exits next (a supervisor) loses no line.
func (l *TaskLogs) WaitFlushed() {
	select {
	case <-l.copies:
	case <-time.After(flushWait):
	}
}

// OpenLogs returns the files to hand the task as its stdout and stderr.
// The caller closes them with CloseFiles once the task has started (the
// task holds its own copies), and calls WaitFlushed after the task exits.
//
// Without cfg.LogRotation they are StdoutPath and StderrPath, opened for
// appending. With it they are the write ends of pipes, and a goroutine of
// the calling process copies each into rotated files until the task and
// everything it started have closed them. So the rotation lives in the
// process that starts the task: the agent for an in-process driver, or a
// per-task supervisor process that starts the task, whose logs then
// survive the agent.
func OpenLogs(cfg *TaskConfig) (*TaskLogs, error) {
	var wg sync.WaitGroup
	stdout, err := openLog(cfg.StdoutPath, cfg.LogRotation, &wg)
	if err != nil {
		return nil, err
	}
	stderr, err := openLog(cfg.StderrPath, cfg.LogRotation, &wg)
	if err != nil {
		stdout.Close()
		return nil, err
	}
	l := &TaskLogs{Stdout: stdout, Stderr: stderr, copies: make(chan struct{})}
	go func() {
		wg.Wait()
		close(l.copies)
	}()
	return l, nil
}

func openLog(path string, rot *LogRotation, copies *sync.WaitGroup) (*os.File, error) {
	if path == "" {
		path = os.DevNull
	}
	if rot == nil || path == os.DevNull {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("opening log file: %w", err)
		}
		return f, nil
	}
	w, err := logrotate.NewWriter(logrotate.Config{
		Dir: filepath.Dir(path), Base: filepath.Base(path), MaxFiles: rot.MaxFiles, MaxBytes: rot.MaxFileBytes})
	if err != nil {
		return nil, fmt.Errorf("opening log %s: %w", path, err)
	}
	r, wr, err := os.Pipe()
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("log pipe for %s: %w", path, err)
	}
	copies.Add(1)
	go func() {
		defer copies.Done()
		// Nobody is left to tell: the task's output is what failed.
		if err := logrotate.Copy(w, r, logrotate.DefaultFlushAfter); err != nil {
			fmt.Fprintf(os.Stderr, "drover: copying task log %s: %v\n", path, err)
		}
	}()
	return wr, nil
}
