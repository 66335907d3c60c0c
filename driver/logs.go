package driver

import (
	"fmt"
	"os"
)

// OpenLogs opens the task's stdout and stderr files for appending, creating
// them if needed. The caller closes both files.
func OpenLogs(cfg *TaskConfig) (stdout, stderr *os.File, err error) {
	stdout, err = openAppend(cfg.StdoutPath)
	if err != nil {
		return nil, nil, err
	}
	stderr, err = openAppend(cfg.StderrPath)
	if err != nil {
		stdout.Close()
		return nil, nil, err
	}
	return stdout, stderr, nil
}

func openAppend(path string) (*os.File, error) {
	if path == "" {
		path = os.DevNull
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening log file: %w", err)
	}
	return f, nil
}
