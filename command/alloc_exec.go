package command

import (
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/containerd/console"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// allocExecCommand is `drover alloc exec`.
type allocExecCommand struct{ *Meta }

func (c *allocExecCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover alloc exec [options] <allocation> <command> [<args>...]

  Runs a command inside a running task of an allocation (ID or unique ID
  prefix), with the task's isolation, user and environment. The command's
  exit code is this command's.

Exec Specific Options:

  -task <task-name>
    The task to run the command in; may be left out when the allocation
    has only one task.

  -i
    Pass stdin to the command. Defaults to true; -i=false sends none.

  -t
    Allocate a pseudo-terminal for the command. Defaults to true when
    stdin is a terminal, which is then put in raw mode.

  -verbose
    Print full IDs in messages.
`)
}

func (c *allocExecCommand) Synopsis() string { return "Execute commands in task" }

func (c *allocExecCommand) Run(args []string) int {
	fs := c.FlagSet()
	taskFlag := fs.String("task", "", "")
	stdinOpt := fs.Bool("i", true, "")
	stdinTerm := c.stdinTerminal()
	tty := fs.Bool("t", stdinTerm != nil, "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() < 2 {
		return c.wrongArgs("This command takes at least two arguments: <allocation> <command>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	allocID, code := c.resolveAlloc(client, fs.Arg(0), *verbose)
	if code != 0 {
		return code
	}
	task, code := c.execTask(client, allocID, *taskFlag, *verbose)
	if code != 0 {
		return code
	}
	req := &api.ExecRequest{
		AllocID: allocID, Task: task, Command: fs.Args()[1:], TTY: *tty,
		Stdin: c.UI.In, Stdout: c.UI.Out, Stderr: c.UI.Err,
	}
	if !*stdinOpt {
		req.Stdin = strings.NewReader("") // the command reads EOF
	}
	if *tty && stdinTerm != nil {
		if err := stdinTerm.SetRaw(); err != nil {
			c.Errorf("Error setting the terminal to raw mode: %v", err)
			return 1
		}
		defer stdinTerm.Reset()
		sizes, stop := watchTerminalSize(stdinTerm)
		defer stop()
		req.Resize = sizes
	}
	exit, err := client.Allocations().Exec(c.Ctx, req)
	if err != nil {
		c.Errorf("failed to exec into task: %v", err)
		return 1
	}
	return exit
}

// stdinTerminal returns the terminal stdin is, or nil.
func (c *allocExecCommand) stdinTerminal() console.Console {
	f, ok := c.UI.In.(*os.File)
	if !ok {
		return nil
	}
	term, err := console.ConsoleFromFile(f)
	if err != nil {
		return nil
	}
	return term
}

// execTask is the task named by -task, or the allocation's only task.
func (c *allocExecCommand) execTask(client *api.Client, allocID, task string, verbose bool) (string, int) {
	alloc, _, err := client.Allocations().Info(allocID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying allocation: %v", err)
		return "", 1
	}
	tasks := taskNames(alloc)
	switch {
	case task == "" && len(tasks) == 1:
		return tasks[0], 0
	case task == "":
		c.Errorf("Allocation %q is running the following tasks:\n  * %s\n\nPlease specify the task with -task.",
			shortID(allocID, verbose), strings.Join(tasks, "\n  * "))
		return "", 1
	case !contains(tasks, task):
		c.Errorf("Could not find task named: %s", task)
		return "", 1
	}
	return task, 0
}

// watchTerminalSize sends term's size now and on every SIGWINCH until
// stop is called.
func watchTerminalSize(term console.Console) (<-chan structs.TerminalSize, func()) {
	sizes := make(chan structs.TerminalSize, 1)
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	done := make(chan struct{})
	send := func() {
		ws, err := term.Size()
		if err != nil {
			return
		}
		select {
		case sizes <- structs.TerminalSize{Height: int(ws.Height), Width: int(ws.Width)}:
		case <-done:
		}
	}
	go func() {
		send()
		for {
			select {
			case <-done:
				return
			case <-winch:
				send()
			}
		}
	}()
	return sizes, func() {
		signal.Stop(winch)
		close(done)
	}
}
