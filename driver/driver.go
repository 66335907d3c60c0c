package driver

import (
	"context"
	"time"

	"github.com/drover-project/drover/structs"
)

// Driver starts tasks of one kind. Implementations must be safe for
// concurrent use: the client starts many tasks at once.
type Driver interface {
	// Name is the value of a task's "driver" field, e.g. "raw_exec".
	Name() string
	// Fingerprint reports whether the driver works on this node. It is
	// called at registration and may be called again periodically.
	Fingerprint(ctx context.Context) *structs.DriverInfo
	// ValidateConfig checks a task's driver config without starting
	// anything: missing required fields, unknown keys and wrong types are
	// errors. The server may call it when a job is submitted.
	ValidateConfig(config map[string]interface{}) error
	// StartTask starts the task and returns once it runs. ctx bounds the
	// start only: cancelling it later does not stop the task.
	StartTask(ctx context.Context, cfg *TaskConfig) (TaskHandle, error)
}

// TaskConfig is everything a driver needs to start one task. Paths are host
// paths; Config has already been interpolated by the client.
type TaskConfig struct {
	// AllocID is the allocation the task belongs to.
	AllocID string
	// TaskName is the task's name within its group.
	TaskName string
	// JobID is the task's job.
	JobID string
	// GroupName is the task's group.
	GroupName string
	// Config is the task's driver-specific config block.
	Config map[string]interface{}
	// Env is the complete environment of the task.
	Env map[string]string
	// User is the user to run as; empty means the agent's user.
	User string
	// AllocDir is the shared allocation directory (NOMAD_ALLOC_DIR).
	AllocDir string
	// TaskDir is the task's own directory; it is the working directory.
	TaskDir string
	// StdoutPath and StderrPath are files the task's output is appended
	// to. With LogRotation set they are base paths instead: output goes to
	// <path>.0, <path>.1, ... as LogRotation bounds them. Drivers open
	// them with OpenLogs, which handles both.
	StdoutPath string
	StderrPath string
	// LogRotation, when set, rotates StdoutPath and StderrPath.
	LogRotation *LogRotation
	// Resources are the task's requested resources, for drivers that
	// enforce limits.
	Resources *structs.Resources
	// CPUMHzPerCore is the node's MHz per core, for drivers that turn a
	// CPU ask in MHz into a share of cores; 0 when unknown.
	CPUMHzPerCore float64
}

// TaskHandle is a started task. Its methods are safe for concurrent use.
type TaskHandle interface {
	// Wait returns a channel that receives the task's exit result once, when
	// the task ends. Every call returns a new channel.
	Wait() <-chan *ExitResult
	// Kill sends signal (a name such as "SIGTERM"; empty means SIGINT) and,
	// if the task has not exited after timeout, kills it for good. It
	// returns once the task has exited, or with an error saying why it
	// could not be killed. Killing an exited task is not an error.
	Kill(signal string, timeout time.Duration) error
}

// ExitResult is how a task ended.
type ExitResult struct {
	// ExitCode is the process's exit code; 128+signal when it was killed by
	// a signal, as shells report it.
	ExitCode int
	// Signal is the signal that ended the task, or 0.
	Signal int
	// OOMKilled is set when the task was killed for using too much memory.
	OOMKilled bool
	// Err is set when the task's fate could not be observed.
	Err error
}

// Successful reports whether the task exited on its own with code 0.
func (r *ExitResult) Successful() bool {
	return r != nil && r.ExitCode == 0 && r.Signal == 0 && r.Err == nil
}

// FSIsolation says what a task sees of the host's filesystem.
type FSIsolation string

// Filesystem isolation levels.
const (
	// FSIsolationNone: the task sees the host; paths in its environment
	// are host paths and it inherits the agent's environment.
	FSIsolationNone FSIsolation = "none"
	// FSIsolationChroot: the task runs in its own root built from the
	// task directory; paths in its environment are /alloc, /local, ...
	FSIsolationChroot FSIsolation = "chroot"
)

// Capabilities are what a driver does beyond starting processes.
type Capabilities struct {
	// FSIsolation is the driver's filesystem isolation.
	FSIsolation FSIsolation
}

// CapabilityReporter is implemented by drivers with capabilities other than
// the defaults (no isolation).
type CapabilityReporter interface {
	Capabilities() Capabilities
}

// CapabilitiesOf returns d's capabilities, with defaults for drivers that do
// not report any.
func CapabilitiesOf(d Driver) Capabilities {
	if cr, ok := d.(CapabilityReporter); ok {
		return cr.Capabilities()
	}
	return Capabilities{FSIsolation: FSIsolationNone}
}
