package client

import "github.com/drover-project/drover/structs"

// clientStatus derives an allocation's client status from its tasks, in
// Nomad's order of precedence: any failed task fails the allocation; then
// any running task makes it running; then any pending task keeps it
// pending; only when every task is dead and none failed is it complete.
func clientStatus(states map[string]*structs.TaskState) (status, description string) {
	var failed, running, pending, dead bool
	for _, st := range states {
		switch st.State {
		case structs.TaskStateRunning:
			running = true
		case structs.TaskStatePending:
			pending = true
		case structs.TaskStateDead:
			if st.Failed {
				failed = true
			} else {
				dead = true
			}
		}
	}
	switch {
	case failed:
		return structs.AllocClientStatusFailed, "Failed tasks"
	case running:
		return structs.AllocClientStatusRunning, "Tasks are running"
	case pending:
		return structs.AllocClientStatusPending, "No tasks have started"
	case dead:
		return structs.AllocClientStatusComplete, "All tasks have completed"
	}
	return structs.AllocClientStatusPending, "No tasks have started"
}
