package command

import (
	"github.com/drover-project/drover/api"
)

// allocTaskArgs resolves the <allocation> [task] arguments of alloc signal
// and alloc restart: the allocation by ID prefix, and the task, from the
// argument or the -task flag, checked against the allocation's group.
// An empty task means every running task.
func (m *Meta) allocTaskArgs(client *api.Client, args []string, taskFlag string, verbose bool) (allocID, task string, code int) {
	allocID, code = m.resolveAlloc(client, args[0], verbose)
	if code != 0 {
		return "", "", code
	}
	task = taskFlag
	if len(args) == 2 {
		task = args[1]
	}
	if task == "" {
		return allocID, "", 0
	}
	alloc, _, err := client.Allocations().Info(allocID, m.query(nil))
	if err != nil {
		m.Errorf("Error querying allocation: %v", err)
		return "", "", 1
	}
	if tg := alloc.Job.LookupTaskGroup(alloc.TaskGroup); tg == nil || tg.LookupTask(task) == nil {
		m.Errorf("Could not find task named: %s", task)
		return "", "", 1
	}
	return allocID, task, 0
}
