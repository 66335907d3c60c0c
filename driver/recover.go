package driver

import "context"

// RecoverableHandle is a TaskHandle that a later process can find again,
// for example a client agent restarted while its tasks kept running.
type RecoverableHandle interface {
	TaskHandle
	// HandleState is an opaque, serialisable reference to the task. The
	// client stores it and hands it back to the driver's RecoverTask. It
	// does not change over the task's life.
	HandleState() []byte
}

// TaskRecoverer is implemented by drivers whose tasks outlive the agent
// and can be re-attached to. The client finds it with a type check;
// drivers without it have their tasks started again after a restart.
type TaskRecoverer interface {
	// RecoverTask returns a handle for the task that state (from
	// RecoverableHandle.HandleState) refers to, without starting or
	// restarting anything. A task that ended while nobody watched yields a
	// handle whose Wait reports its recorded exit. An error means the task
	// cannot be found or its fate is unknown.
	RecoverTask(ctx context.Context, state []byte) (TaskHandle, error)
}

// ReleasableHandle is implemented by handles that keep state on disk so a
// task's exit can be recovered. The client calls Release after the task
// has exited and the client has durably recorded that exit; the handle may
// then delete its state. Release on a running task is an error.
type ReleasableHandle interface {
	Release() error
}
