package rawexec

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"syscall"

	"github.com/drover-project/drover/driver"
)

// ExecTask implements driver.TaskExecer: the command runs as a plain
// process like the task's, in the task directory with the task's
// environment and user, in a session of its own (with TTY the terminal is
// its controlling terminal) so that cancelling ctx kills everything it
// started.
func (d *Driver) ExecTask(ctx context.Context, task *driver.TaskConfig, req *driver.ExecRequest) (int, error) {
	if len(req.Command) == 0 || req.Command[0] == "" {
		return 0, fmt.Errorf("%s: exec: empty command", Name)
	}
	path, err := lookupCommand(req.Command[0], task.TaskDir, task.Env["PATH"])
	if err != nil {
		return 0, fmt.Errorf("%s: exec: %w", Name, err)
	}
	cmd := exec.Command(path, req.Command[1:]...)
	cmd.Args[0] = req.Command[0]
	cmd.Dir = task.TaskDir
	cmd.Env = envList(task.Env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if task.User != "" {
		cred, err := credentialFor(task.User)
		if err != nil {
			return 0, fmt.Errorf("%s: exec: %w", Name, err)
		}
		cmd.SysProcAttr.Credential = cred
	}
	var finish func()
	if req.TTY {
		master, slave, err := driver.NewPty()
		if err != nil {
			return 0, fmt.Errorf("%s: exec: %w", Name, err)
		}
		defer slave.Close()
		if cred := cmd.SysProcAttr.Credential; cred != nil {
			// The command must be able to reopen its own terminal.
			if err := slave.Chown(int(cred.Uid), int(cred.Gid)); err != nil {
				master.Close()
				return 0, fmt.Errorf("%s: exec: handing the terminal to user %q: %w", Name, task.User, err)
			}
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
		cmd.SysProcAttr.Setctty = true
		cmd.SysProcAttr.Ctty = 0 // the child's stdin
		if err := cmd.Start(); err != nil {
			master.Close()
			return 0, fmt.Errorf("%s: exec: starting %q: %w", Name, req.Command[0], err)
		}
		slave.Close()
		term, err := driver.NewExecTerminal(master, req)
		if err != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
			return 0, fmt.Errorf("%s: exec: %w", Name, err)
		}
		finish = term.Finish
	} else {
		pipes, err := driver.NewExecPipes(req)
		if err != nil {
			return 0, fmt.Errorf("%s: exec: %w", Name, err)
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = pipes.Stdin, pipes.Stdout, pipes.Stderr
		if err := cmd.Start(); err != nil {
			pipes.Finish()
			return 0, fmt.Errorf("%s: exec: starting %q: %w", Name, req.Command[0], err)
		}
		pipes.Started()
		finish = pipes.Finish
	}
	d.logger.Debug("exec started", "alloc_id", task.AllocID, "task", task.TaskName, "command", req.Command[0], "pid", cmd.Process.Pid)
	code, err := waitExec(ctx, cmd)
	finish()
	return code, err
}

// waitExec waits for cmd, killing its session when ctx ends first.
func waitExec(ctx context.Context, cmd *exec.Cmd) (int, error) {
	waited := make(chan struct{})
	defer close(waited)
	go func() {
		select {
		case <-ctx.Done():
			// The session id is the command's pid.
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		case <-waited:
		}
	}()
	err := cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return 0, fmt.Errorf("%s: exec: %w", Name, err)
	}
	code, err := driver.ExitCodeOf(cmd.ProcessState, err)
	if err != nil {
		return 0, fmt.Errorf("%s: exec: %w", Name, err)
	}
	if ctx.Err() != nil {
		return code, fmt.Errorf("%s: exec: %w", Name, ctx.Err())
	}
	return code, nil
}
