package client

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/client/allocdir"
	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// taskRunner runs one task through its driver: prestart hooks, start,
// wait, and restarts as the group's restart policy allows, until the task
// is dead for good or killed. Its state is read concurrently by the alloc
// runner and the syncer.
type taskRunner struct {
	deps     *runnerDeps
	ar       *allocRunner
	name     string
	logger   hclog.Logger
	driver   driver.Driver // nil when the node has no such driver
	hooks    []taskHook
	restarts *restartTracker
	taskDir  *allocdir.TaskDir

	mu    sync.Mutex
	alloc *structs.Allocation
	task  *structs.Task
	state *structs.TaskState

	// handle is the running task's, nil while it is not running; guarded
	// by mu. See task_ops.go.
	handle driver.TaskHandle
	// saved is the runner's persistence, see task_persist.go.
	saved taskSaved

	killOnce  sync.Once
	killCh    chan struct{} // closed when a kill is requested
	restartCh chan struct{} // a user restart request (buffered, 1)

	done chan struct{}
}

func newTaskRunner(deps *runnerDeps, ar *allocRunner, alloc *structs.Allocation, task *structs.Task) *taskRunner {
	var policy *structs.RestartPolicy
	if tg := alloc.Job.LookupTaskGroup(alloc.TaskGroup); tg != nil {
		policy = tg.RestartPolicy
	}
	tr := &taskRunner{
		deps:      deps,
		ar:        ar,
		name:      task.Name,
		logger:    ar.logger.With("task", task.Name),
		driver:    deps.drivers[task.Driver],
		restarts:  newRestartTracker(policy, alloc.Job.Type),
		taskDir:   ar.dir.TaskDir(task.Name),
		alloc:     alloc,
		task:      task,
		state:     &structs.TaskState{State: structs.TaskStatePending},
		killCh:    make(chan struct{}),
		restartCh: make(chan struct{}, 1),
		done:      make(chan struct{}),
	}
	// A lifecycle task that runs to completion is done once it succeeds,
	// whatever the job type.
	tr.restarts.batch = tr.restarts.batch || isEphemeral(task)
	if deps.hooks != nil {
		tr.hooks = deps.hooks()
	} else {
		tr.hooks = defaultTaskHooks(deps)
	}
	tr.state.Events = []*structs.TaskEvent{receivedEvent(deps.clock.Now())}
	return tr
}

// State returns a copy of the task's state.
func (tr *taskRunner) State() *structs.TaskState {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.state.Copy()
}

// UpdateAlloc hands the runner a newer allocation; it is used from the
// next start on.
func (tr *taskRunner) UpdateAlloc(a *structs.Allocation) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.alloc = a
	if tg := a.Job.LookupTaskGroup(a.TaskGroup); tg != nil {
		if t := tg.LookupTask(tr.name); t != nil {
			tr.task = t
		}
	}
}

// Kill asks the task to stop for good, recording reason first when given.
// Only the first call has an effect. It does not wait: Done tells when the
// task is dead.
func (tr *taskRunner) Kill(reason *structs.TaskEvent) {
	tr.killOnce.Do(func() {
		if reason != nil && !tr.isDead() {
			tr.emit(reason)
		}
		close(tr.killCh)
	})
}

func (tr *taskRunner) killRequested() bool {
	select {
	case <-tr.killCh:
		return true
	default:
		return false
	}
}

func (tr *taskRunner) isDead() bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.state.State == structs.TaskStateDead
}

func (tr *taskRunner) leader() bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.task.Leader
}

func (tr *taskRunner) current() (*structs.Allocation, *structs.Task) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.alloc, tr.task
}

// emit records events without changing the task's state.
func (tr *taskRunner) emit(events ...*structs.TaskEvent) {
	tr.update(nil, events...)
}

// update applies change to the state (under the lock), appends events and
// tells the alloc runner that its status changed.
func (tr *taskRunner) update(change func(st *structs.TaskState), events ...*structs.TaskEvent) {
	tr.mu.Lock()
	if change != nil {
		change(tr.state)
	}
	for _, ev := range events {
		tr.state.Events = append(tr.state.Events, ev)
		if n := len(tr.state.Events); n > maxTaskEvents {
			tr.state.Events = append([]*structs.TaskEvent(nil), tr.state.Events[n-maxTaskEvents:]...)
		}
	}
	tr.mu.Unlock()
	tr.persist()
	tr.ar.markDirty()
}

// markDead ends the task for good and runs the stop hooks.
func (tr *taskRunner) markDead(ctx context.Context, failed bool, events ...*structs.TaskEvent) {
	now := tr.deps.clock.Now()
	tr.update(func(st *structs.TaskState) {
		st.State = structs.TaskStateDead
		st.Failed = failed
		st.FinishedAt = now
	}, events...)
	tr.runHooks(ctx, "stop", func(h taskHook, req *hookRequest) (bool, error) {
		if sh, ok := h.(taskStopHook); ok {
			return true, sh.Stop(ctx, req)
		}
		return false, nil
	})
}

// hookRequest describes the task to its hooks.
func (tr *taskRunner) hookRequest() *hookRequest {
	alloc, task := tr.current()
	req := &hookRequest{
		Alloc: alloc, Task: task, Node: tr.deps.node(),
		AllocDir: tr.ar.dir, TaskDir: tr.taskDir,
		EmitEvent: func(ev *structs.TaskEvent) { tr.emit(ev) },
		Clock:     tr.deps.clock,
	}
	if tr.driver != nil {
		req.Capabilities = driver.CapabilitiesOf(tr.driver)
	}
	return req
}

// runHooks calls fn for every hook; failures of non-prestart hooks are
// logged, not fatal.
func (tr *taskRunner) runHooks(ctx context.Context, stage string, fn func(taskHook, *hookRequest) (bool, error)) {
	req := tr.hookRequest()
	for _, h := range tr.hooks {
		if ran, err := fn(h, req); ran && err != nil {
			tr.logger.Warn("task hook failed", "stage", stage, "hook", h.Name(), "error", err)
		}
	}
}

// prestart runs the prestart hooks and returns the config to start with.
func (tr *taskRunner) prestart(ctx context.Context) (*driver.TaskConfig, error) {
	base := tr.hookRequest()
	alloc, task := base.Alloc, base.Task
	req := &prestartRequest{
		hookRequest: *base,
		Config: &driver.TaskConfig{
			AllocID: alloc.ID, TaskName: task.Name, JobID: alloc.JobID, GroupName: alloc.TaskGroup,
			Config: task.Config, Resources: task.Resources, User: task.User,
			CPUMHzPerCore: mhzPerCore(base.Node),
		},
	}
	for _, h := range tr.hooks {
		ph, ok := h.(taskPrestartHook)
		if !ok {
			continue
		}
		if err := ph.Prestart(ctx, req); err != nil {
			return nil, fmt.Errorf("prestart hook %q failed: %w", h.Name(), err)
		}
	}
	return req.Config, nil
}
