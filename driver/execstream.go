package driver

import (
	"context"
	"io"
)

// ExecRequest is a command to run inside a running task, next to it, with
// the task's isolation, user and environment (alloc exec).
type ExecRequest struct {
	// Command is the program and its arguments; Command[0] is resolved as
	// the driver resolves a task's command.
	Command []string
	// TTY runs the command on a new pseudo-terminal: Stdin feeds the
	// terminal and everything it prints arrives on Stdout (Stderr is not
	// used). An end of Stdin is typed as ^D.
	TTY bool
	// Stdin is the command's input; nil means none (it reads EOF). A read
	// blocked on it may outlive the exec: the caller ends it by closing it.
	Stdin io.Reader
	// Stdout and Stderr receive the command's output. Writes to them come
	// from one goroutine each and have stopped when the exec returns.
	Stdout, Stderr io.Writer
	// Resize delivers the terminal's size with TTY, the first value being
	// the initial size; nil or ignored without TTY.
	Resize <-chan TerminalSize
}

// TerminalSize is a terminal's size in characters.
type TerminalSize struct {
	Height, Width int
}

// ExecStreamer is implemented by task handles that can run a command
// inside their running task (alloc exec). The client finds it with a type
// check. ExecStreaming returns the command's exit code (128+signal when a
// signal ended it) once it has exited and its output has been delivered;
// an error means it could not be run or watched. Cancelling ctx kills the
// command. It may be called concurrently, with other methods too.
type ExecStreamer interface {
	ExecStreaming(ctx context.Context, req *ExecRequest) (exitCode int, err error)
}

// TaskExecer is implemented by drivers that can run a command inside a
// running task knowing only the config it was started from, from any
// process: how the task supervisor's handles, whose driver handle lives in
// the supervisor process, exec. The contract is ExecStreamer's.
type TaskExecer interface {
	ExecTask(ctx context.Context, task *TaskConfig, req *ExecRequest) (exitCode int, err error)
}
