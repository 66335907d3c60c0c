package client

import (
	"context"
	"fmt"
	"sync"

	"github.com/drover-project/drover/agent/client/statedb"
	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Persistence of a task runner. Every state change is written to the
// client's state DB (see update) together with the restart tracker's
// position and, while the task runs, its driver handle state, so that a
// client started after a crash or SIGKILL takes the task back (resume)
// instead of starting it a second time.

// taskSaved is a task runner's persistence state.
type taskSaved struct {
	mu sync.Mutex // serialises writes, so the last write has the latest state

	// handle is the running task's handle when its driver can recover it;
	// guarded by the task runner's mu.
	handle driver.TaskHandle
	// restored is what a previous client recorded; set before Run, read
	// once by resume.
	restored *statedb.TaskRecord
}

// persist writes the task's current record. Failures are logged: the task
// keeps running, only a later recovery would miss the change.
func (tr *taskRunner) persist() {
	db := tr.deps.db
	if db == nil {
		return
	}
	tr.saved.mu.Lock()
	defer tr.saved.mu.Unlock()
	count, window := tr.restarts.position()
	tr.mu.Lock()
	rec := &statedb.TaskRecord{
		State:    tr.state.Copy(),
		Restarts: statedb.RestartState{Count: count, WindowStart: window},
		Driver:   tr.task.Driver,
	}
	if rh, ok := tr.saved.handle.(driver.RecoverableHandle); ok {
		rec.Handle = rh.HandleState()
	}
	tr.mu.Unlock()
	if err := db.PutTask(tr.ar.id, tr.name, rec); err != nil {
		tr.logger.Error("saving task state failed", "error", err)
	}
}

// saveHandle records the handle of the task's current run, or with nil
// that the run's exit has been recorded; the handle before is then
// released.
func (tr *taskRunner) saveHandle(h driver.TaskHandle) {
	tr.mu.Lock()
	prev := tr.saved.handle
	tr.saved.handle = h
	tr.mu.Unlock()
	tr.persist()
	if h != nil || prev == nil {
		return
	}
	if rh, ok := prev.(driver.ReleasableHandle); ok {
		if err := rh.Release(); err != nil {
			tr.logger.Warn("releasing the exited task's driver state failed", "error", err)
		}
	}
}

// restore loads what a previous client recorded. It must be called before
// Run.
func (tr *taskRunner) restore(rec *statedb.TaskRecord) {
	if rec == nil || rec.State == nil {
		return
	}
	tr.mu.Lock()
	tr.state = rec.State.Copy()
	tr.saved.restored = rec
	tr.mu.Unlock()
	tr.restarts.setPosition(rec.Restarts.Count, rec.Restarts.WindowStart)
}

// resume continues a restored task where the previous client left it. It
// returns false when Run has nothing more to do: the task was already dead,
// or it was re-attached to and has now ended for good, been killed or been
// abandoned. True means Run goes on as for a new task: starting it.
func (tr *taskRunner) resume(ctx context.Context) bool {
	tr.mu.Lock()
	rec := tr.saved.restored
	tr.saved.restored = nil
	tr.mu.Unlock()
	switch {
	case rec == nil:
		return true
	case rec.State.State == structs.TaskStateDead:
		return false
	case rec.Handle == nil:
		// Never started, between two runs, or a driver that cannot
		// re-attach: start it (again).
		return true
	}
	handle, err := tr.recoverHandle(ctx, rec)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		tr.logger.Warn("re-attaching to task failed", "error", err)
		tr.update(func(st *structs.TaskState) { st.State = structs.TaskStatePending },
			driverFailureEvent(tr.deps.clock.Now(), err))
		return tr.afterExit(ctx, nil)
	}
	tr.logger.Info("re-attached to task")
	tr.mu.Lock()
	tr.saved.handle = handle
	tr.mu.Unlock()
	tr.emit(reattachedEvent(tr.deps.clock.Now()))
	tr.setHandle(handle)
	defer tr.setHandle(nil)
	select {
	case res := <-handle.Wait():
		tr.exited(ctx, res)
		return tr.afterExit(ctx, res)
	case <-tr.killCh:
		tr.kill(ctx, handle)
		return false
	case <-tr.restartCh:
		tr.stopForRestart(ctx, handle)
		if !tr.killRequested() { // else Run's kill check ends it
			tr.userRestarted()
		}
		return true
	case <-ctx.Done():
		return false
	}
}

func (tr *taskRunner) recoverHandle(ctx context.Context, rec *statedb.TaskRecord) (driver.TaskHandle, error) {
	if tr.driver == nil {
		return nil, fmt.Errorf("re-attaching: driver %q is not enabled on this node", rec.Driver)
	}
	r, ok := tr.driver.(driver.TaskRecoverer)
	if !ok || tr.driver.Name() != rec.Driver {
		return nil, fmt.Errorf("re-attaching: driver %q cannot recover tasks", tr.driver.Name())
	}
	h, err := r.RecoverTask(ctx, rec.Handle)
	if err != nil {
		return nil, fmt.Errorf("re-attaching: %w", err)
	}
	return h, nil
}

// persistAlloc records the allocation as last received.
func (ar *allocRunner) persistAlloc(a *structs.Allocation) {
	if ar.deps.db == nil {
		return
	}
	if err := ar.deps.db.PutAlloc(a); err != nil {
		ar.logger.Error("saving allocation failed", "error", err)
	}
}

// restore loads the tasks' records of a previous client. It must be called
// before Run.
func (ar *allocRunner) restore(tasks map[string]*statedb.TaskRecord) {
	for name, tr := range ar.tasks {
		tr.restore(tasks[name])
	}
}
