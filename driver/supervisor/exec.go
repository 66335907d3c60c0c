package supervisor

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
)

// Exec into a supervised task does not go through the supervisor: the
// client's process runs the command itself, through the wrapped driver's
// driver.TaskExecer, from the task config in the supervisor's spec. Both
// drivers can do so from any process (raw_exec starts a process like the
// task's; exec loads the container from its state dir and joins it, as
// `runc exec` does), so the supervisor's protocol stays one request, one
// reply, and an exec session ends with the agent serving it, not with the
// task.

// handleFor returns the handle of the supervised task in dir.
func (d *Driver) handleFor(dir string, logger hclog.Logger) *handle {
	h := newHandle(dir, logger)
	h.inner = d.inner
	return h
}

// ExecStreaming implements driver.ExecStreamer when the wrapped driver is
// a driver.TaskExecer.
func (h *handle) ExecStreaming(ctx context.Context, req *driver.ExecRequest) (int, error) {
	te, ok := h.inner.(driver.TaskExecer)
	if !ok {
		return 0, fmt.Errorf("driver %q cannot exec into tasks", driverName(h.inner))
	}
	select {
	case <-h.Done():
		return 0, errors.New("task has exited")
	default:
	}
	sp, err := readSpec(h.dir)
	if err != nil {
		return 0, fmt.Errorf("task supervisor in %s: %w", h.dir, err)
	}
	return te.ExecTask(ctx, sp.Task, req)
}

func driverName(d driver.Driver) string {
	if d == nil {
		return "unknown"
	}
	return d.Name()
}
