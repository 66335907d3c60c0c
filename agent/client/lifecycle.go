package client

import (
	"context"
	"time"

	"github.com/drover-project/drover/structs"
)

// Task lifecycle ordering, as Nomad's lifecycle block defines it:
//
//  1. prestart tasks start first. Sidecars keep running; the others must
//     run to completion, successfully, before anything else starts. One
//     that fails (after its restart policy) fails the allocation and the
//     main tasks never start (taskFinished kills them before they do).
//  2. main tasks (no lifecycle block) start next.
//  3. poststart tasks start once every main task has started.
//  4. when every main task has ended, the sidecars are killed ("Main Tasks
//     Dead") and the non-sidecar poststart tasks are left to finish.
//  5. poststop tasks start once every other task has ended, whatever the
//     reason (completion, failure, a stop from the servers), and the
//     allocation is complete only when they have ended too.
//
// The phases run on the alloc runner's goroutine; the task runners report
// progress through markDirty, which wakes it (allocRunner.changed).

// taskPhase is when in the allocation's life a task runs.
type taskPhase int

const (
	phasePrestart taskPhase = iota
	phaseMain
	phasePoststart
	phasePoststop
)

// taskPlace is a task's place in the lifecycle, fixed when the runner is
// built. finished is set, under allocRunner.mu, once the task's runner has
// returned and taskFinished has acted on it.
type taskPlace struct {
	phase    taskPhase
	sidecar  bool
	finished bool
}

func placeOf(t *structs.Task) *taskPlace {
	return &taskPlace{phase: phaseOf(t), sidecar: isSidecar(t)}
}

func phaseOf(t *structs.Task) taskPhase {
	if t.Lifecycle == nil {
		return phaseMain
	}
	switch t.Lifecycle.Hook {
	case structs.TaskLifecycleHookPrestart:
		return phasePrestart
	case structs.TaskLifecycleHookPoststart:
		return phasePoststart
	case structs.TaskLifecycleHookPoststop:
		return phasePoststop
	}
	return phaseMain // unknown hooks are refused by the servers
}

// isSidecar reports whether the task runs alongside the main tasks until
// they end.
func isSidecar(t *structs.Task) bool {
	return t.Lifecycle != nil && t.Lifecycle.Sidecar && t.Lifecycle.Hook != structs.TaskLifecycleHookPoststop
}

// isEphemeral reports whether the task is a lifecycle hook that runs to
// completion: its successful exit ends it, whatever the job type.
func isEphemeral(t *structs.Task) bool {
	return t.Lifecycle != nil && !isSidecar(t)
}

// runPhases starts the task runners phase by phase and returns once every
// started runner has returned. Tasks of a phase the allocation never
// reaches normally (killed before it) are still run, so that they are
// marked dead.
func (ar *allocRunner) runPhases(ctx context.Context) {
	started := make(chan struct{}, len(ar.order))
	n := 0
	start := func(p taskPhase) {
		for _, name := range ar.order {
			if ar.places[name].phase != p {
				continue
			}
			tr := ar.tasks[name]
			n++
			go func() {
				tr.Run(ctx)
				if ctx.Err() == nil {
					ar.taskFinished(tr)
				}
				ar.mu.Lock()
				ar.places[tr.name].finished = true
				ar.mu.Unlock()
				ar.notify()
				started <- struct{}{}
			}()
		}
	}
	defer func() {
		for ; n > 0; n-- {
			<-started
		}
	}()

	start(phasePrestart)
	if !ar.waitUntil(ctx, func() bool { return ar.allFinished(isPrestartEphemeral) }) {
		return
	}
	start(phaseMain)
	if !ar.waitUntil(ctx, ar.mainStarted) {
		return
	}
	start(phasePoststart)
	if !ar.waitUntil(ctx, func() bool { return ar.allFinished(inPhase(phaseMain)) }) {
		return
	}
	ar.killSidecars()
	if !ar.waitUntil(ctx, func() bool { return ar.allFinished(notInPhase(phasePoststop)) }) {
		return
	}
	start(phasePoststop)
}

func isPrestartEphemeral(p *taskPlace) bool { return p.phase == phasePrestart && !p.sidecar }

func inPhase(ph taskPhase) func(*taskPlace) bool {
	return func(p *taskPlace) bool { return p.phase == ph }
}

func notInPhase(ph taskPhase) func(*taskPlace) bool {
	return func(p *taskPlace) bool { return p.phase != ph }
}

// waitUntil blocks until cond holds, re-checking it whenever a task's
// state changes. It returns false when ctx ended first.
func (ar *allocRunner) waitUntil(ctx context.Context, cond func() bool) bool {
	for !cond() {
		select {
		case <-ctx.Done():
			return false
		case <-ar.changed:
		}
	}
	return true
}

// allFinished reports whether the runner of every task selected by which
// has finished.
func (ar *allocRunner) allFinished(which func(*taskPlace) bool) bool {
	ar.mu.Lock()
	defer ar.mu.Unlock()
	for _, p := range ar.places {
		if which(p) && !p.finished {
			return false
		}
	}
	return true
}

// mainStarted reports whether every main task has started at least once
// or has finished (it may have been killed before it could start).
func (ar *allocRunner) mainStarted() bool {
	for _, name := range ar.order {
		ar.mu.Lock()
		p := *ar.places[name]
		ar.mu.Unlock()
		if p.phase != phaseMain || p.finished {
			continue
		}
		if ar.tasks[name].State().StartedAt.IsZero() {
			return false
		}
	}
	return true
}

// killSidecars kills the sidecars once the main tasks have ended.
func (ar *allocRunner) killSidecars() {
	for _, name := range ar.order {
		if ar.places[name].sidecar {
			ar.tasks[name].Kill(mainDeadEvent(ar.deps.clock.Now()))
		}
	}
}

// notify wakes runPhases; it never blocks.
func (ar *allocRunner) notify() {
	select {
	case ar.changed <- struct{}{}:
	default:
	}
}

func mainDeadEvent(now time.Time) *structs.TaskEvent {
	return structs.NewTaskEvent(structs.TaskMainDead, now, "Main tasks in the group died")
}
