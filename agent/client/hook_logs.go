package client

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/drover-project/drover/agent/client/allocdir"
	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/logrotate"
	"github.com/drover-project/drover/structs"
)

// bytesPerMB converts a logs block's max_file_size (MB, as Nomad counts
// them) to bytes.
const bytesPerMB = 1024 * 1024

// logsHook gives the task its logs in the shared logs directory:
// <task>.stdout.N and <task>.stderr.N, rotated as the task's logs block
// says (see driver.OpenLogs). It creates <task>.stdout.0 and .stderr.0
// when there are no files yet, so the logs can be read before the task
// writes anything.
type logsHook struct{}

func (h *logsHook) Name() string { return "logs" }

// Prestart implements taskPrestartHook.
func (h *logsHook) Prestart(ctx context.Context, req *prestartRequest) error {
	lc := req.Task.LogConfig
	if lc == nil {
		lc = structs.DefaultLogConfig()
	}
	req.Config.LogRotation = &driver.LogRotation{MaxFiles: lc.MaxFiles, MaxFileBytes: int64(lc.MaxFileSizeMB) * bytesPerMB}
	for _, logType := range []string{"stdout", "stderr"} {
		base := req.AllocDir.LogBase(req.Task.Name, logType)
		if logType == "stdout" {
			req.Config.StdoutPath = base
		} else {
			req.Config.StderrPath = base
		}
		if _, ok, err := logrotate.Newest(req.AllocDir.LogDir, req.Task.Name+"."+logType); err != nil || ok {
			if err != nil {
				return fmt.Errorf("finding log files: %w", err)
			}
			continue
		}
		p := logrotate.Path(req.AllocDir.LogDir, req.Task.Name+"."+logType, 0)
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("creating log file: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("creating log file %s: %w", p, err)
		}
	}
	return nil
}

// currentLog is the path of the newest of a task's rotated log files, the
// first one when there are none yet.
func currentLog(dir *allocdir.AllocDir, task, logType string) (string, error) {
	base := task + "." + logType
	idx, _, err := logrotate.Newest(dir.LogDir, base)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	return logrotate.Path(dir.LogDir, base, idx), nil
}
