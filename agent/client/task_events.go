package client

import (
	"fmt"
	"strings"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// maxTaskEvents bounds a task's event history; the oldest are dropped.
const maxTaskEvents = 10

// The constructors below build task events with Nomad's display messages.

func receivedEvent(now time.Time) *structs.TaskEvent {
	return structs.NewTaskEvent(structs.TaskReceived, now, "Task received by client")
}

func setupEvent(now time.Time) *structs.TaskEvent {
	return structs.NewTaskEvent(structs.TaskSetup, now, "Building Task Directory")
}

func setupFailureEvent(now time.Time, err error) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskSetupFailure, now, err.Error())
	ev.SetupError = err.Error()
	ev.FailsTask = true
	return ev
}

func validationFailedEvent(now time.Time, err error) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskFailedValidation, now, err.Error())
	ev.Details["validation_error"] = err.Error()
	ev.FailsTask = true
	return ev
}

func driverFailureEvent(now time.Time, err error) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskDriverFailure, now, err.Error())
	ev.DriverError = err.Error()
	return ev
}

func startedEvent(now time.Time) *structs.TaskEvent {
	return structs.NewTaskEvent(structs.TaskStarted, now, "Task started by client")
}

func terminatedEvent(now time.Time, res *driver.ExitResult) *structs.TaskEvent {
	msg := fmt.Sprintf("Exit Code: %d", res.ExitCode)
	if res.Signal != 0 {
		msg += fmt.Sprintf(", Signal: %d", res.Signal)
	}
	if res.OOMKilled {
		msg += ", OOM Killed"
	}
	if res.Err != nil {
		msg += fmt.Sprintf(", Exit Message: %q", res.Err.Error())
	}
	ev := structs.NewTaskEvent(structs.TaskTerminated, now, msg)
	ev.ExitCode = res.ExitCode
	ev.Signal = res.Signal
	ev.Details["exit_code"] = fmt.Sprint(res.ExitCode)
	ev.Details["signal"] = fmt.Sprint(res.Signal)
	if res.OOMKilled {
		ev.Details["oom_killed"] = "true"
	}
	return ev
}

func restartingEvent(now time.Time, delay time.Duration, reason string) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskRestarting, now, fmt.Sprintf("Task restarting in %v", delay))
	ev.StartDelay = int64(delay)
	ev.RestartReason = reason
	return ev
}

func notRestartingEvent(now time.Time, reason string) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskNotRestarting, now, reason)
	ev.RestartReason = reason
	ev.FailsTask = true
	return ev
}

func killingEvent(now time.Time, signal string, timeout time.Duration) *structs.TaskEvent {
	what := "interrupt"
	if signal != "" && !strings.EqualFold(strings.TrimPrefix(strings.ToUpper(signal), "SIG"), "INT") {
		what = signal
	}
	ev := structs.NewTaskEvent(structs.TaskKilling, now, fmt.Sprintf("Sent %s. Waiting %v before force killing", what, timeout))
	ev.KillTimeout = timeout
	return ev
}

func killedEvent(now time.Time, err error) *structs.TaskEvent {
	if err != nil {
		ev := structs.NewTaskEvent(structs.TaskKilled, now, err.Error())
		ev.KillError = err.Error()
		return ev
	}
	return structs.NewTaskEvent(structs.TaskKilled, now, "Task successfully killed")
}

func siblingFailedEvent(now time.Time, sibling string) *structs.TaskEvent {
	ev := structs.NewTaskEvent(structs.TaskSiblingFailed, now, fmt.Sprintf("Task's sibling %q failed", sibling))
	ev.FailedSibling = sibling
	return ev
}

func leaderDeadEvent(now time.Time) *structs.TaskEvent {
	return structs.NewTaskEvent(structs.TaskLeaderDead, now, "Leader Task in Group dead")
}

// reattachedEvent is a "Driver" event: Nomad has no event type of its own
// for a task taken back by a restarted client.
func reattachedEvent(now time.Time) *structs.TaskEvent {
	return structs.NewTaskEvent(structs.TaskDriverMessage, now, "Reattached to task after client restart")
}
