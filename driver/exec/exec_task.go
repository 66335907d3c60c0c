package exec

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/containerd/console"
	"github.com/opencontainers/runc/libcontainer"
	"github.com/opencontainers/runc/libcontainer/utils"
	"golang.org/x/sys/unix"

	"github.com/drover-project/drover/driver"
)

// ExecTask implements driver.TaskExecer the way `runc exec` does: the
// task's container is loaded from the driver's state dir and an extra,
// non-init process is run in it. It joins the container's namespaces and
// cgroup, sees its root, and runs as the task's user with its environment,
// in / like the task. Any process with the same state dir may call it, so
// the client execs into tasks whose container a task supervisor created.
// With TTY the terminal is allocated inside the container (on its own
// /dev/pts) and its master side handed back over a socket.
func (d *Driver) ExecTask(ctx context.Context, task *driver.TaskConfig, req *driver.ExecRequest) (int, error) {
	code, err := d.execTask(ctx, task, req)
	if err != nil {
		return code, fmt.Errorf("%s: exec in task %q of alloc %s: %w", Name, task.TaskName, task.AllocID, err)
	}
	return code, nil
}

func (d *Driver) execTask(ctx context.Context, task *driver.TaskConfig, req *driver.ExecRequest) (int, error) {
	if d.fp.configErr != nil {
		return 0, d.fp.configErr
	}
	if len(req.Command) == 0 || req.Command[0] == "" {
		return 0, fmt.Errorf("empty command")
	}
	id := containerID(task.AllocID, task.TaskName)
	container, err := libcontainer.Load(d.cfg.StateDir, id)
	if err != nil {
		return 0, fmt.Errorf("loading container %s: %w", id, err)
	}
	if st, err := container.Status(); err != nil || st != libcontainer.Running {
		return 0, fmt.Errorf("container %s is not running (%v, %v)", id, st, err)
	}
	userName := task.User
	if userName == "" {
		userName = d.cfg.DefaultUser
	}
	u, err := lookupUser(userName)
	if err != nil {
		return 0, err
	}
	proc := &libcontainer.Process{
		Args:             append([]string{resolveCommand(req.Command[0], task.TaskDir)}, req.Command[1:]...),
		Env:              envList(task.Env),
		UID:              u.uid,
		GID:              u.gid,
		AdditionalGroups: u.groups,
		Cwd:              "/",
	}
	var finish func()
	if req.TTY {
		finish, err = runOnTerminal(container, proc, req)
	} else {
		finish, err = runOnPipes(container, proc, req)
	}
	if err != nil {
		return 0, fmt.Errorf("starting %q: %w", req.Command[0], err)
	}
	pid, _ := proc.Pid()
	d.logger.Debug("exec started", "alloc_id", task.AllocID, "task", task.TaskName, "command", req.Command[0], "pid", pid)

	waited := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_ = proc.Signal(syscall.SIGKILL)
		case <-waited:
		}
	}()
	state, werr := proc.Wait()
	close(waited)
	finish()
	code, err := driver.ExitCodeOf(state, werr)
	if err != nil {
		return 0, err
	}
	if ctx.Err() != nil {
		return code, ctx.Err()
	}
	return code, nil
}

func runOnPipes(c *libcontainer.Container, proc *libcontainer.Process, req *driver.ExecRequest) (func(), error) {
	pipes, err := driver.NewExecPipes(req)
	if err != nil {
		return nil, err
	}
	proc.Stdin, proc.Stdout, proc.Stderr = pipes.Stdin, pipes.Stdout, pipes.Stderr
	if err := c.Run(proc); err != nil {
		pipes.Finish()
		return nil, err
	}
	pipes.Started()
	return pipes.Finish, nil
}

// runOnTerminal runs proc on a terminal libcontainer's init allocates in
// the container and sends back over a socket pair.
func runOnTerminal(c *libcontainer.Container, proc *libcontainer.Process, req *driver.ExecRequest) (func(), error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("creating console socket: %w", err)
	}
	ours := os.NewFile(uintptr(fds[0]), "console-socket")
	theirs := os.NewFile(uintptr(fds[1]), "console-socket-child")
	defer ours.Close()
	proc.ConsoleSocket = theirs
	if req.Resize != nil {
		// The first size, if already known, is the terminal's initial one.
		select {
		case s, ok := <-req.Resize:
			if ok && s.Height > 0 && s.Width > 0 {
				proc.ConsoleHeight, proc.ConsoleWidth = uint16(s.Height), uint16(s.Width)
			}
		default:
		}
	}
	err = c.Run(proc)
	theirs.Close()
	if err != nil {
		return nil, err
	}
	f, err := utils.RecvFile(ours)
	if err != nil {
		_ = proc.Signal(syscall.SIGKILL)
		_, _ = proc.Wait()
		return nil, fmt.Errorf("receiving the terminal: %w", err)
	}
	master, err := console.ConsoleFromFile(f)
	if err != nil {
		f.Close()
		_ = proc.Signal(syscall.SIGKILL)
		_, _ = proc.Wait()
		return nil, fmt.Errorf("using the terminal: %w", err)
	}
	term, err := driver.NewExecTerminal(master, req)
	if err != nil {
		_ = proc.Signal(syscall.SIGKILL)
		_, _ = proc.Wait()
		return nil, err
	}
	return term.Finish, nil
}
