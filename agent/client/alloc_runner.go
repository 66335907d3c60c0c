package client

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/client/allocdir"
	"github.com/drover-project/drover/agent/client/statedb"
	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// runnerDeps is what alloc and task runners need from the client.
type runnerDeps struct {
	logger   hclog.Logger
	clock    Clock
	drivers  map[string]driver.Driver
	node     func() *structs.Node
	region   string
	hostEnv  map[string]string
	allocDir func(allocID string) *allocdir.AllocDir
	dirty    func(allocID string, src statusSource)
	// db is the client's state DB; nil keeps nothing (tests).
	db     *statedb.DB
	nodeID string
	// hooks, when set, replaces the default task hooks (tests).
	hooks func() []taskHook
}

// allocRunner runs one allocation: its directory and one task runner per
// task. It kills the remaining tasks when a task fails or a leader task
// ends, and derives the allocation's client status from its tasks.
type allocRunner struct {
	deps   *runnerDeps
	logger hclog.Logger
	id     string
	dir    *allocdir.AllocDir

	mu    sync.Mutex
	alloc *structs.Allocation // latest version from the servers

	tasks  map[string]*taskRunner // fixed after construction
	order  []string
	places map[string]*taskPlace // lifecycle of each task, see lifecycle.go
	// changed is poked (never blocking) whenever a task's state changes.
	changed chan struct{}
	done    chan struct{}
}

func newAllocRunner(deps *runnerDeps, alloc *structs.Allocation) *allocRunner {
	ar := &allocRunner{
		deps:    deps,
		logger:  deps.logger.With("alloc_id", alloc.ID),
		id:      alloc.ID,
		dir:     deps.allocDir(alloc.ID),
		alloc:   alloc,
		tasks:   make(map[string]*taskRunner),
		places:  make(map[string]*taskPlace),
		changed: make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	var tasks []*structs.Task
	if tg := alloc.Job.LookupTaskGroup(alloc.TaskGroup); tg != nil {
		tasks = tg.Tasks
	}
	for _, t := range tasks {
		ar.tasks[t.Name] = newTaskRunner(deps, ar, alloc, t)
		ar.places[t.Name] = placeOf(t)
		ar.order = append(ar.order, t.Name)
	}
	return ar
}

// Run runs the tasks until they are all dead, or until ctx ends, which
// abandons them (they keep running; a later agent may recover them).
func (ar *allocRunner) Run(ctx context.Context) {
	defer close(ar.done)
	if len(ar.tasks) == 0 {
		ar.logger.Error("allocation's task group has no tasks", "group", ar.alloc.TaskGroup)
		ar.markDirty() // reported failed, see clientAlloc
		return
	}
	if ar.Alloc().TerminalStatus() {
		// Stopped by the servers before it ever ran here.
		ar.Stop()
	}
	ar.markDirty()
	ar.runPhases(ctx)
}

// taskFinished kills the siblings of a task that failed or was the leader.
// Poststop tasks are spared: they run once the others have ended.
func (ar *allocRunner) taskFinished(tr *taskRunner) {
	st := tr.State()
	var reason func() *structs.TaskEvent
	switch {
	case st.Failed:
		reason = func() *structs.TaskEvent { return siblingFailedEvent(ar.deps.clock.Now(), tr.name) }
	case tr.leader():
		reason = func() *structs.TaskEvent { return leaderDeadEvent(ar.deps.clock.Now()) }
	default:
		return
	}
	for _, name := range ar.order {
		if other := ar.tasks[name]; other != tr && ar.places[name].phase != phasePoststop {
			other.Kill(reason())
		}
	}
}

// Update hands the runner a newer version of its allocation. Versions
// whose AllocModifyIndex did not move (e.g. the client's own status
// reports coming back) are ignored.
func (ar *allocRunner) Update(a *structs.Allocation) {
	ar.mu.Lock()
	if a.AllocModifyIndex <= ar.alloc.AllocModifyIndex {
		ar.mu.Unlock()
		return
	}
	ar.alloc = a
	ar.mu.Unlock()
	ar.persistAlloc(a)
	for _, name := range ar.order {
		ar.tasks[name].UpdateAlloc(a)
	}
	if a.TerminalStatus() {
		ar.logger.Debug("allocation stopped by the servers", "desired_status", a.DesiredStatus)
		ar.Stop()
	}
}

// Stop kills every task but the poststop ones, which then run as after
// any end of the main tasks. The allocation ends complete unless a task had
// already failed.
func (ar *allocRunner) Stop() {
	for _, name := range ar.order {
		if ar.places[name].phase != phasePoststop {
			ar.tasks[name].Kill(nil)
		}
	}
}

// Destroy kills every task, poststop ones too, waits for them and removes
// the allocation's directory.
func (ar *allocRunner) Destroy() error {
	for _, name := range ar.order {
		ar.tasks[name].Kill(nil)
	}
	<-ar.done
	if err := ar.dir.Destroy(); err != nil {
		return fmt.Errorf("destroying allocation %s: %w", ar.id, err)
	}
	return nil
}

// Done is closed when Run has returned.
func (ar *allocRunner) Done() <-chan struct{} { return ar.done }

// Alloc returns the latest allocation from the servers.
func (ar *allocRunner) Alloc() *structs.Allocation {
	ar.mu.Lock()
	defer ar.mu.Unlock()
	return ar.alloc
}

func (ar *allocRunner) hasTask(name string) bool {
	_, ok := ar.tasks[name]
	return ok
}

func (ar *allocRunner) markDirty() {
	ar.deps.dirty(ar.id, ar)
	ar.notify()
}

// clientAlloc implements statusSource.
func (ar *allocRunner) clientAlloc() *structs.Allocation {
	states := make(map[string]*structs.TaskState, len(ar.tasks))
	for name, tr := range ar.tasks {
		states[name] = tr.State()
	}
	status, desc := clientStatus(states)
	if len(ar.tasks) == 0 {
		status, desc = structs.AllocClientStatusFailed, "Task group not found in the allocation's job"
	}
	return &structs.Allocation{
		ID:                ar.id,
		NodeID:            ar.deps.nodeID,
		ClientStatus:      status,
		ClientDescription: desc,
		TaskStates:        states,
	}
}
