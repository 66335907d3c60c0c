package client

import (
	"context"
	"net/http"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Exec runs a command inside a running task of an allocation (alloc exec)
// and returns its exit code once it has exited. It blocks for as long as
// the command runs; cancelling ctx kills the command. Errors before the
// command starts are CodedErrors (or wrap structs.ErrNotFound) saying why
// it cannot run.
func (c *Client) Exec(ctx context.Context, allocID, task string, req *driver.ExecRequest) (int, error) {
	if task == "" {
		return 0, structs.NewCodedError(http.StatusBadRequest, "missing task name")
	}
	if len(req.Command) == 0 || req.Command[0] == "" {
		return 0, structs.NewCodedError(http.StatusBadRequest, "command is not present")
	}
	tr, err := c.taskRunner(allocID, task)
	if err != nil {
		return 0, err
	}
	return tr.Exec(ctx, req)
}

// Exec runs a command inside the task's current run.
func (tr *taskRunner) Exec(ctx context.Context, req *driver.ExecRequest) (int, error) {
	h := tr.runningHandle()
	if h == nil {
		return 0, errTaskNotRunning(tr.name)
	}
	es, ok := h.(driver.ExecStreamer)
	if !ok {
		return 0, structs.NewCodedError(http.StatusBadRequest, "task %q: its driver does not support exec", tr.name)
	}
	tr.logger.Debug("exec into task", "command", req.Command[0], "tty", req.TTY)
	return es.ExecStreaming(ctx, req)
}
