package exec

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/opencontainers/runc/libcontainer"

	"github.com/drover-project/drover/driver"
)

// handle is a running task's container. Its container is destroyed (the
// cgroup removed, the state deleted) once the task's init process exits,
// after its OOM state has been read.
type handle struct {
	container *libcontainer.Container
	process   *libcontainer.Process
	logs      *driver.TaskLogs
	logger    hclog.Logger
	// cgroupPaths are the task's cgroup directories, read at start:
	// libcontainer's State, keyed by controller ("" on cgroup v2).
	cgroupPaths map[string]string
	oomNotified atomic.Bool // the kernel's OOM event fired

	*driver.Exit

	killMu sync.Mutex // one Kill at a time
	stats  statsState
}

func newHandle(c *libcontainer.Container, p *libcontainer.Process, logs *driver.TaskLogs, logger hclog.Logger) *handle {
	h := &handle{container: c, process: p, logs: logs, logger: logger, Exit: driver.NewExit()}
	h.stats.init(time.Now())
	if st, err := c.State(); err == nil {
		h.cgroupPaths = st.CgroupPaths
	} else {
		logger.Warn("reading container state failed; OOM kills will not be seen", "error", err)
	}
	// The event is a second witness besides the oom_kill counter, for
	// kernels without the counter. Its channel is unbuffered: drain it.
	if ch, err := c.NotifyOOM(); err == nil {
		go func() {
			for range ch {
				h.oomNotified.Store(true)
			}
		}()
	} else {
		logger.Debug("OOM notification unavailable", "error", err)
	}
	go h.wait()
	return h
}

func (h *handle) wait() {
	state, err := h.process.Wait()
	res := exitResult(state, err)
	if n, err := oomKills(h.cgroupPaths); err == nil {
		res.OOMKilled = n > 0
	} else {
		h.logger.Debug("reading OOM kill count failed", "error", err)
	}
	res.OOMKilled = res.OOMKilled || h.oomNotified.Load()
	// With a private pid namespace every other process died with init, so
	// the container is stopped and Destroy only cleans up.
	if err := h.container.Destroy(); err != nil {
		h.logger.Warn("destroying container failed", "id", h.container.ID(), "error", err)
	}
	h.logs.WaitFlushed()
	h.Set(res)
}

func exitResult(state *os.ProcessState, err error) *driver.ExitResult {
	res := &driver.ExitResult{}
	if state == nil {
		res.Err = fmt.Errorf("waiting for task: %w", err)
		return res
	}
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.Signal = int(ws.Signal())
		res.ExitCode = 128 + res.Signal
		return res
	}
	res.ExitCode = state.ExitCode()
	return res
}

// Kill implements driver.TaskHandle: signal the container's init, give it
// timeout to exit, then SIGKILL it, which takes every process of its pid
// namespace along. The container is destroyed by wait, never here: a
// container destroyed while running is killed without a chance to stop.
func (h *handle) Kill(signal string, timeout time.Duration) error {
	sig, err := driver.ParseSignal(signal)
	if err != nil {
		return fmt.Errorf("%s: kill: %w", Name, err)
	}
	h.killMu.Lock()
	defer h.killMu.Unlock()
	select {
	case <-h.Done():
		return nil
	default:
	}
	if err := h.signal(sig); err != nil {
		return err
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-h.Done():
		return nil
	case <-timer.C:
	}
	h.logger.Debug("task ignored its kill signal; force killing", "id", h.container.ID(), "timeout", timeout)
	if err := h.signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-h.Done()
	return nil
}

// signal sends sig to the task's init; a task that already exited is not
// an error.
func (h *handle) signal(sig syscall.Signal) error {
	err := h.container.Signal(sig)
	if err == nil || errors.Is(err, libcontainer.ErrNotRunning) {
		return nil
	}
	select {
	case <-h.Done():
		return nil
	default:
	}
	return fmt.Errorf("%s: sending %v to container %s: %w", Name, sig, h.container.ID(), err)
}
