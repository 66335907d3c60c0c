package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Operations on a running task asked for by users: alloc signal, alloc
// restart and resource usage. They act on the handle of the task's
// current run, which runOnce publishes while the task runs.

// reasonUserRestart is Nomad's restart reason for alloc restart.
const reasonUserRestart = "User requested restart"

func errTaskNotRunning(task string) error {
	return structs.NewCodedError(http.StatusBadRequest, "task %q is not running", task)
}

func (tr *taskRunner) setHandle(h driver.TaskHandle) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.handle = h
}

func (tr *taskRunner) runningHandle() driver.TaskHandle {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.handle
}

// Signal sends signal to the running task, recording a Signaling event.
func (tr *taskRunner) Signal(signal string) error {
	h := tr.runningHandle()
	if h == nil {
		return errTaskNotRunning(tr.name)
	}
	s, ok := h.(driver.Signaler)
	if !ok {
		return structs.NewCodedError(http.StatusNotImplemented, "task %q: its driver cannot send signals", tr.name)
	}
	if _, err := driver.ParseSignal(signal); err != nil {
		return structs.NewCodedError(http.StatusBadRequest, "task %q: %v", tr.name, err)
	}
	tr.emit(signalingEvent(tr.deps.clock.Now(), signal))
	if err := s.Signal(signal); err != nil {
		return fmt.Errorf("signalling task %q: %w", tr.name, err)
	}
	return nil
}

// Restart stops the running task with its kill signal and starts it again
// at once. It does not count against the restart policy. It returns before
// the task has restarted.
func (tr *taskRunner) Restart() error {
	if tr.runningHandle() == nil {
		return errTaskNotRunning(tr.name)
	}
	tr.emit(restartSignalEvent(tr.deps.clock.Now()))
	select {
	case tr.restartCh <- struct{}{}:
	default: // one is already pending
	}
	return nil
}

// Stats samples the running task's resource usage.
func (tr *taskRunner) Stats() (*structs.TaskResourceUsage, error) {
	h := tr.runningHandle()
	if h == nil {
		return nil, errTaskNotRunning(tr.name)
	}
	sr, ok := h.(driver.StatsReporter)
	if !ok {
		return nil, structs.NewCodedError(http.StatusNotImplemented, "task %q: its driver does not report resource usage", tr.name)
	}
	u, err := sr.Stats()
	if err != nil {
		return nil, fmt.Errorf("resource usage of task %q: %w", tr.name, err)
	}
	return u, nil
}

func (tr *taskRunner) drainRestart() {
	select {
	case <-tr.restartCh:
	default:
	}
}

// stopForRestart stops the task for a user restart and records its exit.
func (tr *taskRunner) stopForRestart(ctx context.Context, handle driver.TaskHandle) {
	_, task := tr.current()
	timeout := task.KillTimeout
	if timeout <= 0 {
		timeout = structs.DefaultKillTimeout
	}
	if err := handle.Kill(task.KillSignal, timeout); err != nil {
		tr.logger.Error("stopping task for a restart failed; force killing", "error", err)
		if ferr := handle.Kill("SIGKILL", timeout); ferr != nil {
			tr.logger.Error("force killing task failed", "error", ferr)
		}
	}
	select {
	case res := <-handle.Wait():
		tr.exited(ctx, res)
	case <-tr.deps.clock.After(timeout):
		tr.logger.Error("task did not exit for its restart", "timeout", timeout)
	}
}

// userRestarted records the restart between the two runs.
func (tr *taskRunner) userRestarted() {
	now := tr.deps.clock.Now()
	tr.update(func(st *structs.TaskState) {
		st.State = structs.TaskStatePending
		st.Restarts++
		st.LastRestart = now
	}, restartingEvent(now, 0, reasonUserRestart))
}

func restartSignalEvent(now time.Time) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskRestartSignal, now, reasonUserRestart)
	ev.RestartReason = reasonUserRestart
	return ev
}

func signalingEvent(now time.Time, signal string) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskSignaling, now, "Task being sent signal "+signal)
	ev.Details["signal"] = signal
	return ev
}
