package client

import (
	"context"
	"fmt"
	"os"
)

// logsHook gives the task its log files in the shared logs directory,
// creating them so they can be read before the task writes anything.
type logsHook struct{}

func (h *logsHook) Name() string { return "logs" }

// Prestart implements taskPrestartHook.
func (h *logsHook) Prestart(ctx context.Context, req *prestartRequest) error {
	req.Config.StdoutPath = req.AllocDir.LogPath(req.Task.Name, "stdout")
	req.Config.StderrPath = req.AllocDir.LogPath(req.Task.Name, "stderr")
	for _, p := range []string{req.Config.StdoutPath, req.Config.StderrPath} {
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
