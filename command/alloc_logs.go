package command

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/drover-project/drover/api"
)

// defaultTailLines is how many lines -tail prints without -n or -c.
const defaultTailLines = 10

// allocLogsCommand is `drover alloc logs`.
type allocLogsCommand struct{ *Meta }

func (c *allocLogsCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover alloc logs [options] <allocation> [task]

  Prints a task's stdout (or stderr). The task may be left out when the
  allocation has only one.

Logs Options:

  -stderr
    Print stderr instead of stdout.

  -stdout
    Print stdout (the default).

  -f
    Follow the log until interrupted or the allocation stops.

  -tail
    Print only the end of the log: the last 10 lines unless -n or -c.

  -n <lines>
    Print the last <lines> lines (implies -tail).

  -c <bytes>
    Print the last <bytes> bytes (implies -tail).

  -verbose
    Print full IDs in messages.
`)
}

func (c *allocLogsCommand) Synopsis() string { return "Streams the logs of a task" }

func (c *allocLogsCommand) Run(args []string) int {
	fs := c.FlagSet()
	stderr := fs.Bool("stderr", false, "")
	fs.Bool("stdout", true, "")
	follow := fs.Bool("f", false, "")
	tail := fs.Bool("tail", false, "")
	lines := fs.Int("n", -1, "")
	nbytes := fs.Int64("c", -1, "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return c.wrongArgs("This command takes one or two arguments: <allocation> [task]")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	allocID, code := c.resolveAlloc(client, fs.Arg(0), *verbose)
	if code != 0 {
		return code
	}
	alloc, _, err := client.Allocations().Info(allocID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying allocation: %v", err)
		return 1
	}
	tasks := taskNames(alloc)
	task := fs.Arg(1)
	switch {
	case task == "" && len(tasks) == 1:
		task = tasks[0]
	case task == "":
		c.Errorf("Allocation %q is running the following tasks:\n  * %s\n\nPlease specify the task.",
			shortID(allocID, *verbose), strings.Join(tasks, "\n  * "))
		return 1
	case !contains(tasks, task):
		c.Errorf("Could not find task named: %s", task)
		return 1
	}
	logType := "stdout"
	if *stderr {
		logType = "stderr"
	}
	lg := &logReader{Meta: c.Meta, fs: client.AllocFS(), allocID: allocID, task: task, logType: logType}
	var n int64
	switch {
	case *nbytes >= 0:
		err = lg.stream(*follow, api.OriginEnd, *nbytes)
	case *tail || *lines >= 0:
		if *lines < 0 {
			*lines = defaultTailLines
		}
		if n, err = lg.lastLines(*lines); err == nil && *follow {
			err = lg.stream(true, api.OriginStart, n)
		}
	default:
		err = lg.stream(*follow, api.OriginStart, 0)
	}
	if err != nil && c.Ctx.Err() == nil {
		c.Errorf("Error reading %s logs: %v", logType, err)
		return 1
	}
	return 0
}

// logReader reads one task's log for the command.
type logReader struct {
	*Meta
	fs      *api.AllocFS
	allocID string
	task    string
	logType string
}

// stream copies the log to stdout from offset bytes after (origin start)
// or before (origin end) the given origin.
func (l *logReader) stream(follow bool, origin string, offset int64) error {
	rc, err := l.fs.Logs(l.allocID, l.task, l.logType, follow, origin, offset, l.query(nil))
	if err != nil {
		return err
	}
	defer rc.Close()
	if _, err := io.Copy(l.UI.Out, rc); err != nil {
		return fmt.Errorf("streaming logs: %w", err)
	}
	return nil
}

// lastLines prints the last n lines of the log as it is now and returns
// the number of bytes read, where a follow can continue.
func (l *logReader) lastLines(n int) (int64, error) {
	rc, err := l.fs.Logs(l.allocID, l.task, l.logType, false, api.OriginStart, 0, l.query(nil))
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	ring := make([]string, 0, n+1)
	var total int64
	r := bufio.NewReader(rc)
	for {
		line, err := r.ReadString('\n')
		total += int64(len(line))
		if line != "" && n > 0 {
			ring = append(ring, line)
			if len(ring) > n {
				ring = ring[1:]
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("reading logs: %w", err)
		}
	}
	_, err = io.WriteString(l.UI.Out, strings.Join(ring, ""))
	return total, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
