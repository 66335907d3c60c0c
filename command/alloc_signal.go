package command

import (
	"strings"
)

// allocSignalCommand is `drover alloc signal`.
type allocSignalCommand struct{ *Meta }

func (c *allocSignalCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover alloc signal [options] <allocation> <task>

  Sends a signal to a running task of an allocation (ID or unique ID
  prefix), or to all of its running tasks when no task is given.

Signal Specific Options:

  -s <signal>
    The signal to send, such as SIGHUP. Defaults to SIGKILL.

  -task <task-name>
    The task to signal, instead of the <task> argument.

  -verbose
    Print full IDs.
`)
}

func (c *allocSignalCommand) Synopsis() string { return "Signal a running allocation" }

func (c *allocSignalCommand) Run(args []string) int {
	fs := c.FlagSet()
	signal := fs.String("s", "", "")
	taskFlag := fs.String("task", "", "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if n := fs.NArg(); n < 1 || n > 2 {
		return c.wrongArgs("This command takes one or two arguments: <allocation> <task>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	allocID, task, code := c.allocTaskArgs(client, fs.Args(), *taskFlag, *verbose)
	if code != 0 {
		return code
	}
	if err := client.Allocations().Signal(allocID, task, *signal, c.write()); err != nil {
		c.Errorf("Error signalling allocation: %v", err)
		return 1
	}
	return 0
}
