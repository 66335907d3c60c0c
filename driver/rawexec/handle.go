package rawexec

import (
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
)

// handle is a running raw_exec process and its process group.
type handle struct {
	cmd    *exec.Cmd
	pgid   int
	logs   *driver.TaskLogs
	logger hclog.Logger

	*driver.Exit

	killMu sync.Mutex // one Kill at a time
}

func newHandle(cmd *exec.Cmd, logs *driver.TaskLogs, logger hclog.Logger) *handle {
	h := &handle{cmd: cmd, pgid: cmd.Process.Pid, logs: logs, logger: logger, Exit: driver.NewExit()}
	go h.wait()
	return h
}

func (h *handle) wait() {
	err := h.cmd.Wait()
	res := &driver.ExitResult{}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.Signal = int(ws.Signal())
			res.ExitCode = 128 + res.Signal
		} else {
			res.ExitCode = ee.ExitCode()
		}
	default:
		res.Err = fmt.Errorf("waiting for process %d: %w", h.pgid, err)
	}
	h.logs.WaitFlushed()
	h.Set(res)
}

// Kill implements driver.TaskHandle: signal the whole process group, give
// it timeout to exit, then SIGKILL the group.
func (h *handle) Kill(signal string, timeout time.Duration) error {
	sig, err := driver.ParseSignal(signal)
	if err != nil {
		return fmt.Errorf("%s: kill: %w", Name, err)
	}
	h.killMu.Lock()
	defer h.killMu.Unlock()
	select {
	case <-h.Done():
		h.reapGroup()
		return nil
	default:
	}
	if err := syscall.Kill(-h.pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("%s: sending %v to process group %d: %w", Name, sig, h.pgid, err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-h.Done():
		h.reapGroup()
		return nil
	case <-timer.C:
	}
	h.logger.Debug("task ignored its kill signal; force killing", "pid", h.pgid, "timeout", timeout)
	if err := syscall.Kill(-h.pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("%s: killing process group %d: %w", Name, h.pgid, err)
	}
	<-h.Done()
	return nil
}

// reapGroup kills what is left of the group once its leader has exited, so
// background children do not outlive a stopped task.
func (h *handle) reapGroup() {
	if err := syscall.Kill(-h.pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		h.logger.Warn("killing leftover processes failed", "pgid", h.pgid, "error", err)
	}
}
