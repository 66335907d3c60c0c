package client

import (
	"context"
	"fmt"
)

// taskDirHook builds the allocation and task directories and points the
// task at them.
type taskDirHook struct {
	built bool
}

func (h *taskDirHook) Name() string { return "task_dir" }

// Prestart implements taskPrestartHook.
func (h *taskDirHook) Prestart(ctx context.Context, req *prestartRequest) error {
	if !h.built {
		req.EmitEvent(setupEvent(req.Clock.Now()))
		if err := req.AllocDir.Build(); err != nil {
			return fmt.Errorf("building alloc dir: %w", err)
		}
		if err := req.TaskDir.Build(); err != nil {
			return fmt.Errorf("building task dir: %w", err)
		}
		h.built = true
	}
	req.Config.AllocDir = req.AllocDir.SharedDir
	req.Config.TaskDir = req.TaskDir.Dir
	return nil
}
