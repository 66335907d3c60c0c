package command

import (
	"strings"
)

// allocRestartCommand is `drover alloc restart`.
type allocRestartCommand struct{ *Meta }

func (c *allocRestartCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover alloc restart [options] <allocation> <task>

  Restarts a running task of an allocation (ID or unique ID prefix) in
  place, or all of its running tasks when no task is given. The restart
  does not count against the task's restart policy.

Restart Specific Options:

  -all-tasks
    Restart all tasks of the allocation. Cannot be combined with a task.

  -task <task-name>
    The task to restart, instead of the <task> argument.

  -verbose
    Print full IDs.
`)
}

func (c *allocRestartCommand) Synopsis() string { return "Restart a running allocation" }

func (c *allocRestartCommand) Run(args []string) int {
	fs := c.FlagSet()
	allTasks := fs.Bool("all-tasks", false, "")
	taskFlag := fs.String("task", "", "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if n := fs.NArg(); n < 1 || n > 2 {
		return c.wrongArgs("This command takes one or two arguments: <allocation> <task>")
	}
	if *allTasks && (*taskFlag != "" || fs.NArg() == 2) {
		c.Errorf("The -all-tasks option cannot be used with a task name")
		return 1
	}
	client := c.client()
	if client == nil {
		return 1
	}
	allocID, task, code := c.allocTaskArgs(client, fs.Args(), *taskFlag, *verbose)
	if code != 0 {
		return code
	}
	if err := client.Allocations().Restart(allocID, task, *allTasks, c.write()); err != nil {
		c.Errorf("Failed to restart allocation:\n\n%v", err)
		return 1
	}
	return 0
}
