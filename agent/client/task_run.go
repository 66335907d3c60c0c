package client

import (
	"context"
	"fmt"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// runOutcome is how one start of the task ended.
type runOutcome int

const (
	outcomeExited    runOutcome = iota // exited, or failed to start
	outcomeKilled                      // killed: the task is dead
	outcomeAbandoned                   // ctx ended: leave the task alone
	outcomeRestart                     // stopped for a user restart
)

// Run drives the task until it is dead for good, or until ctx ends, which
// abandons it without touching the process or its state.
func (tr *taskRunner) Run(ctx context.Context) {
	defer close(tr.done)
	if !tr.resume(ctx) { // a task restored from the state DB
		return
	}
	for {
		if tr.killRequested() {
			tr.markDead(ctx, false, killedEvent(tr.deps.clock.Now(), nil))
			return
		}
		if tr.driver == nil {
			_, task := tr.current()
			err := fmt.Errorf("driver %q is not enabled on this node", task.Driver)
			tr.markDead(ctx, true, setupFailureEvent(tr.deps.clock.Now(), err))
			return
		}
		cfg, err := tr.prestart(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			tr.markDead(ctx, true, setupFailureEvent(tr.deps.clock.Now(), err))
			return
		}
		if err := tr.driver.ValidateConfig(cfg.Config); err != nil {
			tr.markDead(ctx, true, validationFailedEvent(tr.deps.clock.Now(), err))
			return
		}
		res, outcome := tr.runOnce(ctx, cfg)
		switch outcome {
		case outcomeAbandoned, outcomeKilled:
			return
		case outcomeRestart:
			if !tr.killRequested() { // else the check at the top ends it
				tr.userRestarted()
			}
			continue
		}
		if !tr.afterExit(ctx, res) {
			return
		}
	}
}

// afterExit applies the restart policy to a run that ended with res (nil:
// the task could not start) and waits out the restart delay. It returns
// false when the task is dead for good or ctx ended.
func (tr *taskRunner) afterExit(ctx context.Context, res *driver.ExitResult) bool {
	d := tr.restarts.next(tr.deps.clock.Now(), res)
	if !d.restart {
		var events []*structs.TaskEvent
		if d.reason != "" {
			events = append(events, notRestartingEvent(tr.deps.clock.Now(), d.reason))
		}
		tr.markDead(ctx, d.failed, events...)
		return false
	}
	now := tr.deps.clock.Now()
	tr.update(func(st *structs.TaskState) {
		st.State = structs.TaskStatePending
		st.Restarts++
		st.LastRestart = now
	}, restartingEvent(now, d.delay, d.reason))
	select {
	case <-ctx.Done():
		return false
	case <-tr.killCh:
		// Run's kill check ends the task.
	case <-tr.deps.clock.After(d.delay):
	}
	return true
}

// runOnce starts the task and waits for it to exit or be killed. res is
// nil when the driver could not start the task.
func (tr *taskRunner) runOnce(ctx context.Context, cfg *driver.TaskConfig) (*driver.ExitResult, runOutcome) {
	// A kill aborts a slow start.
	startCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	tr.drainRestart() // a request for an earlier run is stale
	go func() {
		select {
		case <-tr.killCh:
			cancel()
		case <-startCtx.Done():
		}
	}()
	handle, err := tr.driver.StartTask(startCtx, cfg)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, outcomeAbandoned
		case tr.killRequested():
			tr.markDead(ctx, false, killedEvent(tr.deps.clock.Now(), nil))
			return nil, outcomeKilled
		}
		tr.logger.Warn("task failed to start", "error", err)
		tr.emit(driverFailureEvent(tr.deps.clock.Now(), err))
		return nil, outcomeExited
	}
	// Publish the handle before reporting "running", so that whoever sees
	// the task running can signal or restart it.
	tr.setHandle(handle)
	defer tr.setHandle(nil)
	now := tr.deps.clock.Now()
	tr.update(func(st *structs.TaskState) {
		st.State = structs.TaskStateRunning
		st.StartedAt = now
	}, startedEvent(now))
	tr.saveHandle(handle)
	tr.runHooks(ctx, "poststart", func(h taskHook, req *hookRequest) (bool, error) {
		if ph, ok := h.(taskPoststartHook); ok {
			return true, ph.Poststart(ctx, req)
		}
		return false, nil
	})

	select {
	case res := <-handle.Wait():
		tr.exited(ctx, res)
		return res, outcomeExited
	case <-tr.killCh:
		tr.kill(ctx, handle)
		return nil, outcomeKilled
	case <-tr.restartCh:
		tr.stopForRestart(ctx, handle)
		return nil, outcomeRestart
	case <-ctx.Done():
		return nil, outcomeAbandoned
	}
}

// exited records an exit and runs the exited hooks.
func (tr *taskRunner) exited(ctx context.Context, res *driver.ExitResult) {
	tr.emit(terminatedEvent(tr.deps.clock.Now(), res))
	tr.saveHandle(nil) // the exit is on disk: the handle may go
	tr.runHooks(ctx, "exited", func(h taskHook, req *hookRequest) (bool, error) {
		if eh, ok := h.(taskExitedHook); ok {
			return true, eh.Exited(ctx, req)
		}
		return false, nil
	})
}

// kill stops a running task with its kill signal and timeout; the task
// ends dead and, having been stopped on purpose, not failed.
func (tr *taskRunner) kill(ctx context.Context, handle driver.TaskHandle) {
	_, task := tr.current()
	timeout := task.KillTimeout
	if timeout <= 0 {
		timeout = structs.DefaultKillTimeout
	}
	tr.emit(killingEvent(tr.deps.clock.Now(), task.KillSignal, timeout))
	err := handle.Kill(task.KillSignal, timeout)
	if err != nil {
		// An unusable kill signal must not leave the task running.
		tr.logger.Error("killing task failed; force killing", "error", err)
		if ferr := handle.Kill("SIGKILL", timeout); ferr != nil {
			err = fmt.Errorf("%w; force kill: %w", err, ferr)
		}
	}
	select {
	case res := <-handle.Wait():
		tr.exited(ctx, res)
	case <-tr.deps.clock.After(timeout):
		tr.logger.Error("task did not exit after being killed", "timeout", timeout)
	}
	tr.markDead(ctx, false, killedEvent(tr.deps.clock.Now(), err))
}
