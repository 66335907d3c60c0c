package structs

import "time"

// Task states.
const (
	TaskStatePending = "pending"
	TaskStateRunning = "running"
	TaskStateDead    = "dead"
)

// Task event types, as Nomad names them.
const (
	TaskReceived         = "Received"
	TaskSetup            = "Task Setup"
	TaskSetupFailure     = "Setup Failure"
	TaskDriverFailure    = "Driver Failure"
	TaskDriverMessage    = "Driver"
	TaskStarted          = "Started"
	TaskTerminated       = "Terminated"
	TaskKilling          = "Killing"
	TaskKilled           = "Killed"
	TaskRestarting       = "Restarting"
	TaskNotRestarting    = "Not Restarting"
	TaskSiblingFailed    = "Sibling Task Failed"
	TaskLeaderDead       = "Leader Task Dead"
	TaskRestartSignal    = "Restart Signaled"
	TaskClientReconnect  = "Reconnected"
	TaskFailedValidation = "Failed Validation"
	TaskSignaling        = "Signaling"
	TaskMainDead         = "Main Tasks Dead"
)

// TaskState is a task's life on its client.
type TaskState struct {
	State       string
	Failed      bool
	Restarts    uint64
	LastRestart time.Time
	StartedAt   time.Time
	FinishedAt  time.Time
	Events      []*TaskEvent
}

// Copy returns a copy; events are immutable and shared.
func (ts *TaskState) Copy() *TaskState {
	if ts == nil {
		return nil
	}
	c := *ts
	c.Events = append([]*TaskEvent(nil), ts.Events...)
	return &c
}

// Successful reports whether the task finished without failing.
func (ts *TaskState) Successful() bool {
	return ts.State == TaskStateDead && !ts.Failed
}

// TaskEvent is one step in a task's life.
type TaskEvent struct {
	Type           string
	Time           int64
	DisplayMessage string
	Details        map[string]string
	Message        string
	FailsTask      bool
	RestartReason  string
	SetupError     string
	DriverError    string
	ExitCode       int
	Signal         int
	KillReason     string
	KillTimeout    time.Duration
	KillError      string
	StartDelay     int64
	FailedSibling  string
}

// NewTaskEvent returns an event of type at time now with a display message.
func NewTaskEvent(typ string, now time.Time, msg string) *TaskEvent {
	return &TaskEvent{Type: typ, Time: now.UnixNano(), DisplayMessage: msg, Message: msg, Details: map[string]string{}}
}
