package client

import (
	"context"

	"github.com/drover-project/drover/agent/client/allocdir"
	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// taskHook is a step in a task's life. What a hook does is given by the
// optional interfaces below that it implements. Hooks run on the task
// runner's goroutine, in order, one at a time.
type taskHook interface {
	Name() string
}

// taskPrestartHook runs before every start of the task (restarts too), and
// fills in the driver's TaskConfig. It must be idempotent. An error fails
// the task without restarting it.
type taskPrestartHook interface {
	taskHook
	Prestart(ctx context.Context, req *prestartRequest) error
}

// taskPoststartHook runs after each successful start.
type taskPoststartHook interface {
	taskHook
	Poststart(ctx context.Context, req *hookRequest) error
}

// taskExitedHook runs after each exit of the task, restarted or not.
type taskExitedHook interface {
	taskHook
	Exited(ctx context.Context, req *hookRequest) error
}

// taskStopHook runs once, when the task is dead for good.
type taskStopHook interface {
	taskHook
	Stop(ctx context.Context, req *hookRequest) error
}

// hookRequest is what every hook sees. Alloc and Task are shared: never
// modify them.
type hookRequest struct {
	Alloc *structs.Allocation
	Task  *structs.Task
	// Node is a copy of the local node.
	Node *structs.Node
	// AllocDir and TaskDir are the allocation's and task's directories.
	AllocDir *allocdir.AllocDir
	TaskDir  *allocdir.TaskDir
	// Capabilities are the task driver's.
	Capabilities driver.Capabilities
	// EmitEvent records a task event.
	EmitEvent func(*structs.TaskEvent)
	// Clock is the client's clock.
	Clock Clock
}

// prestartRequest adds the TaskConfig that prestart hooks build.
type prestartRequest struct {
	hookRequest
	// Config is handed to the driver once every prestart hook has run.
	Config *driver.TaskConfig
}

// defaultTaskHooks are the hooks every task runs, in order.
func defaultTaskHooks(deps *runnerDeps) []taskHook {
	return []taskHook{
		&taskDirHook{},
		&logsHook{},
		&envHook{region: deps.region, hostEnv: deps.hostEnv},
	}
}
