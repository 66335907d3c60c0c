package exec

import (
	"bytes"
	"context"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
)

// startSleeper starts a task that waits, and returns its config.
func startSleeper(t *testing.T, d *Driver) (*driver.TaskConfig, driver.TaskHandle) {
	t.Helper()
	cfg := testAlloc(t, t.TempDir(), "a1", `echo ready > /local/ready; exec sleep 60`)
	h, err := d.StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Kill("SIGKILL", time.Second) })
	waitFile(t, filepath.Join(cfg.TaskDir, "local", "ready"), 10*time.Second)
	return cfg, h
}

func execIn(t *testing.T, d *Driver, cfg *driver.TaskConfig, req *driver.ExecRequest) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	req.Stdout, req.Stderr = &out, &errb
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code, err := d.ExecTask(ctx, cfg, req)
	if err != nil {
		t.Fatalf("exec %q: %v (stderr %q)", req.Command, err, errb.String())
	}
	return code, out.String(), errb.String()
}

// The exec'd command is in the task's container: its pid namespace (only
// the task's processes and its own), its root, its user and environment.
func TestExecTaskJoinsContainer(t *testing.T) {
	requireIsolation(t)
	// A fresh driver value, as the client's is not the one that started
	// the task (that is the supervisor's): only the state dir is shared.
	stateDir := filepath.Join(t.TempDir(), "state")
	cfg, _ := startSleeper(t, newTestDriverAt(t, stateDir, nil))
	d := newTestDriverAt(t, stateDir, nil)

	code, out, _ := execIn(t, d, cfg, &driver.ExecRequest{Command: []string{"/bin/sh", "-c",
		`for f in /proc/[0-9]*; do echo ${f#/proc/}; done; echo uid=$(id -u) greeting=$GREETING; ls -d /local/ready`}})
	if code != 0 {
		t.Fatalf("exit code %d, output %q", code, out)
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if n := len(lines); n < 4 || lines[n-2] != "uid="+nobody.Uid+" greeting=hi" || lines[n-1] != "/local/ready" {
		t.Fatalf("output %q: want the task's user %s, environment and root", out, nobody.Uid)
	}
	pids := lines[:len(lines)-2]
	if pids[0] != "1" || len(pids) > 4 {
		t.Fatalf("processes seen %v: want the container's few, starting with its init", pids)
	}
	for _, p := range pids {
		if n, err := strconv.Atoi(p); err != nil || n > 100 {
			t.Fatalf("process %q seen: not the container's pid namespace (all %v)", p, pids)
		}
	}
}

func TestExecTaskStreams(t *testing.T) {
	requireIsolation(t)
	d := newTestDriver(t, nil)
	cfg, _ := startSleeper(t, d)
	cases := []struct {
		name      string
		req       driver.ExecRequest
		code      int
		stdout    string
		stderr    string
		stdoutHas string
	}{
		{name: "exit code", req: driver.ExecRequest{Command: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}}, code: 3, stdout: "out\n", stderr: "err\n"},
		{name: "stdin", req: driver.ExecRequest{Command: []string{"cat"}, Stdin: strings.NewReader("through cat\n")}, stdout: "through cat\n"},
		{name: "signal", req: driver.ExecRequest{Command: []string{"sh", "-c", "kill -KILL $$"}}, code: 137},
		{name: "terminal", req: driver.ExecRequest{Command: []string{"sh", "-c", "tty; stty size"}, TTY: true,
			Resize: sizes(driver.TerminalSize{Height: 21, Width: 77})}, stdoutHas: "/dev/pts/0\r\n21 77"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := execIn(t, d, cfg, &tc.req)
			if code != tc.code {
				t.Fatalf("exit code %d, want %d (stdout %q, stderr %q)", code, tc.code, out, errOut)
			}
			if tc.stdoutHas != "" {
				if !strings.Contains(out, tc.stdoutHas) {
					t.Fatalf("stdout %q, want it to contain %q", out, tc.stdoutHas)
				}
				return
			}
			if out != tc.stdout || errOut != tc.stderr {
				t.Fatalf("stdout %q stderr %q, want %q and %q", out, errOut, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestExecTaskNotRunning(t *testing.T) {
	requireIsolation(t)
	d := newTestDriver(t, nil)
	cfg := testAlloc(t, t.TempDir(), "gone", "")
	_, err := d.ExecTask(context.Background(), cfg, &driver.ExecRequest{Command: []string{"true"}})
	if err == nil || !strings.Contains(err.Error(), "gone.web") {
		t.Fatalf("exec into a task that never ran: %v", err)
	}
}

// Cancelling the exec kills its command.
func TestExecTaskCancel(t *testing.T) {
	requireIsolation(t)
	d := newTestDriver(t, nil)
	cfg, _ := startSleeper(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	code, err := d.ExecTask(ctx, cfg, &driver.ExecRequest{Command: []string{"sleep", "30"}})
	if err == nil || code != 137 || time.Since(start) > 10*time.Second {
		t.Fatalf("cancelled exec: code %d, %v after %v", code, err, time.Since(start))
	}
}

func sizes(s ...driver.TerminalSize) <-chan driver.TerminalSize {
	ch := make(chan driver.TerminalSize, len(s))
	for _, v := range s {
		ch <- v
	}
	return ch
}
